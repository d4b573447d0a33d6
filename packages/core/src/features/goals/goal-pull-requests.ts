import { columns, text } from '../../kernel/store/row-decoder.js';
import { type GoalRowRef, type GoalsReadDeps, REACH, reached } from './goal-numbers.js';

/** The merged pull requests of the window per goal, and those linked to any goal; each with its row. */
export interface PullRequestAllocation {
  /** A goal's merged pull requests, by id. */
  of(goal: string): GoalRowRef[];
  /** The merged pull requests linked to any goal of the scope, by id. */
  linked: ReadonlySet<string>;
  /** The merged pull requests no goal reaches, by id. */
  unlinked: GoalRowRef[];
}

// An issue key as trackers write them (`PAY-131`): a project key of capitals and digits, a dash, a number.
const ISSUE_KEY = /\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b/g;
/** How much of a body is searched for issue keys: a PR names the issue it works on near the top. */
const BODY_SEARCHED = 4_000;

const prRow = columns({ id: text, key: text, title: text, text: text });
const goalRow = columns({ goal: text, id: text, key: text, title: text });
const keyRow = columns({ goal: text, key: text });

/**
 * The window's merged pull requests the goals reach directly (a link reaches the PR itself: its parent is a linked
 * epic, it carries a linked label, it is in a linked project). ?1 workspace, ?2 links, ?3 scope team, ?4 from, ?5 to.
 */
const DIRECT = `WITH ${REACH}
  SELECT p.goal, w.id, w.key, w.title FROM parents p CROSS JOIN work_items w INDEXED BY work_items_parent_idx
    WHERE w.workspace = ?1 AND w.parent = p.parent AND w.kind = 'pull_request' AND w.merged_at >= ?4 AND w.merged_at < ?5
      AND ${reached('p')}
  UNION SELECT o.goal, w.id, w.key, w.title FROM others o JOIN work_items w ON w.rowid = o.item
    WHERE o.kind = 'pull_request' AND o.merged_at >= ?4 AND o.merged_at < ?5`;

/**
 * The goals an issue key leads to: the issue's own links (label, project, milestone), its parent epic's, or its
 * grandparent's (a sub-task under a story under an epic); an epic's key leads to the epic's goals. ?1 workspace,
 * ?2 links, ?3 scope team, ?4 the keys as a JSON array.
 */
const BY_KEY = `WITH ${REACH},
  keyed(key) AS (SELECT DISTINCT value FROM json_each(?4)),
  items AS MATERIALIZED (
    SELECT w.rowid AS item, w.id, w.key, w.kind, w.team_id, w.parent,
      COALESCE((SELECT g.parent FROM work_items g INDEXED BY work_items_key_idx WHERE g.workspace = ?1 AND g.key = w.parent LIMIT 1),
        (SELECT g.parent FROM work_items g WHERE g.workspace = ?1 AND g.id = w.parent)) AS grand
    FROM keyed CROSS JOIN work_items w INDEXED BY work_items_key_idx ON w.workspace = ?1 AND w.key = keyed.key
    WHERE w.kind <> 'pull_request')
  SELECT DISTINCT p.goal, i.key FROM items i JOIN parents p
    ON (p.parent = i.parent OR p.parent = i.grand OR (i.kind = 'epic' AND (p.parent = i.key OR p.parent = i.id)))
      AND (p.team IS NULL OR i.team_id = p.team)
  UNION SELECT o.goal, i.key FROM items i JOIN others o ON o.item = i.item`;

/**
 * Where the window's merged pull requests go: to the goals that reach them directly, and to the goals of the issues
 * they name (an issue key in the title or the top of the body, as a branch-named PR's title or a tracker's smart
 * commit carries it), through the issue's epic or parent. A PR naming issues of two goals counts for both.
 */
export async function readPullRequestAllocation(
  deps: GoalsReadDeps,
  links: string,
  team: string | null,
  from: number,
  to: number,
): Promise<PullRequestAllocation> {
  const teamOnly = team === null ? '' : ' AND team_id = ?4';
  const [direct, merged] = await Promise.all([
    deps.store.readAside(DIRECT, [deps.workspace, links, team, from, to]),
    deps.store.readAside(
      `SELECT id, key, title, title || char(10) || substr(COALESCE(body, ''), 1, ${BODY_SEARCHED}) AS text FROM work_items
       WHERE workspace = ?1 AND kind = 'pull_request' AND merged_at >= ?2 AND merged_at < ?3${teamOnly}`,
      team === null ? [deps.workspace, from, to] : [deps.workspace, from, to, team],
    ),
  ]);
  const byGoal = new Map<string, Map<string, GoalRowRef>>();
  const add = (goal: string, row: GoalRowRef) => {
    const rows = byGoal.get(goal) ?? new Map<string, GoalRowRef>();
    if (rows.size === 0) byGoal.set(goal, rows);
    rows.set(row.id, row);
  };
  for (const row of goalRow.all(direct.rows)) add(row.goal, { id: row.id, key: row.key, title: row.title });
  const prs = prRow.all(merged.rows).map((pr) => ({ ...pr, keys: [...new Set(pr.text.match(ISSUE_KEY) ?? [])] }));
  const keys = [...new Set(prs.flatMap((pr) => pr.keys))];
  if (keys.length > 0) {
    const { rows } = await deps.store.readAside(BY_KEY, [deps.workspace, links, team, JSON.stringify(keys)]);
    const goalsOf = new Map<string, string[]>();
    for (const row of keyRow.all(rows)) goalsOf.set(row.key, [...(goalsOf.get(row.key) ?? []), row.goal]);
    for (const pr of prs)
      for (const key of pr.keys) for (const goal of goalsOf.get(key) ?? []) add(goal, { id: pr.id, key: pr.key, title: pr.title });
  }
  const linked = new Set([...byGoal.values()].flatMap((rows) => [...rows.keys()]));
  const byId = (a: GoalRowRef, b: GoalRowRef) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    of: (goal) => [...(byGoal.get(goal)?.values() ?? [])].sort(byId),
    linked,
    unlinked: prs
      .filter((pr) => !linked.has(pr.id))
      .map(({ id, key, title }) => ({ id, key, title }))
      .sort(byId),
  };
}
