import type { z } from 'zod';
import { TeamStateError, ValidationError } from '../../kernel/errors.js';
import type { Approval } from '../../kernel/model/derived.js';
import type { RiskStatus, TeamRisk } from '../../kernel/model/team-risk.js';
import { RISK_STATUSES } from '../../kernel/model/team-risk.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { Store } from '../../kernel/store/open-store.js';
import { type Reading, type ReadingRules, readingRules } from '../../records/identity/viewer.js';
import type { ActionProposal } from '../../spec/interaction.js';
import {
  checkRiskChange,
  type RiskChangeResult,
  type RiskCreateParams,
  type RiskUpdateParams,
  readRisk,
  riskCloseParams,
  riskCreateParams,
  riskUpdateParams,
} from './risk-actions.js';
import { risksForViewer } from './risk-reading.js';
import { riskFromRow } from './risk-rows.js';
import { risksSpec } from './table-specs.js';

/** Filters of `ts.risks.list()`. */
export interface RiskQuery {
  team?: string;
  /** The owner's person id. */
  owner?: string;
  /** `open` (the default): every risk not closed; `all`; or one status. */
  status?: 'all' | RiskStatus;
  /** 1–1000, default 500. */
  limit?: number;
}

/** Who changes a risk: the proposal's requester, the person an assistant acts for, and why. */
export interface RiskChangeBy {
  requestedBy: string;
  onBehalfOf?: string;
  /** Recorded on the approval and the ledger (a default sentence says what changes). */
  reason?: string;
}

/** A proposed change to the register: the approval, and the risk as it is once the change ran (the policy's `auto`). */
export interface RiskChange {
  approval: Approval;
  /** The risk after the change; absent while the approval waits for a person or when it did not run. */
  risk?: TeamRisk;
}

/** What `ts.risks.create()` takes: the `risk.create` params (`source` `signal:<id>` or `incident:<id>` copies its evidence). */
export type RiskInput = RiskCreateParams;
/** What `ts.risks.update()` changes (`null` clears an optional field). */
export type RiskPatch = Omit<RiskUpdateParams, 'id'>;

/** The risk register: reads, and changes proposed as `risk.create|update|close` actions through the policy. */
export interface Risks {
  /**
   * Risks, the most severe first (then the earliest review day, then the oldest).
   * @example const open = await ts.risks.list({ team: 'payments' })
   */
  list(query?: RiskQuery): Promise<TeamRisk[]>;
  /** One risk, or `undefined`. */
  get(id: string): Promise<TeamRisk | undefined>;
  /**
   * Proposes `risk.create`. Bad input is refused naming the field before anything is stored.
   * @example const { risk } = await ts.risks.create({ team: 'payments', title: 'Card processor sunset', severity: 'high' }, { requestedBy: 'ana' })
   */
  create(input: RiskInput, by: RiskChangeBy): Promise<RiskChange>;
  /** Proposes `risk.update` of `id`. */
  update(id: string, patch: RiskPatch, by: RiskChangeBy): Promise<RiskChange>;
  /** Proposes `risk.close` of `id`. */
  close(id: string, options: { reason?: string }, by: RiskChangeBy): Promise<RiskChange>;
}

const SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid_argument', 'risk', describeZodIssues(schema, parsed.error.issues));
  return parsed.data;
}

/** The `ts.risks` part of the facade. */
export function createRisksApi(deps: {
  store: Store;
  workspace: string;
  propose(proposal: ActionProposal): Promise<Approval>;
  /** Who reads: a person's wellbeing signals and reports in the evidence only for a viewer who may read them. */
  reading?: Reading;
  /** The wellbeing detectors' kinds (the evidence that follows `privacy.wellbeing`). */
  wellbeingKinds?: readonly string[];
  /** The policy's reading rules: whether the proposer may read the signal a new risk is recorded from. */
  rules?: ReadingRules;
}): Risks {
  const { store, workspace } = deps;
  const forViewer = (risks: TeamRisk[]) =>
    deps.reading ? risksForViewer(store, workspace, deps.reading, deps.wellbeingKinds ?? [], risks) : Promise.resolve(risks);
  const change = async (type: string, target: string | undefined, params: Record<string, unknown>, by: RiskChangeBy, reason: string) => {
    // Checked here too, so a caller gets `invalid_argument` naming the field rather than a failed precondition.
    const created = await checkRiskChange(store, workspace, type, params, {
      person: by.onBehalfOf ?? by.requestedBy,
      wellbeingKinds: deps.wellbeingKinds ?? [],
      rules: deps.rules ?? readingRules({}),
    });
    const approval = await deps.propose({
      type,
      // A new risk's target is its team (resolved from the source when not given), never the source: a wellbeing
      // signal's fingerprint names the person.
      target: target ?? `team:${created?.team}`,
      params,
      reason: by.reason?.trim() ? by.reason : reason,
      requestedBy: by.requestedBy,
      ...(by.onBehalfOf === undefined ? {} : { onBehalfOf: by.onBehalfOf }),
    });
    if (approval.status === 'failed') throw new TeamStateError('action_failed', `${type}: ${approval.error?.message ?? 'failed'}`);
    if (approval.status !== 'executed') return { approval };
    // The risk as this viewer may read it (its evidence may be a wellbeing signal they may not read).
    const risk = await readRisk(store, workspace, (approval.result as RiskChangeResult).id);
    return { approval, ...(risk ? { risk: (await forViewer([risk]))[0] } : {}) };
  };
  return {
    async list(query = {}) {
      const status = query.status ?? 'open';
      if (status !== 'all' && status !== 'open' && !RISK_STATUSES.includes(status))
        throw new TeamStateError(
          'invalid_argument',
          `status: expected open, all or one of ${RISK_STATUSES.join('|')}, got ${JSON.stringify(status)}`,
        );
      const limit = query.limit ?? 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 1000, got ${JSON.stringify(query.limit)}`);
      const where = ['workspace = ?'];
      const args: (string | number)[] = [workspace];
      if (query.team !== undefined) {
        where.push('team_id = ?');
        args.push(query.team);
      }
      if (query.owner !== undefined) {
        where.push('owner_id = ?');
        args.push(query.owner);
      }
      // `open` is the register's open risks in the wide sense: everything not closed.
      if (status === 'open') where.push("status <> 'closed'");
      else if (status !== 'all') {
        where.push('status = ?');
        args.push(status);
      }
      const { rows } = await store.execute(
        `SELECT ${risksSpec.select()} FROM risks WHERE ${where.join(' AND ')}
         ORDER BY ${SEVERITY_RANK}, review_by IS NULL, review_by, created_at, id LIMIT ?`,
        [...args, limit],
      );
      return forViewer(risksSpec.rows.all(rows).map(riskFromRow));
    },
    async get(id) {
      const risk = await readRisk(store, workspace, id);
      return risk && (await forViewer([risk]))[0];
    },
    async create(input, by) {
      const params = parse(riskCreateParams, input);
      return change('risk.create', undefined, params, by, `record the risk "${params.title}"`);
    },
    async update(id, patch, by) {
      const params = parse(riskUpdateParams, { ...patch, id });
      return change('risk.update', `risk:${id}`, params, by, `update the risk ${id}`);
    },
    async close(id, options, by) {
      const params = parse(riskCloseParams, { id, ...(options.reason === undefined ? {} : { reason: options.reason }) });
      return change('risk.close', `risk:${id}`, params, by, options.reason?.trim() ? options.reason : `close the risk ${id}`);
    },
  };
}
