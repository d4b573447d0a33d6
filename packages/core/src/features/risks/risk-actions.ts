import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { idSchema } from '../../kernel/model/common.js';
import { daySchema } from '../../kernel/model/local-day.js';
import {
  RISK_MITIGATION_MAX,
  RISK_TITLE_MAX,
  type RiskEvidence,
  riskEvidenceSchema,
  riskLikelihoodSchema,
  riskSeveritySchema,
  riskSourceSchema,
  riskStatusSchema,
  type TeamRisk,
} from '../../kernel/model/team-risk.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text, integer as whole } from '../../kernel/store/row-decoder.js';
import { incidentTeam } from '../../records/shared-counts.js';
import type { ActionType, PreconditionResult } from '../../spec/action-type.js';
import { riskFromRow } from './risk-rows.js';
import { maySeeSignal, type SourceReader } from './risk-source-reader.js';
import { risksSpec } from './table-specs.js';

const title = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(RISK_TITLE_MAX, { error: `must be at most ${RISK_TITLE_MAX} characters` });
const mitigation = z.string().max(RISK_MITIGATION_MAX, { error: `must be at most ${RISK_MITIGATION_MAX} characters` });

/** Params of `risk.create`: `team` may be left out when the source (a signal, an incident) names one. */
export const riskCreateParams = z.strictObject({
  id: idSchema.optional(),
  team: idSchema.optional(),
  title,
  severity: riskSeveritySchema,
  likelihood: riskLikelihoodSchema.optional(),
  owner: idSchema.optional(),
  mitigation: mitigation.optional(),
  reviewBy: daySchema.optional(),
  source: riskSourceSchema.optional(),
  evidence: z.array(riskEvidenceSchema).max(100).optional(),
});
export type RiskCreateParams = z.infer<typeof riskCreateParams>;

/** Params of `risk.update`: the risk and the fields that change (`null` clears an optional one). */
export const riskUpdateParams = z
  .strictObject({
    id: idSchema,
    team: idSchema.optional(),
    title: title.optional(),
    severity: riskSeveritySchema.optional(),
    likelihood: riskLikelihoodSchema.optional(),
    owner: idSchema.nullable().optional(),
    mitigation: mitigation.nullable().optional(),
    reviewBy: daySchema.nullable().optional(),
    status: riskStatusSchema.optional(),
  })
  .refine((params) => Object.keys(params).some((key) => key !== 'id'), {
    error: 'nothing to change: give at least one of team, title, severity, likelihood, owner, mitigation, reviewBy, status',
    path: ['id'],
  });
export type RiskUpdateParams = z.infer<typeof riskUpdateParams>;

/** Params of `risk.close`. */
export const riskCloseParams = z.strictObject({ id: idSchema, reason: z.string().max(2000).optional() });
export type RiskCloseParams = z.infer<typeof riskCloseParams>;

/**
 * What a `risk.create` proposal settled when it was proposed: the team. The evidence is copied from the source when
 * the change runs, into the risk only: an approval is readable to every viewer, a wellbeing signal's facts are not.
 */
interface CreateState {
  team: string;
}

/**
 * What a change answers with, kept on its approval and the ledger: the risk as it is after the change, without its
 * source and evidence (they may be a person's wellbeing signal or report). The whole risk is read through `ts.risks`,
 * where they follow the reading rule.
 */
export type RiskChangeResult = Omit<TeamRisk, 'source' | 'evidence'>;

/** The stored risk `id` as a change answers with it. */
async function changed(store: Execute, workspace: string, id: string): Promise<RiskChangeResult | undefined> {
  const risk = await readRisk(store, workspace, id);
  if (!risk) return undefined;
  const { source: _source, evidence: _evidence, ...rest } = risk;
  return rest;
}

type Execute = Pick<Store, 'execute'>;

const ids = async (store: Execute, sql: string, args: (string | null)[]) =>
  columns({ id: text })
    .all((await store.execute(sql, args)).rows)
    .map((row) => row.id);

