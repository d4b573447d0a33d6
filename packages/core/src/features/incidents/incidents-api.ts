import type { Incident } from '../../kernel/model/delivery.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { and, raw, sql } from '../../kernel/store/sql.js';
import { invalid, limitArgument } from '../../records/arguments.js';
import { incidentOpenAt, incidentTeam } from '../../records/shared-counts.js';
import { type IncidentBrief, type IncidentBriefDeps, incidentBrief } from './incident-brief.js';

export type RunbookPassage = { text: string; headingPath: string[]; document: { title: string; uri: string } };

/** One row of `incident list`: every status, newest first. */
export interface IncidentSummary {
  id: string;
  title: string;
  source: string;
  externalId?: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  severity?: string;
  urgency?: string;
  service?: string;
  team?: string;
  createdAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
}

export interface IncidentListQuery {
  status?: 'triggered' | 'acknowledged' | 'resolved' | 'open';
  team?: string;
  limit?: number;
}

export interface IncidentsFeature {
  /** Incidents of every status (or one; `open`: open at the clock's now), newest first, with their team (see `incidentTeam`). */
  summaries(query?: IncidentListQuery): Promise<IncidentSummary[]>;
  /** The brief of one incident: timeline, ranked suspects, on-call and responders, runbooks and cited drafts. */
  brief(id: string): Promise<IncidentBrief>;
}

const summaryRows = columns({
  id: text,
  title: text,
  source: nullable(text),
  external_id: nullable(text),
  status: nullable(text),
  severity: nullable(text),
  urgency: nullable(text),
  service: nullable(text),
  team: nullable(text),
  created_at: integer,
  acknowledged_at: nullable(integer),
  resolved_at: nullable(integer),
});

const STATUSES = ['triggered', 'acknowledged', 'resolved', 'open'] as const;

export function createIncidentsFeature(
  options: Omit<IncidentBriefDeps, 'searchRunbooks'> & {
    knowledge?: { search(query: string, o: { limit: number }): Promise<RunbookPassage[]> };
  },
): IncidentsFeature {
  const { knowledge, ...rest } = options;
  // Runbooks come from the knowledge index as the caller reads it; an index that cannot answer gives none.
  const deps: IncidentBriefDeps = {
    ...rest,
    ...(knowledge ? { searchRunbooks: (query: string) => knowledge.search(query, { limit: 3 }).catch(() => []) } : {}),
  };
  return {
    async summaries(query = {}) {
      if (query.status !== undefined && !STATUSES.includes(query.status))
        throw invalid(`status must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(query.status)})`);
      const limit = limitArgument(query.limit, 100);
      const status = raw(`COALESCE(i.status, CASE WHEN i.resolved_at IS NOT NULL THEN 'resolved' ELSE 'triggered' END)`);
      const team = incidentTeam('i');
      const where = [sql`i.workspace = ${deps.workspace}`];
      // Open: at the clock's now, the one rule the overview, the signals and the metrics count by.
      if (query.status === 'open') where.push(incidentOpenAt('i', deps.clock().getTime()));
      else if (query.status) where.push(sql`${status} = ${query.status}`);
      if (query.team) where.push(sql`${team} = ${query.team}`);
      const statement = sql`SELECT i.id, i.title, i.source, i.external_id, ${status} AS status, i.severity, i.urgency, i.service, ${team} AS team,
            i.created_at, i.acknowledged_at, i.resolved_at
          FROM incidents i WHERE ${and(where)} ORDER BY i.created_at DESC, i.id LIMIT ${limit}`;
      const { rows } = await deps.store.execute(statement.text, [...statement.args]);
      const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
      return summaryRows.all(rows).map((r) => {
        const summary: IncidentSummary = {
          id: r.id,
          title: r.title,
          source: r.source ?? 'import',
          status: r.status as IncidentSummary['status'],
          createdAt: new Date(r.created_at).toISOString(),
        };
        const optional = {
          externalId: r.external_id ?? undefined,
          severity: r.severity ?? undefined,
          urgency: r.urgency ?? undefined,
          service: r.service ?? undefined,
          team: r.team ?? undefined,
          acknowledgedAt: iso(r.acknowledged_at),
          resolvedAt: iso(r.resolved_at),
        };
        // Only the fields with a value: JSON answers leave the others out.
        return Object.assign(summary, Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)));
      });
    },
    async brief(id) {
      if (typeof id !== 'string' || id.length === 0) throw invalid('incident id must be a non-empty string, e.g. brief("pd-Q1ABC")');
      return incidentBrief(deps, id);
    },
  };
}

export type { Incident };
