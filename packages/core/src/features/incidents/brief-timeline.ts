import type { Incident } from '../../kernel/model/delivery.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import type { BriefWindow, IncidentBriefDeps } from './brief-deps.js';
import type { BriefTimelineEntry } from './brief-types.js';

/** How many entries a brief's timeline keeps (the earliest ones). */
export const TIMELINE_LIMIT = 400;

const deploymentEntries = columns({ id: text, repository_id: text, environment: text, status: text, finished_at: integer });
const mergeEntries = columns({ id: text, key: text, title: text, merged_at: integer, repository_id: nullable(text) });
const signalEntries = columns({ fingerprint: text, title: text, severity: text, first_seen_at: integer });

/**
 * The timeline: the incident's own entries, and the scope's deployments, merges and signals from 24 h before it began;
 * the earliest {@link TIMELINE_LIMIT}.
 */
export async function briefTimeline(
  deps: IncidentBriefDeps,
  incident: Incident,
  scope: { team: string | undefined; repositories: readonly string[] },
  window: BriefWindow,
): Promise<BriefTimelineEntry[]> {
  const timeline = incidentEntries(incident);
  if (scope.repositories.length > 0) timeline.push(...(await repositoryEntries(deps, scope.repositories, window)));
  if (scope.team !== undefined) timeline.push(...(await signalEntriesOf(deps, scope.team, window)));
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  timeline.splice(TIMELINE_LIMIT);
  return timeline;
}

/** The incident's own timeline, with its triggering and resolution when the timeline does not have them. */
function incidentEntries(incident: Incident): BriefTimelineEntry[] {
  const timeline: BriefTimelineEntry[] = [];
  (incident.timeline ?? []).forEach((e, n) => {
    timeline.push({
      at: e.at,
      kind: e.kind,
      text: e.text ?? e.kind,
      ...(e.actor ? { actor: e.actor } : {}),
      ref: `incident:${incident.id}#${n}`,
    });
  });
  if (!(incident.timeline ?? []).some((e) => e.kind === 'triggered'))
    timeline.push({ at: incident.createdAt, kind: 'triggered', text: incident.title, ref: `incident:${incident.id}` });
  if (incident.resolvedAt !== undefined && !(incident.timeline ?? []).some((e) => e.kind === 'resolved'))
    timeline.push({ at: incident.resolvedAt, kind: 'resolved', text: 'resolved', ref: `incident:${incident.id}` });
  return timeline;
}

/** The deployments and merged pull requests of the scope's repositories in the window. */
async function repositoryEntries(
  deps: IncidentBriefDeps,
  repositories: readonly string[],
  window: BriefWindow,
): Promise<BriefTimelineEntry[]> {
  const { store, workspace } = deps;
  const repos = JSON.stringify(repositories);
  const entries: BriefTimelineEntry[] = [];
  const deployments = deploymentEntries.all(
    (
      await store.execute(
        `SELECT d.id, d.repository_id, d.environment, d.status, d.finished_at FROM json_each(?2) j
          JOIN deployments d INDEXED BY deployments_repository_finished_idx
            ON d.workspace = ?1 AND d.repository_id = j.value AND d.finished_at >= ?3 AND d.finished_at <= ?4
          ORDER BY d.finished_at, d.id LIMIT ${TIMELINE_LIMIT}`,
        [workspace, repos, window.from, window.until],
      )
    ).rows,
  );
  for (const d of deployments)
    entries.push({
      at: formatTimestamp(d.finished_at),
      kind: 'deployment',
      text: `${d.repository_id} deployed to ${d.environment} (${d.status})`,
      ref: `deployment:${d.id}`,
    });
  const merges = mergeEntries.all(
    (
      await store.execute(
        `SELECT w.id, w.key, w.title, w.merged_at, w.repository_id FROM json_each(?2) j
          JOIN work_items w INDEXED BY work_items_repository_merged_idx
            ON w.workspace = ?1 AND w.repository_id = j.value AND w.merged_at >= ?3 AND w.merged_at <= ?4
          WHERE w.kind = 'pull_request' ORDER BY w.merged_at, w.id LIMIT ${TIMELINE_LIMIT}`,
        [workspace, repos, window.from, window.until],
      )
    ).rows,
  );
  for (const w of merges)
    entries.push({ at: formatTimestamp(w.merged_at), kind: 'merge', text: `merged ${w.key}: ${w.title}`, ref: `pull_request:${w.id}` });
  return entries;
}

/** The signals of the team first seen in the window. */
async function signalEntriesOf(deps: IncidentBriefDeps, team: string, window: BriefWindow): Promise<BriefTimelineEntry[]> {
  const signals = signalEntries.all(
    (
      await deps.store.execute(
        `SELECT fingerprint, title, severity, first_seen_at FROM signals
          WHERE workspace = ? AND team_id = ? AND first_seen_at >= ? AND first_seen_at <= ? ORDER BY first_seen_at, fingerprint LIMIT ${TIMELINE_LIMIT}`,
        [deps.workspace, team, window.from, window.until],
      )
    ).rows,
  );
  return signals.map((s) => ({
    at: formatTimestamp(s.first_seen_at),
    kind: 'signal',
    text: `${s.severity}: ${s.title}`,
    ref: `signal:${s.fingerprint}`,
  }));
}
