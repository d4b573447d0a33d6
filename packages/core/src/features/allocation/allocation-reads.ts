import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { type ClassifiedItem, type CompiledRule, classify } from './work-types.js';

// What an allocation reads: the people's acts in the window (PRs opened and merged from their items, reviews of others'
// items, moves of the issues assigned to them from transitions) and the items they touched, each with its work type.

/** What the reads run on. */
export interface AllocationDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  /** The zone of people without one of their own: the workspace's `signals.workingHours.timeZone`, else UTC. */
  timeZone: string;
}

// An issue key as trackers write them (`PAY-131`), which a pull request's title or the top of its body names.
const ISSUE_KEY = /\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b/g;
/** How much of a body is searched for issue keys: a PR names its issue near the top. */
const BODY_SEARCHED = 2_000;

const actRow = columns({ person: text, item: text, at: integer });
const itemRow = columns({
  id: text,
  kind: text,
  labels: nullable(text),
  parent: nullable(text),
  paths: nullable(text),
  title: text,
  body: nullable(text),
});
const memberRow = columns({ team: text, person: text, zone: nullable(text) });

/** One act: a person touched an item at an instant. */
export interface Act {
  person: string;
  item: string;
  at: number;
}

/** The members of each team asked for, by team, and each member's time zone (theirs, else the workspace's). */
export async function membersOf(
  deps: AllocationDeps,
  teams: readonly string[],
): Promise<{ members: Map<string, string[]>; zones: Map<string, string> }> {
  const { rows } = await deps.store.execute(
    `SELECT m.team_id AS team, m.person_id AS person, p.time_zone AS zone FROM memberships m
     LEFT JOIN people p ON p.workspace = m.workspace AND p.id = m.person_id
     WHERE m.workspace = ? AND m.team_id IN (SELECT value FROM json_each(?))
     ORDER BY m.team_id, m.person_id`,
    [deps.workspace, JSON.stringify(teams)],
  );
  const members = new Map<string, string[]>(teams.map((team) => [team, []]));
  const zones = new Map<string, string>();
  for (const row of memberRow.all(rows)) {
    members.get(row.team)?.push(row.person);
    zones.set(row.person, row.zone ?? deps.timeZone);
  }
  return { members, zones };
}

/**
 * The acts of `people` in `[start, end)`, by person and time, person first: the pull requests they opened or merged
 * (their items by work_items_author_idx, each one's row for its kind and times), their reviews of others' items (their
 * window of reviews_reviewer_idx, each review's item by key for its author), and the moves of the issues assigned to
 * them (their assignments, then each item's moves by the transitions' key).
 */
export async function actsOf(deps: AllocationDeps, people: readonly string[], start: number, end: number): Promise<Act[]> {
  if (people.length === 0) return [];
  const { rows } = await deps.store.execute(
    `SELECT person, item, at FROM (
       SELECT p.key AS n, w.author_id AS person, w.id AS item, iif(m.merged, w.merged_at, w.created_at) AS at FROM json_each(?2) p
         CROSS JOIN work_items w INDEXED BY work_items_author_idx ON w.workspace = ?1 AND w.author_id = p.value
         CROSS JOIN (SELECT 0 AS merged UNION ALL SELECT 1) m
         WHERE w.kind = 'pull_request' AND iif(m.merged, w.merged_at, w.created_at) >= ?3 AND iif(m.merged, w.merged_at, w.created_at) < ?4
       UNION ALL SELECT p.key, r.reviewer_id, r.work_item_id, r.submitted_at FROM json_each(?2) p
         CROSS JOIN reviews r INDEXED BY reviews_reviewer_idx
           ON r.workspace = ?1 AND r.reviewer_id = p.value AND r.submitted_at >= ?3 AND r.submitted_at < ?4
         CROSS JOIN work_items i ON i.workspace = r.workspace AND i.id = r.work_item_id AND r.reviewer_id IS NOT i.author_id
       UNION ALL SELECT p.key, s.person_id, s.work_item_id, t.at FROM json_each(?2) p
         CROSS JOIN work_item_assignees s ON s.workspace = ?1 AND s.person_id = p.value
         CROSS JOIN transitions t ON t.workspace = s.workspace AND t.work_item_id = s.work_item_id AND t.at >= ?3 AND t.at < ?4
         CROSS JOIN work_items i ON i.workspace = s.workspace AND i.id = s.work_item_id AND i.kind <> 'pull_request')
     ORDER BY n, at, item`,
    [deps.workspace, JSON.stringify(people), start, end],
  );
  return actRow.all(rows);
}

const list = (json: string | null): string[] => {
  if (json === null) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

const classified = (row: {
  kind: string;
  labels: string | null;
  parent: string | null;
  paths: string | null;
  title: string;
}): ClassifiedItem => ({
  kind: row.kind,
  labels: list(row.labels),
  parent: row.parent,
  paths: list(row.paths),
  title: row.title,
});

/** An item's work type, whether a rule matched, and whether it is a pull request. */
export interface TypedItem {
  type: string;
  matched: boolean;
  pullRequest: boolean;
}

/**
 * The work type of each item: its own rules' answer, except that a pull request naming an issue (its key in the
 * title or the top of the body) takes that issue's type.
 */
export async function typesOf(
  deps: AllocationDeps,
  rules: readonly CompiledRule[],
  ids: readonly string[],
): Promise<Map<string, TypedItem>> {
  const out = new Map<string, TypedItem>();
  if (ids.length === 0) return out;
  const { rows } = await deps.store.execute(
    `SELECT w.id, w.kind, w.labels, w.parent, w.paths, w.title,
       CASE WHEN w.kind = 'pull_request' THEN substr(COALESCE(w.body, ''), 1, ${BODY_SEARCHED}) END AS body
     FROM json_each(?2) i CROSS JOIN work_items w ON w.workspace = ?1 AND w.id = i.value`,
    [deps.workspace, JSON.stringify(ids)],
  );
  const items = itemRow.all(rows);
  const keysOf = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'pull_request') continue;
    const keys = [...`${item.title}\n${item.body ?? ''}`.matchAll(ISSUE_KEY)].map((m) => m[0]);
    if (keys.length > 0) keysOf.set(item.id, keys);
  }
  const issues = await issuesByKey(deps, rules, [...new Set([...keysOf.values()].flat())]);
  for (const item of items) {
    const pullRequest = item.kind === 'pull_request';
    const linked = (keysOf.get(item.id) ?? []).map((key) => issues.get(key)).find((issue) => issue !== undefined);
    out.set(item.id, { ...(linked ?? classify(rules, classified(item))), pullRequest });
  }
  return out;
}

/** The types of the issues with these keys (not pull requests). */
async function issuesByKey(
  deps: AllocationDeps,
  rules: readonly CompiledRule[],
  keys: readonly string[],
): Promise<Map<string, { type: string; matched: boolean }>> {
  const out = new Map<string, { type: string; matched: boolean }>();
  if (keys.length === 0) return out;
  const { rows } = await deps.store.execute(
    `SELECT w.key AS id, w.kind, w.labels, w.parent, w.paths, w.title, NULL AS body
     FROM json_each(?2) k CROSS JOIN work_items w INDEXED BY work_items_key_idx ON w.workspace = ?1 AND w.key = k.value
     WHERE w.kind <> 'pull_request'`,
    [deps.workspace, JSON.stringify(keys)],
  );
  for (const row of itemRow.all(rows)) if (!out.has(row.id)) out.set(row.id, classify(rules, classified(row)));
  return out;
}
