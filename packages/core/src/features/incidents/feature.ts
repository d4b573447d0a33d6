import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../../records/feature.js';
import { eraseFromIncidents } from '../../records/identity/erase-incident-mentions.js';
import { readingRules } from '../../records/identity/viewer.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { createIncidentsFeature, type RunbookPassage } from './incidents-api.js';
import { migrations } from './migrations/index.js';
import { oncallLoad } from './oncall-load.js';
import { type Oncall, oncallSchema } from './oncall-model.js';
import type { OncallInsert, OncallRow } from './schema.js';
import * as tables from './schema.js';
import { oncallsSpec } from './table-specs.js';

const toOncallRow = (workspace: string, oncall: Oncall): OncallInsert => ({
  workspace,
  source: oncall.source,
  escalationPolicy: oncall.escalationPolicy,
  escalationPolicyName: oncall.escalationPolicyName ?? null,
  level: oncall.level,
  schedule: oncall.schedule ?? '',
  scheduleName: oncall.scheduleName ?? null,
  service: oncall.service ?? '',
  teamId: oncall.team ?? null,
  personId: oncall.person,
  startAt: oncall.start === undefined ? 0 : parseTimestamp(oncall.start)!,
  endAt: oncall.end === undefined ? null : parseTimestamp(oncall.end)!,
});

/** An `oncalls` row as the bundle's element. */
export function oncallFromRow(row: OncallRow): Oncall {
  const optional = {
    escalationPolicyName: row.escalationPolicyName ?? undefined,
    schedule: row.schedule || undefined,
    scheduleName: row.scheduleName ?? undefined,
    service: row.service || undefined,
    team: row.teamId ?? undefined,
    start: row.startAt === 0 ? undefined : formatTimestamp(row.startAt),
    end: row.endAt === null ? undefined : formatTimestamp(row.endAt),
  };
  return Object.assign(
    { source: row.source, escalationPolicy: row.escalationPolicy, level: row.level, person: row.personId },
    Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  ) as Oncall;
}

/**
 * The bundle's `oncalls`: one row per shift. A shift of a schedule names one person, so a shift arriving for the same
 * schedule, level, service and start replaces the one stored for another person (an override took it over).
 */
export const oncallsSection: BundleSection<'oncalls', typeof oncallSchema> = {
  list: 'oncalls',
  element: oncallSchema,
  tables: [oncallsSpec.name],
  references: (oncall) => [
    { kind: 'person', id: oncall.person, path: 'person' },
    { kind: 'team', id: oncall.team, path: 'team' },
  ],
  async write(tx, workspace, items) {
    const rows = items.map((oncall) => toOncallRow(workspace, oncall));
    let changed = 0;
    for (const row of rows.filter((r) => r.schedule !== '')) {
      const { rowsAffected } = await tx.execute({
        sql: `DELETE FROM oncalls WHERE workspace = ? AND source = ? AND escalation_policy = ? AND level = ? AND schedule = ?
          AND service = ? AND start_at = ? AND person_id <> ?`,
        args: [workspace, row.source, row.escalationPolicy, row.level, row.schedule, row.service ?? '', row.startAt, row.personId],
      });
      changed += rowsAffected;
    }
    return (
      changed +
      (await upsertRows(
        tx,
        oncallsSpec,
        rows.map((row) => toRow(oncallsSpec, row)),
      ))
    );
  },
  async read(execute, workspace, person) {
    const { rows } = await execute(
      `SELECT ${oncallsSpec.select()} FROM oncalls WHERE workspace = ?1 ${person === undefined ? '' : 'AND person_id = ?2'}
        ORDER BY source, escalation_policy, level, schedule, service, start_at, person_id`,
      person === undefined ? [workspace] : [workspace, person],
    );
    return oncallsSpec.rows.all(rows).map(oncallFromRow);
  },
};

/**
 * Incidents: the bundle's `oncalls`; an erased person's shifts go with them (and with the records when those are
 * cleared), and their name and id leave incidents' responders and timelines (their pseudonym instead).
 */
export const incidentsFeature = defineFeature({
  name: 'incidents',
  migrations,
  tables,
  // The brief's runbooks come from the knowledge index as the reader may read it.
  perReader: true,
  api: (context: FeatureContext<unknown, { knowledge: { search(query: string, o: { limit: number }): Promise<RunbookPassage[]> } }>) => ({
    ...context.readers.incidents,
    ...createIncidentsFeature({
      store: context.store,
      workspace: context.workspace,
      clock: context.clock,
      productionEnvironments: context.metricSettings.productionEnvironments,
      approvers: readingRules(context.policy.document).approvers,
      knowledge: { search: (query, o) => context.facade().knowledge.search(query, o) },
    }),
    /** The shifts and pages of a window, of a team's members when given: what on-call health reads. */
    oncallLoad: (window: { from: number; to: number; team?: string }) => oncallLoad(context.store, context.workspace, window),
  }),
  bundle: { lists: [oncallsSection] },
  hooks: {
    person: {
      async erase(tx, { workspace, person, name, identifiers, pseudonym }) {
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM oncalls WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        const names = [person, ...identifiers, ...(name === undefined ? [] : [name])];
        return { oncalls: rowsAffected, incidents: await eraseFromIncidents(tx, workspace, names, pseudonym) };
      },
    },
    async onRecordsCleared(tx, workspace) {
      await tx.execute({ sql: 'DELETE FROM oncalls WHERE workspace = ?', args: [workspace] });
    },
  },
});
