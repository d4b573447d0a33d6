import { type TeamState, workingHoursBetween } from '@teamstate/core';
import { workingDays } from '../signals/sql.js';
import { requireTeam } from './team-scope.js';

const DAY = 86_400_000;

/** A PR waiting for review, with who could review it. */
export interface QueuedPullRequest {
  key: string;
  title: string;
  author: string;
  repository: string;
  readyAt: string;
  waitingWorkingHours: number;
  size: number;
  reviews: number;
  suggestedReviewers: { person: string; name: string; ownership: number; openReviews: number }[];
}

/**
 * A team's open, ready PRs that are not approved and not waiting on their author, longest wait first,
 * each with suggested reviewers: people who authored or reviewed the most PRs of that repository in
 * the last 90 days (CODEOWNERS-style ownership), fewest reviews in the last 7 days first among equals.
 */
export async function prReviewQueue(
  ts: TeamState,
  query: { team: string; limit?: number },
): Promise<{ team: string; pullRequests: QueuedPullRequest[]; text: string }> {
  const team = await requireTeam(ts, query.team);
  const now = ts.now().getTime();
  const q = async (sql: string, args: (string | number)[]) => (await ts.store.execute(sql, [ts.workspace, ...args])).rows;
  const waiting = await q(
    `SELECT w.id, w.key, w.title, w.author_id, w.repository_id, COALESCE(w.ready_at, w.created_at) AS ready, COALESCE(w.additions, 0) + COALESCE(w.deletions, 0) AS size,
       (SELECT count(*) FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id) AS reviews
     FROM work_items w JOIN repositories r ON r.workspace = w.workspace AND r.id = w.repository_id
     WHERE w.workspace = ?1 AND r.team_id = ?2 AND w.kind = 'pull_request' AND w.state = 'open' AND COALESCE(w.draft, 0) = 0
       AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.state = 'approved')
       AND COALESCE((SELECT v.state FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id ORDER BY v.seq DESC LIMIT 1), '') <> 'changes_requested'`,
    [team.id],
  );
  const repos = [...new Set(waiting.map((r) => String(r.repository_id)))];
  const ownership = repos.length
    ? await q(
        `SELECT repository_id, person, count(*) AS n FROM (
           SELECT w.repository_id, w.author_id AS person FROM work_items w WHERE w.workspace = ?1 AND w.kind = 'pull_request' AND w.created_at >= ?2
           UNION ALL
           SELECT w.repository_id, v.reviewer_id FROM reviews v JOIN work_items w ON w.workspace = v.workspace AND w.id = v.work_item_id WHERE v.workspace = ?1 AND v.submitted_at >= ?2
         ) WHERE repository_id IN (SELECT value FROM json_each(?3)) AND person IS NOT NULL GROUP BY 1, 2`,
        [now - 90 * DAY, JSON.stringify(repos)],
      )
    : [];
  const load = new Map(
    (
      await q('SELECT reviewer_id, count(*) AS n FROM reviews WHERE workspace = ? AND submitted_at >= ? AND submitted_at < ? GROUP BY 1', [
        now - 7 * DAY,
        now,
      ])
    ).map((r) => [String(r.reviewer_id), Number(r.n)]),
  );
  const names = new Map((await ts.people.list()).map((p) => [p.id, p.name]));
  const pullRequests = waiting
    .map((r): QueuedPullRequest => {
      const author = String(r.author_id);
      const suggested = ownership
        .filter((o) => o.repository_id === r.repository_id && o.person !== author && names.has(String(o.person)))
        .map((o) => ({
          person: String(o.person),
          name: names.get(String(o.person))!,
          ownership: Number(o.n),
          openReviews: load.get(String(o.person)) ?? 0,
        }))
        .sort((a, b) => b.ownership - a.ownership || a.openReviews - b.openReviews || a.person.localeCompare(b.person))
        .slice(0, 2);
      return {
        key: String(r.key),
        title: String(r.title),
        author,
        repository: String(r.repository_id),
        readyAt: new Date(Number(r.ready)).toISOString(),
        waitingWorkingHours: Math.round(workingHoursBetween(Number(r.ready), now) * 10) / 10,
        size: Number(r.size),
        reviews: Number(r.reviews),
        suggestedReviewers: suggested,
      };
    })
    .sort((a, b) => b.waitingWorkingHours - a.waitingWorkingHours || a.key.localeCompare(b.key))
    .slice(0, query.limit ?? 50);
  const text = [
    `Review queue for ${team.name}: ${pullRequests.length} pull request${pullRequests.length === 1 ? '' : 's'} waiting`,
    ...pullRequests.map(
      (p) =>
        `  ${p.key} ${p.title} — waiting ${workingDays(p.waitingWorkingHours)}, ${p.size} lines${p.suggestedReviewers.length ? `; ask ${p.suggestedReviewers.map((s) => s.name).join(' or ')}` : ''}`,
    ),
  ].join('\n');
  return { team: team.id, pullRequests, text: `${text}\n` };
}
