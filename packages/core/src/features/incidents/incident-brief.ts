import type { Incident } from '../../kernel/model/delivery.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import { unknownId } from '../../records/arguments.js';
import { incidentTeam } from '../../records/shared-counts.js';
import { incidentFromRow } from '../../records/store/records.js';
import { tableSpecs as t } from '../../records/store/table-specs.js';
import type { IncidentBriefDeps } from './brief-deps.js';
import { oncallOf } from './brief-oncall.js';
import { briefSuspects } from './brief-suspects.js';
import { briefTimeline } from './brief-timeline.js';
import type { BriefPerson, BriefRunbook, BriefTimelineEntry } from './brief-types.js';
import { type BriefDrafts, draftPostmortem, draftStatusUpdate } from './drafts.js';
import { SUSPECT_WINDOW_MS, type Suspect } from './suspects.js';

export type { IncidentBriefDeps } from './brief-deps.js';

/** `ts.incidents.brief(id)`: what a responder needs, every part tied to the rows it comes from. */
export interface IncidentBrief {
  incident: Incident & { status: 'triggered' | 'acknowledged' | 'resolved'; source: string; team?: string };
  timeline: BriefTimelineEntry[];
  suspects: Suspect[];
  oncall: BriefPerson[];
  responders: BriefPerson[];
  runbooks: BriefRunbook[];
  drafts: BriefDrafts;
}

const personRows = columns({ id: text, name: text });

/** The effective status of an incident: its own, else resolved when it has a resolution, else triggered. */
export function incidentStatus(incident: Incident): 'triggered' | 'acknowledged' | 'resolved' {
  return incident.status ?? (incident.resolvedAt !== undefined ? 'resolved' : 'triggered');
}

/** Builds the brief of incident `id` (docs/incidents.md). */
export async function incidentBrief(deps: IncidentBriefDeps, id: string): Promise<IncidentBrief> {
  const incident = await findIncident(deps, id);
  const start = Date.parse(incident.createdAt);
  const now = deps.clock().getTime();
  const window = { start, from: start - SUSPECT_WINDOW_MS, until: Math.max(start, now) };
  const { team, repositories } = await incidentScope(deps, incident);
  const suspects = await briefSuspects(deps, incident, team, window);
  const timeline = await briefTimeline(deps, incident, { team, repositories }, window);
  const oncall = await oncallOf(deps, incident, team, start, incidentStatus(incident) === 'resolved' ? undefined : now);
  const responders = await briefResponders(deps, incident.responders ?? []);
  const runbooks = await briefRunbooks(deps, incident);
  const status = incidentStatus(incident);
  const briefIncident = { ...incident, status, source: incident.source ?? 'import', ...(team ? { team } : {}) };
  const parts = { incident: briefIncident, timeline, suspects, oncall, responders, runbooks };
  return { ...parts, drafts: { statusUpdate: draftStatusUpdate(parts), postmortem: draftPostmortem(parts) } };
}

/** The incident of `id`; refused as `not_found`, with the latest ids, when there is none. */
async function findIncident(deps: IncidentBriefDeps, id: string): Promise<Incident> {
  const { store, workspace } = deps;
  const found = t.incidents.rows.all(
    (await store.execute(`SELECT ${t.incidents.select()} FROM incidents WHERE workspace = ? AND id = ?`, [workspace, id])).rows,
  );
  if (found.length === 0) {
    const { rows } = await store.execute('SELECT id FROM incidents WHERE workspace = ? ORDER BY created_at DESC LIMIT 50', [workspace]);
    throw unknownId(
      'incident',
      id,
      rows.map((r) => String(r.id)),
      { code: 'not_found' },
    );
  }
  return incidentFromRow(found[0]!);
}

/** The incident's team (`incidentTeam`: its own or its service's, else its repository's or its deployment's) and the repositories the brief reads: the team's and its own. */
async function incidentScope(deps: IncidentBriefDeps, incident: Incident): Promise<{ team: string | undefined; repositories: string[] }> {
  const { store, workspace } = deps;
  const statement = sql`SELECT ${incidentTeam('i')} AS team FROM incidents i WHERE i.workspace = ${workspace} AND i.id = ${incident.id}`;
  const found = await store.execute(statement.text, [...statement.args]);
  const team = (found.rows[0]?.team as string | null | undefined) ?? undefined;
  const repositories = team
    ? (await store.execute('SELECT id FROM repositories WHERE workspace = ? AND team_id = ? ORDER BY id', [workspace, team])).rows.map(
        (r) => String(r.id),
      )
    : [];
  if (incident.repository !== undefined && !repositories.includes(incident.repository)) repositories.push(incident.repository);
  return { team, repositories };
}

/** The incident's responders: by name when they are known people, else as given. */
async function briefResponders(deps: IncidentBriefDeps, responderIds: readonly string[]): Promise<BriefPerson[]> {
  const known =
    responderIds.length === 0
      ? []
      : personRows.all(
          (
            await deps.store.execute('SELECT id, name FROM people WHERE workspace = ? AND id IN (SELECT value FROM json_each(?))', [
              deps.workspace,
              JSON.stringify(responderIds),
            ])
          ).rows,
        );
  const names = new Map(known.map((p) => [p.id, p.name]));
  return responderIds.map((r) => {
    const name = names.get(r);
    return name !== undefined ? { person: r, name, role: 'responder' } : { name: r, role: 'responder' };
  });
}

/** Runbook passages for the incident's service and title, when the knowledge index is there to search. */
async function briefRunbooks(deps: IncidentBriefDeps, incident: Incident): Promise<BriefRunbook[]> {
  const runbooks: BriefRunbook[] = [];
  if (!deps.searchRunbooks) return runbooks;
  const query = [incident.service, incident.title].filter(Boolean).join(' ');
  for (const p of await deps.searchRunbooks(query))
    runbooks.push({
      title: p.document.title,
      uri: p.document.uri,
      headingPath: p.headingPath,
      text: p.text,
      ref: `runbook:${p.document.uri}${p.headingPath.length > 0 ? `#${p.headingPath.join(' > ')}` : ''}`,
    });
  return runbooks;
}
