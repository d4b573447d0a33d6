import { type TeamState, workingHoursBetween } from '@teamstate/core';
import { awaitingReviewAt, columns, createStoreReader, integer, nullable, sql, text, workItemTeam } from '@teamstate/core/store';
import { workingDays } from '../signals/sql.js';
import { field } from './digest-text.js';
import { requireTeam } from './team-scope.js';

const DAY = 86_400_000;

const waitingRows = columns({
  id: text,
  key: text,
  title: text,
  author_id: nullable(text),
  repository_id: nullable(text),
  ready: integer,
  size: integer,
  reviews: integer,
});
const ownershipRows = columns({ repository_id: text, person: text, n: integer });
const loadRows = columns({ reviewer_id: text, n: integer });
interface BuildRow {
  pull_request_id: string;
  head_sha: string | null;
  commit_sha: string;
  workflow: string;
  job: string | null;
  attempt: number;
  status: string;
  conclusion: string | null;
  at: number | null;
}
const buildRows = columns({
  pull_request_id: text,
  head_sha: nullable(text),
  commit_sha: text,
  workflow: text,
  job: nullable(text),
  attempt: integer,
  status: text,
  conclusion: nullable(text),
  at: nullable(integer),
});

/** The CI of a pull request's head commit: `failing` names the jobs whose latest attempt failed. */
export interface PullRequestBuild {
  state: 'failing' | 'running' | 'passing';
  /** `workflow / job` of each job whose latest attempt failed, timed out or could not start. */
  failing: string[];
}

const FAILED = new Set(['failure', 'timed_out', 'error']);

/**
 * The build state of each pull request from its builds: those of its head commit (when the PR names none, the commit
 * of its latest build), the latest attempt of each job. Red when one of them failed, running while one runs, else green.
 */
function buildStates(rows: readonly BuildRow[]): Map<string, PullRequestBuild> {
  const byPullRequest = new Map<string, BuildRow[]>();
  for (const row of rows) byPullRequest.set(row.pull_request_id, [...(byPullRequest.get(row.pull_request_id) ?? []), row]);
  const states = new Map<string, PullRequestBuild>();
  for (const [id, builds] of byPullRequest) {
    const latest = builds.reduce((a, b) => ((b.at ?? 0) > (a.at ?? 0) ? b : a));
    const head = builds[0]!.head_sha ?? latest.commit_sha;
    const jobs = new Map<string, BuildRow>();
    for (const build of builds.filter((b) => b.commit_sha === head)) {
      const job = build.job === null ? build.workflow : `${build.workflow} / ${build.job}`;
      const seen = jobs.get(job);
      if (!seen || build.attempt > seen.attempt) jobs.set(job, build);
    }
    if (jobs.size === 0) continue;
    const failing = [...jobs]
      .filter(([, b]) => b.status === 'completed' && FAILED.has(b.conclusion ?? ''))
      .map(([job]) => job)
      .sort();
    const running = [...jobs.values()].some((b) => b.status !== 'completed');
    states.set(id, { state: failing.length > 0 ? 'failing' : running ? 'running' : 'passing', failing });
  }
  return states;
}

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
  /** The CI of its head commit, when builds are known: a red build is for the author to fix before a review. */
  build?: PullRequestBuild;
}

/**
 * A team's open, ready PRs that are not approved and not waiting on their author, longest wait first,
 * each with the state of its build (red: a job's latest attempt on the head commit failed) and suggested reviewers: people who authored or reviewed the most PRs of that repository in
 * the last 90 days (CODEOWNERS-style ownership), fewest reviews in the last 7 days first among equals.
 */