async function known(store: Execute, workspace: string, table: 'teams' | 'people', id: string): Promise<boolean> {
  return (await store.execute(`SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?`, [workspace, id])).rows.length > 0;
}

/** Refuses a team or person id that names nothing in the workspace, naming the field. */
async function checkKnown(store: Execute, workspace: string, field: string, table: 'teams' | 'people', id: string): Promise<void> {
  if (await known(store, workspace, table, id)) return;
  throw unknownId(field, id, await ids(store, `SELECT id FROM ${table} WHERE workspace = ? ORDER BY id`, [workspace]), {
    what: table === 'teams' ? 'team' : 'person',
  });
}

const signalRow = columns({
  fingerprint: text,
  kind: text,
  subjectType: text,
  subjectId: text,
  team: nullable(text),
  title: text,
  evidence: text,
  lastSeenAt: whole,
});
const incidentRow = columns({
  id: text,
  title: text,
  severity: nullable(text),
  createdAt: whole,
  resolvedAt: nullable(whole),
  repository: nullable(text),
  team: nullable(text),
});

const SUBJECT_EVIDENCE: Record<string, RiskEvidence['kind'] | undefined> = {
  work_item: 'work_item',
  incident: 'incident',
  deployment: 'deployment',
};

/**
 * The team and evidence a source gives: a signal's (its facts copied as they are now), an incident's. With a
 * `reader`, a signal they may not read is not there.
 */
async function fromSource(
  store: Execute,
  workspace: string,
  source: string,
  reader?: SourceReader,
): Promise<{ team?: string; evidence: RiskEvidence[] }> {
  if (source === 'manual') return { evidence: [] };
  const [kind, ...rest] = source.split(':');
  const ref = rest.join(':');
  if (kind === 'signal') {
    const row = signalRow.first(
      (
        await store.execute(
          `SELECT fingerprint, kind, subject_type AS subjectType, subject_id AS subjectId, team_id AS team, title, evidence,
             last_seen_at AS lastSeenAt FROM signals WHERE workspace = ? AND fingerprint = ?`,
          [workspace, ref],
        )
      ).rows,
    );
    if (!row || (reader !== undefined && !(await maySeeSignal(store, workspace, reader, row))))
      throw new TeamStateError(
        'invalid_argument',
        `source: no signal "${ref}" in this workspace (teamstate signals --json lists signals with their fingerprint)`,
      );
    let data: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(row.evidence) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      // evidence that is not JSON is left out; the signal is still linked
    }
    const evidence: RiskEvidence[] = [
      { kind: 'signal', ref: row.fingerprint, title: row.title, at: formatTimestamp(row.lastSeenAt), data: { kind: row.kind, ...data } },
    ];
    const subject = SUBJECT_EVIDENCE[row.subjectType];
    if (subject) evidence.push({ kind: subject, ref: row.subjectId });
    return { ...(row.team === null ? {} : { team: row.team }), evidence };
  }
  const row = incidentRow.first(
    (
      await store.execute(
        `SELECT i.id, i.title, i.severity, i.created_at AS createdAt, i.resolved_at AS resolvedAt, i.repository_id AS repository,
           ${incidentTeam('i').text} AS team
         FROM incidents i
         WHERE i.workspace = ? AND i.id = ?`,
        [workspace, ref],
      )
    ).rows,
  );
  if (!row) {
    const known = await ids(store, 'SELECT id FROM incidents WHERE workspace = ? ORDER BY created_at DESC LIMIT 20', [workspace]);
    throw unknownId('source', ref, known, { what: 'incident', listAs: 'recent: ' });
  }
  const data: Record<string, unknown> = {};
  if (row.severity !== null) data.severity = row.severity;
  if (row.repository !== null) data.repository = row.repository;
  if (row.resolvedAt !== null) data.resolvedAt = formatTimestamp(row.resolvedAt);
  return {
    ...(row.team === null ? {} : { team: row.team }),
    evidence: [{ kind: 'incident', ref: row.id, title: row.title, at: formatTimestamp(row.createdAt), data }],
  };
}

