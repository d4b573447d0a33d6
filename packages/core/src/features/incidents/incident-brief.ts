import type { Incident } from '../../kernel/model/delivery.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { unknownId } from '../../records/arguments.js';
import { incidentFromRow } from '../../records/store/records.js';
import { tableSpecs as t } from '../../records/store/table-specs.js';
import type { BriefPerson, BriefRunbook, BriefTimelineEntry } from './brief-types.js';
import { type BriefDrafts, draftPostmortem, draftStatusUpdate } from './drafts.js';
import { type Candidate, rankSuspects, SUSPECT_WINDOW_MS, type Suspect } from './suspects.js';

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

export interface IncidentBriefDeps {
  store: Pick<Store, 'execute'>;
  workspace: string;
  clock: () => Date;
  productionEnvironments: readonly string[];
  /** Runbook passages for a query (the knowledge index, read as the caller). */
  searchRunbooks?: (query: string) => Promise<{ text: string; headingPath: string[]; document: { title: string; uri: string } }[]>;
}

/** How many entries a brief's timeline keeps (the earliest ones). */
export const TIMELINE_LIMIT = 400;

const candidateRows = columns({
  id: text,
  repository_id: text,
  environment: text,
  status: text,
  sha: nullable(text),
  finished_at: integer,
  team_id: nullable(text),
  has_list: integer,
  rolled_back_by: nullable(text),
});
const prRows = columns({ deployment: text, id: text, paths: nullable(text) });
const prPaths = columns({ id: text, paths: nullable(text) });
const spanRows = columns({ id: text, repository_id: text, upto: integer, since: integer });
const deploymentEntries = columns({ id: text, repository_id: text, environment: text, status: text, finished_at: integer });
const mergeEntries = columns({ id: text, key: text, title: text, merged_at: integer, repository_id: nullable(text) });
const signalEntries = columns({ fingerprint: text, title: text, severity: text, first_seen_at: integer });
const personRows = columns({ id: text, name: text });
const shiftRows = columns({
  source: text,
  escalation_policy: text,
  escalation_policy_name: nullable(text),
  level: integer,
  schedule: text,
  schedule_name: nullable(text),
  service: text,
  person_id: text,
  name: text,
  start_at: integer,
  end_at: nullable(integer),
  at: integer,
});
/** How many on-call shifts a brief lists at most. */
const ONCALL_LIMIT = 20;

/** The effective status of an incident: its own, else resolved when it has a resolution, else triggered. */
export function incidentStatus(incident: Incident): 'triggered' | 'acknowledged' | 'resolved' {
  return incident.status ?? (incident.resolvedAt !== undefined ? 'resolved' : 'triggered');
}

const environmentMatch = (alias: string, patterns: readonly string[]) =>
  `(${patterns.map(() => `lower(${alias}.environment) GLOB ?`).join(' OR ') || '0'})`;