export async function prReviewQueue(
  ts: TeamState,
  query: { team: string; limit?: number },
): Promise<{ team: string; total: number; pullRequests: QueuedPullRequest[]; text: string }> {
  const team = await requireTeam(ts, query.team);
  const now = ts.now().getTime();
  const db = createStoreReader(ts.store, ts.workspace);
  const workspace = ts.workspace;
  // The titles read here are shown to a reader: through the policy's free-text redaction, like every facade read. Each
  // PR's reviews are counted through the primary key's index, named: SQLite would rather walk a covering index of the
  // workspace's reviews.
  const waiting = ts.redact(
    await db.all(
      waitingRows,
      sql`SELECT w.id, w.key, w.title, w.author_id, w.repository_id, COALESCE(w.ready_at, w.created_at) AS ready, COALESCE(w.additions, 0) + COALESCE(w.deletions, 0) AS size,
       (SELECT count(*) FROM reviews v INDEXED BY sqlite_autoindex_reviews_1
          WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id) AS reviews
     FROM work_items w WHERE w.workspace = ${workspace} AND ${workItemTeam('w')} = ${team.id} AND ${awaitingReviewAt('w', now)}`,
    ),
  );
  const repos = [...new Set(waiting.flatMap((r) => (r.repository_id === null ? [] : [r.repository_id])))];
  const since = now - 90 * DAY;
  const ownership = repos.length
    ? await db.all(
        ownershipRows,
        sql`SELECT repository_id, person, count(*) AS n FROM (
           SELECT w.repository_id, w.author_id AS person FROM work_items w WHERE w.workspace = ${workspace} AND w.kind = 'pull_request' AND w.created_at >= ${since}
           UNION ALL
           SELECT w.repository_id, v.reviewer_id FROM reviews v JOIN work_items w ON w.workspace = v.workspace AND w.id = v.work_item_id WHERE v.workspace = ${workspace} AND v.submitted_at >= ${since}
         ) WHERE repository_id IN (SELECT value FROM json_each(${JSON.stringify(repos)})) AND person IS NOT NULL GROUP BY 1, 2`,
      )
    : [];
  const load = new Map(
    (
      await db.all(
        loadRows,
        sql`SELECT reviewer_id, count(*) AS n FROM reviews WHERE workspace = ${workspace} AND submitted_at >= ${now - 7 * DAY} AND submitted_at < ${now} GROUP BY 1`,
      )
    ).map((r) => [r.reviewer_id, r.n]),
  );
  const builds = buildStates(
    waiting.length
      ? await db.all(
          buildRows,
          sql`SELECT b.pull_request_id, w.head_sha, b.commit_sha, b.workflow, b.job, b.attempt, b.status, b.conclusion,
               COALESCE(b.completed_at, b.started_at) AS at
             FROM builds b JOIN work_items w ON w.workspace = b.workspace AND w.id = b.pull_request_id
             WHERE b.workspace = ${workspace} AND b.pull_request_id IN (SELECT value FROM json_each(${JSON.stringify(waiting.map((r) => r.id))}))`,
        )
      : [],
  );
  const names = new Map((await ts.people.list()).map((p) => [p.id, p.name]));
  const pullRequests = waiting
    .map((r): QueuedPullRequest => {
      const author = `${r.author_id}`;
      const suggested = ownership
        .filter((o) => o.repository_id === r.repository_id && o.person !== author && names.has(o.person))
        .map((o) => ({
          person: o.person,
          name: names.get(o.person)!,
          ownership: o.n,
          openReviews: load.get(o.person) ?? 0,
        }))
        // The two who know the repository best, then the less loaded of them first (as the tool describes it).
        .sort((a, b) => b.ownership - a.ownership || a.openReviews - b.openReviews || a.person.localeCompare(b.person))
        .slice(0, 2)
        .sort((a, b) => a.openReviews - b.openReviews || b.ownership - a.ownership || a.person.localeCompare(b.person));
      const build = builds.get(r.id);
      return {
        key: r.key,
        title: r.title,
        author,
        repository: r.repository_id ?? '',
        readyAt: new Date(r.ready).toISOString(),
        waitingWorkingHours: Math.round(workingHoursBetween(r.ready, now) * 10) / 10,
        size: r.size,
        reviews: r.reviews,
        suggestedReviewers: suggested,
        ...(build ? { build } : {}),
      };
    })
    .sort((a, b) => b.waitingWorkingHours - a.waitingWorkingHours || a.key.localeCompare(b.key))
    .slice(0, query.limit ?? 50);
  const total = waiting.length;
  const text = [
    `Review queue for ${field(team.name)}: ${total} pull request${total === 1 ? '' : 's'} waiting for review${total > pullRequests.length ? ` (the ${pullRequests.length} longest waits below)` : ''}`,
    ...pullRequests.map(
      (p) =>
        `  ${field(p.key)} ${field(p.title)} — waiting ${workingDays(p.waitingWorkingHours)}, ${p.size} lines${p.build?.state === 'failing' ? `; build red (${p.build.failing.map(field).join(', ')})` : ''}${p.suggestedReviewers.length ? `; ask ${p.suggestedReviewers.map((s) => field(s.name)).join(' or ')}` : ''}`,
    ),
  ].join('\n');
  return { team: team.id, total, pullRequests, text: `${text}\n` };
}