/** The stored risk `id`, or `undefined`. */
export async function readRisk(store: Execute, workspace: string, id: string): Promise<TeamRisk | undefined> {
  const row = risksSpec.rows.first(
    (await store.execute(`SELECT ${risksSpec.select()} FROM risks WHERE workspace = ? AND id = ?`, [workspace, id])).rows,
  );
  return row && riskFromRow(row);
}

async function existingRisk(store: Execute, workspace: string, id: string): Promise<TeamRisk> {
  const risk = await readRisk(store, workspace, id);
  if (risk) return risk;
  const known = await ids(store, 'SELECT id FROM risks WHERE workspace = ? ORDER BY updated_at DESC LIMIT 20', [workspace]);
  throw unknownId('id', id, known, { what: 'risk', listAs: 'recent: ' });
}

/**
 * Checks a proposed change against the store, throwing an `invalid_argument` error that names the field: the team,
 * owner and source exist, an explicit new id is free, the risk to change exists. For `risk.create`, returns the team
 * and the evidence copied from the source.
 */
export async function checkRiskChange(
  store: Execute,
  workspace: string,
  type: string,
  params: Record<string, unknown>,
  reader?: SourceReader,
): Promise<(CreateState & { evidence: RiskEvidence[] }) | undefined> {
  if (type === 'risk.create') {
    const create = params as RiskCreateParams;
    if (create.id !== undefined && (await readRisk(store, workspace, create.id)))
      throw new TeamStateError('invalid_argument', `id: the risk "${create.id}" exists already (change it with risk.update)`);
    const source = await fromSource(store, workspace, create.source ?? 'manual', reader);
    const team = create.team ?? source.team;
    if (team === undefined)
      throw new TeamStateError(
        'invalid_argument',
        `team: required (the team whose risk this is${create.source ? `; ${create.source} names no team` : ''})`,
      );
    await checkKnown(store, workspace, 'team', 'teams', team);
    if (create.owner !== undefined) await checkKnown(store, workspace, 'owner', 'people', create.owner);
    return { team, evidence: [...source.evidence, ...(create.evidence ?? [])] };
  }
  const risk = await existingRisk(store, workspace, String(params.id));
  if (type === 'risk.update') {
    const update = params as RiskUpdateParams;
    if (update.team !== undefined) await checkKnown(store, workspace, 'team', 'teams', update.team);
    if (typeof update.owner === 'string') await checkKnown(store, workspace, 'owner', 'people', update.owner);
  } else if (risk.status === 'closed') {
    throw new TeamStateError('invalid_argument', `id: the risk "${risk.id}" is closed already`);
  }
  return undefined;
}

/** A precondition that answers with the reason instead of throwing, as the approval path wants. */
async function precondition(
  store: Execute,
  workspace: string,
  type: string,
  params: Record<string, unknown>,
  reader: SourceReader,
): Promise<PreconditionResult> {
  try {
    const state = await checkRiskChange(store, workspace, type, params, reader);
    return state === undefined ? { ok: true } : { ok: true, state: { team: state.team } satisfies CreateState };
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'invalid_argument') return { ok: false, reason: error.message };
    throw error;
  }
}

/** The id `risk.create` gives a risk without one: derived from the approval's idempotency key, so a rerun finds it. */
const newRiskId = (idempotencyKey: string) => `risk_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`;

const put = (value: string | undefined): string | null => (value === undefined ? null : value);

/**
 * The register's action types `risk.create`, `risk.update` and `risk.close` (risk low; the built-in policy runs them
 * at once), carried out on the store `store()` returns (called only when a hook runs, so the catalogue can be built
 * before the store is open): every change to a risk goes through the policy and the ledger.
 */