/** Builds the brief of incident `id` (docs/incidents.md). */
export async function incidentBrief(deps: IncidentBriefDeps, id: string): Promise<IncidentBrief> {
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
  const incident = incidentFromRow(found[0]!);
  const start = Date.parse(incident.createdAt);
  const now = deps.clock().getTime();
  const from = start - SUSPECT_WINDOW_MS;
  const until = Math.max(start, now);
  const team =
    incident.team ??
    (incident.repository === undefined
      ? undefined
      : (((await store.execute('SELECT team_id FROM repositories WHERE workspace = ? AND id = ?', [workspace, incident.repository])).rows[0]
          ?.team_id as string | null | undefined) ?? undefined));
  const scopeRepos = team
    ? (await store.execute('SELECT id FROM repositories WHERE workspace = ? AND team_id = ? ORDER BY id', [workspace, team])).rows.map(
        (r) => String(r.id),
      )
    : [];
  if (incident.repository !== undefined && !scopeRepos.includes(incident.repository)) scopeRepos.push(incident.repository);

  const patterns = deps.productionEnvironments.map((p) => p.toLowerCase());
  // Candidates: production deployments (any status) finished in [start − 24 h, start], and the one the incident names.
  const candidateSql = `SELECT d.id, d.repository_id, d.environment, d.status, d.sha, d.finished_at, r.team_id,
      d.has_pull_request_list AS has_list,
      (SELECT later.id FROM deployments later
        WHERE later.workspace = d.workspace AND later.repository_id = d.repository_id AND later.environment = d.environment
          AND later.finished_at > d.finished_at AND later.finished_at <= ? AND later.status = 'success'
          AND later.sha IS NOT NULL AND later.sha IS NOT d.sha
          AND later.sha = (SELECT prev.sha FROM deployments prev
            WHERE prev.workspace = d.workspace AND prev.repository_id = d.repository_id AND prev.environment = d.environment
              AND prev.finished_at < d.finished_at AND prev.status = 'success' ORDER BY prev.finished_at DESC, prev.id DESC LIMIT 1)
        ORDER BY later.finished_at, later.id LIMIT 1) AS rolled_back_by
    FROM deployments d LEFT JOIN repositories r ON r.workspace = d.workspace AND r.id = d.repository_id
    WHERE d.workspace = ? AND ${environmentMatch('d', patterns)}
      AND d.id IN (SELECT w.id FROM deployments w INDEXED BY deployments_finished_idx WHERE w.workspace = ? AND w.finished_at >= ? AND w.finished_at <= ?
        UNION SELECT ?)`;
  const candidates = candidateRows.all(
    (await store.execute(candidateSql, [until, workspace, ...patterns, workspace, from, start, incident.deployment ?? null] as InValue[]))
      .rows,
  );
  // Each candidate's pull requests: its list, else those of its repository merged since the deployment before it.
  const ids = JSON.stringify(candidates.map((c) => c.id));
  // Listed PRs by the list's primary key; the others of each repository merged since the deployment before it, by the
  // repository's merged index (a correlated bound inside the join made the planner scan every work item).
  const listed = prRows.all(
    (
      await store.execute(
        `SELECT l.deployment_id AS deployment, w.id, w.paths FROM json_each(?2) j
          CROSS JOIN deployment_pull_requests l ON l.workspace = ?1 AND l.deployment_id = j.value
          CROSS JOIN work_items w ON w.workspace = l.workspace AND w.id = l.work_item_id`,
        [workspace, ids],
      )
    ).rows,
  );
  const spans = spanRows.all(
    (
      await store.execute(
        `SELECT d.id, d.repository_id, d.finished_at AS upto,
            COALESCE((SELECT p.finished_at FROM deployments p INDEXED BY deployments_latest_idx
              WHERE p.workspace = d.workspace AND p.repository_id = d.repository_id AND p.environment = d.environment
                AND p.finished_at < d.finished_at ORDER BY p.finished_at DESC LIMIT 1), d.finished_at - ${SUSPECT_WINDOW_MS}) AS since
          FROM json_each(?2) j CROSS JOIN deployments d ON d.workspace = ?1 AND d.id = j.value WHERE d.has_pull_request_list = 0`,
        [workspace, ids],
      )
    ).rows,
  );
  const merged: { deployment: string; id: string; paths: string | null }[] = [];
  for (const span of spans) {
    const { rows } = await store.execute(
      `SELECT w.id, w.paths FROM work_items w INDEXED BY work_items_repository_merged_idx
        WHERE w.workspace = ? AND w.repository_id = ? AND w.merged_at > ? AND w.merged_at <= ? AND w.kind = 'pull_request'`,
      [workspace, span.repository_id, span.since, span.upto],
    );
    for (const row of prPaths.all(rows)) merged.push({ deployment: span.id, ...row });
  }
  const prs = [...listed, ...merged].sort((a, b) =>
    a.deployment < b.deployment ? -1 : a.deployment > b.deployment ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const byDeployment = new Map<string, { id: string; paths: string[] }[]>();
  for (const pr of prs) {
    const list = byDeployment.get(pr.deployment) ?? [];
    list.push({ id: pr.id, paths: pr.paths === null ? [] : (JSON.parse(pr.paths) as string[]) });
    byDeployment.set(pr.deployment, list);
  }
  const suspects = rankSuspects(
    {
      id: incident.id,
      createdAt: start,
      repository: incident.repository ?? null,
      team: team ?? null,
      service: incident.service ?? null,
      deployment: incident.deployment ?? null,
    },
    candidates.map(
      (c): Candidate => ({
        id: c.id,
        repository: c.repository_id,
        environment: c.environment,
        status: c.status,
        sha: c.sha,
        finishedAt: c.finished_at,
        team: c.team_id,
        pullRequests: byDeployment.get(c.id) ?? [],
        rolledBackBy: c.rolled_back_by,
      }),
    ),
  );

  // The timeline: the incident's own entries, and the scope's deployments, merges and signals from 24 h before it began.
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
  if (scopeRepos.length > 0) {
    const repos = JSON.stringify(scopeRepos);
    const deployments = deploymentEntries.all(
      (
        await store.execute(
          `SELECT d.id, d.repository_id, d.environment, d.status, d.finished_at FROM json_each(?2) j
            JOIN deployments d INDEXED BY deployments_repository_finished_idx
              ON d.workspace = ?1 AND d.repository_id = j.value AND d.finished_at >= ?3 AND d.finished_at <= ?4
            ORDER BY d.finished_at, d.id LIMIT ${TIMELINE_LIMIT}`,
          [workspace, repos, from, until],
        )
      ).rows,
    );
    for (const d of deployments)
      timeline.push({
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
          [workspace, repos, from, until],
        )
      ).rows,
    );
    for (const w of merges)
      timeline.push({ at: formatTimestamp(w.merged_at), kind: 'merge', text: `merged ${w.key}: ${w.title}`, ref: `pull_request:${w.id}` });
  }
  if (team !== undefined) {
    const signals = signalEntries.all(
      (
        await store.execute(
          `SELECT fingerprint, title, severity, first_seen_at FROM signals
            WHERE workspace = ? AND team_id = ? AND first_seen_at >= ? AND first_seen_at <= ? ORDER BY first_seen_at, fingerprint LIMIT ${TIMELINE_LIMIT}`,
          [workspace, team, from, until],
        )
      ).rows,
    );
    for (const s of signals)
      timeline.push({
        at: formatTimestamp(s.first_seen_at),
        kind: 'signal',
        text: `${s.severity}: ${s.title}`,
        ref: `signal:${s.fingerprint}`,
      });
  }
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  timeline.splice(TIMELINE_LIMIT);

  const oncall = await oncallOf(deps, incident, team, start, incidentStatus(incident) === 'resolved' ? undefined : now);
  const responderIds = incident.responders ?? [];
  const known =
    responderIds.length === 0
      ? []
      : personRows.all(
          (
            await store.execute('SELECT id, name FROM people WHERE workspace = ? AND id IN (SELECT value FROM json_each(?))', [
              workspace,
              JSON.stringify(responderIds),
            ])
          ).rows,
        );
  const names = new Map(known.map((p) => [p.id, p.name]));
  const responders: BriefPerson[] = responderIds.map((r) =>
    names.has(r) ? { person: r, name: names.get(r)!, role: 'responder' } : { name: r, role: 'responder' },
  );

  const runbooks: BriefRunbook[] = [];
  if (deps.searchRunbooks) {
    const query = [incident.service, incident.title].filter(Boolean).join(' ');
    for (const p of await deps.searchRunbooks(query))
      runbooks.push({
        title: p.document.title,
        uri: p.document.uri,
        headingPath: p.headingPath,
        text: p.text,
        ref: `runbook:${p.document.uri}${p.headingPath.length > 0 ? `#${p.headingPath.join(' > ')}` : ''}`,
      });
  }

  const status = incidentStatus(incident);
  const briefIncident = { ...incident, status, source: incident.source ?? 'import', ...(team ? { team } : {}) };
  const parts = { incident: briefIncident, timeline, suspects, oncall, responders, runbooks };
  return { ...parts, drafts: { statusUpdate: draftStatusUpdate(parts), postmortem: draftPostmortem(parts) } };
}