export function createRiskActions(store: () => Store, reading: Omit<SourceReader, 'person'>): ActionType[] {
  // The proposer reads the source: the person the change is for, else its requester.
  const readerOf = (ctx: { requestedBy: string; onBehalfOf?: string }): SourceReader => ({
    ...reading,
    person: ctx.onBehalfOf ?? ctx.requestedBy,
  });
  const create: ActionType<RiskCreateParams> = {
    type: 'risk.create',
    description: 'Record a risk in a team register',
    risk: 'low',
    params: riskCreateParams,
    precondition: (params, ctx) => precondition(store(), ctx.workspace, 'risk.create', params, readerOf(ctx)),
    async execute(params, ctx): Promise<RiskChangeResult> {
      const state = ctx.proposedState as CreateState;
      const id = params.id ?? newRiskId(ctx.idempotencyKey);
      const source = await fromSource(store(), ctx.workspace, params.source ?? 'manual');
      const evidence = [...source.evidence, ...(params.evidence ?? [])];
      const now = ctx.now().getTime();
      await store().write(async (tx) => {
        await tx.execute({
          sql: `INSERT INTO risks (workspace, id, team_id, title, severity, likelihood, owner_id, mitigation, status, review_by, source,
                  evidence, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
          args: [
            ctx.workspace,
            id,
            state.team,
            params.title,
            params.severity,
            params.likelihood ?? 'medium',
            put(params.owner),
            put(params.mitigation),
            put(params.reviewBy),
            params.source ?? 'manual',
            JSON.stringify(evidence),
            now,
            now,
          ],
        });
      });
      return (await changed(store(), ctx.workspace, id))!;
    },
    async checkExecuted(params, ctx) {
      const result = await changed(store(), ctx.workspace, params.id ?? newRiskId(ctx.idempotencyKey));
      return result ? { executed: true, result } : { executed: false };
    },
  };
  const update: ActionType<RiskUpdateParams> = {
    type: 'risk.update',
    description: 'Change a risk in a team register',
    risk: 'low',
    params: riskUpdateParams,
    precondition: (params, ctx) => precondition(store(), ctx.workspace, 'risk.update', params, readerOf(ctx)),
    async execute(params, ctx): Promise<RiskChangeResult> {
      const sets: string[] = [];
      const args: (string | number | null)[] = [];
      const set = (column: string, value: unknown) => {
        if (value === undefined) return;
        sets.push(`${column} = ?`);
        args.push(value as string | null);
      };
      set('team_id', params.team);
      set('title', params.title);
      set('severity', params.severity);
      set('likelihood', params.likelihood);
      set('owner_id', params.owner);
      set('mitigation', params.mitigation);
      set('review_by', params.reviewBy);
      set('status', params.status);
      await store().write(async (tx) => {
        const { rowsAffected } = await tx.execute({
          sql: `UPDATE risks SET ${sets.join(', ')}, updated_at = ? WHERE workspace = ? AND id = ?`,
          args: [...args, ctx.now().getTime(), ctx.workspace, params.id],
        });
        if (rowsAffected === 0) throw new TeamStateError('not_found', `id: the risk "${params.id}" is gone`);
      });
      return (await changed(store(), ctx.workspace, params.id))!;
    },
  };
  const close: ActionType<RiskCloseParams> = {
    type: 'risk.close',
    description: 'Close a risk in a team register',
    risk: 'low',
    params: riskCloseParams,
    precondition: (params, ctx) => precondition(store(), ctx.workspace, 'risk.close', params, readerOf(ctx)),
    async execute(params, ctx): Promise<RiskChangeResult> {
      await store().write(async (tx) => {
        await tx.execute({
          sql: `UPDATE risks SET status = 'closed', updated_at = ? WHERE workspace = ? AND id = ?`,
          args: [ctx.now().getTime(), ctx.workspace, params.id],
        });
      });
      return (await changed(store(), ctx.workspace, params.id))!;
    },
    async checkExecuted(params, ctx) {
      const result = await changed(store(), ctx.workspace, params.id);
      return result?.status === 'closed' ? { executed: true, result } : { executed: false };
    },
  };
  return [create, update, close] as ActionType[];
}