/**
 * Who was on call when the incident began (and, while it is open, who is on call `now`): the shifts of its service
 * covering that moment (else of its team: its own policies, else its services'), by level; without any, the team's leads, their role saying no on-call is known.
 */
async function oncallOf(
  deps: IncidentBriefDeps,
  incident: Incident,
  team: string | undefined,
  start: number,
  now: number | undefined,
): Promise<BriefPerson[]> {
  const { store, workspace } = deps;
  const moments = now === undefined || now <= start ? [start] : [start, now];
  // The shifts of the incident's service; else (none known for it) those of its team.
  const shiftsBy = async (column: 'service' | 'team_id', value: string | undefined) => {
    const found: ReturnType<typeof shiftRows.all> = [];
    if (value === undefined) return found;
    const index = column === 'service' ? 'oncalls_service_idx' : 'oncalls_team_idx';
    for (const at of moments) {
      const { rows } = await store.execute(
        `SELECT o.source, o.escalation_policy, o.escalation_policy_name, o.level, o.schedule, o.schedule_name, o.service, o.person_id,
            p.name, o.start_at, o.end_at, ?3 AS at
          FROM oncalls o INDEXED BY ${index} JOIN people p ON p.workspace = o.workspace AND p.id = o.person_id
          WHERE o.workspace = ?1 AND o.${column} = ?2 AND o.start_at <= ?3 AND (o.end_at IS NULL OR o.end_at > ?3)
          ORDER BY o.level, p.name, o.person_id, o.escalation_policy, o.schedule LIMIT ${ONCALL_LIMIT}`,
        [workspace, value, at],
      );
      found.push(...shiftRows.all(rows));
    }
    return found;
  };
  let shifts = await shiftsBy('service', incident.service);
  if (shifts.length === 0) {
    // The team's own policies (shifts of no service) when it has any, else every shift of its services.
    shifts = await shiftsBy('team_id', team);
    if (shifts.some((s) => s.service === '')) shifts = shifts.filter((s) => s.service === '');
  }
  if (shifts.length > 0) {
    const seen = new Set<string>();
    const people: { level: number; order: number; person: BriefPerson }[] = [];
    for (const s of shifts) {
      const key = `${s.source}\u0000${s.escalation_policy}\u0000${s.level}\u0000${s.person_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const bounded = s.start_at !== 0 || s.end_at !== null;
      const when = !bounded ? '' : s.at === start ? ' when it began' : ' now';
      const policy = s.escalation_policy_name ?? s.escalation_policy;
      const schedule = s.schedule === '' ? '' : ` (${s.schedule_name ?? s.schedule})`;
      const optional = {
        schedule: s.schedule || undefined,
        start: s.start_at === 0 ? undefined : formatTimestamp(s.start_at),
        end: s.end_at === null ? undefined : formatTimestamp(s.end_at),
      };
      people.push({
        level: s.level,
        order: s.at === start ? 0 : 1,
        person: Object.assign(
          {
            person: s.person_id,
            name: s.name,
            role: `level ${s.level} of ${policy}${schedule}${when}`,
            source: s.source,
            escalationPolicy: s.escalation_policy,
            level: s.level,
          },
          Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
        ),
      });
    }
    people.sort((a, b) => a.level - b.level || a.order - b.order);
    return people.slice(0, ONCALL_LIMIT).map((p) => p.person);
  }
  if (team === undefined) return [];
  const { rows } = await store.execute(
    `SELECT p.id, p.name FROM team_leads l JOIN people p ON p.workspace = l.workspace AND p.id = l.person_id
      WHERE l.workspace = ? AND l.team_id = ? ORDER BY p.name, p.id`,
    [workspace, team],
  );
  return personRows.all(rows).map((p) => ({ person: p.id, name: p.name, role: `lead of team ${team} (no on-call known)` }));
}
