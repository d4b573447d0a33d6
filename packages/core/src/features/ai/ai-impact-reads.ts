import type { Store } from '../../kernel/store/open-store.js';
import { columns, flag, integer, nullable, text } from '../../kernel/store/row-decoder.js';

const HOUR = 3_600_000;
const REWORK_WINDOW = 21 * 24 * HOUR;

/** A merged pull request of the window, with its first review by someone else, review rounds and whether it was reworked. */
const mergedPullRequest = columns({
  merged_at: integer,
  created_at: integer,
  first_commit_at: nullable(integer),
  ready_at: nullable(integer),
  additions: nullable(integer),
  deletions: nullable(integer),
  ai_assisted: nullable(integer),
  /** The `ai.tools` JSON array, NULL when the evidence names none. */
  tools: nullable(text),
  first_review_at: nullable(integer),
  changes_requested: integer,
  reworked: flag,
});

/** A reviewer's survey answer about a merged pull request, with the author's own answer (`assisted`). */
const reviewerAnswer = columns({
  ai_assisted: nullable(integer),
  quality: nullable(integer),
  guess: nullable(integer),
  author_said: nullable(text),
});

/** A merged pull request, measured: hours to merge and to first review, review rounds, size, and rework. */
export interface Measured {
  assisted: boolean;
  tools: string[];
  mergedAt: number;
  cycle: number;
  firstReview: number | null;
  rounds: number;
  size: number | null;
  reworked: boolean;
}

/** What reviewers said in pull request surveys: mean quality (1-5) per group, and their guesses against the author. */
export interface AiReviewAnswers {
  quality: { assisted: number | null; assistedRatings: number; other: number | null; otherRatings: number };
  guesses: { correct: number; total: number; accuracy: number | null };
}

/** Which merged pull requests an analysis reads: a team's (its own, or its repository's) and a repository's. */
export interface ImpactScope {
  /** SQL conditions on the pull request `w`, each starting with ` AND`. */
  scope: string;
  /** The workspace, the window's bounds, then the conditions' values. */
  args: (string | number)[];
}

/** The scope of a query over the window `[from, to)`. */
export function impactScope(workspace: string, from: number, to: number, query: { team?: string; repository?: string }): ImpactScope {
  const args: (string | number)[] = [workspace, from, to];
  let scope = '';
  if (query.team !== undefined) {
    scope +=
      ' AND (w.team_id = ? OR w.repository_id IN (SELECT r.id FROM repositories r WHERE r.workspace = w.workspace AND r.team_id = ?))';
    args.push(query.team, query.team);
  }
  if (query.repository !== undefined) {
    scope += ' AND w.repository_id = ?';
    args.push(query.repository);
  }
  return { scope, args };
}

/**
 * The merged pull requests of the scope, oldest first, measured; reworked when a later one of the same repository,
 * merged within 21 days, reverts it or carries one of `reworkLabels` and names it.
 */
export async function readMergedPullRequests(
  store: Pick<Store, 'execute'>,
  { scope, args }: ImpactScope,
  reworkLabels: readonly string[],
): Promise<Measured[]> {
  // Each PR's reviews by the primary key's index, named: without statistics SQLite would rather walk the workspace's
  // reviews in a covering index (submission order for the min(), every review for the count).
  const rework = JSON.stringify(reworkLabels.map((label) => label.toLowerCase()));
  const { rows } = await store.execute(
    `SELECT w.merged_at, w.created_at, w.first_commit_at, w.ready_at, w.additions, w.deletions, w.ai_assisted,
            json_extract(w.ai, '$.tools') AS tools,
            (SELECT min(r.submitted_at) FROM reviews r INDEXED BY sqlite_autoindex_reviews_1
               WHERE r.workspace = w.workspace AND r.work_item_id = w.id AND r.reviewer_id IS NOT w.author_id) AS first_review_at,
            (SELECT count(*) FROM reviews r INDEXED BY sqlite_autoindex_reviews_1 WHERE r.workspace = w.workspace
               AND r.work_item_id = w.id AND r.state = 'changes_requested') AS changes_requested,
            EXISTS (SELECT 1 FROM work_items f
               WHERE f.workspace = w.workspace AND f.kind = 'pull_request' AND f.repository_id = w.repository_id AND f.id <> w.id
                 AND f.merged_at > w.merged_at AND f.merged_at <= w.merged_at + ${REWORK_WINDOW}
                 AND (f.title = 'Revert "' || w.title || '"'
                      OR instr(coalesce(f.body, ''), 'Reverts ' || w.key) > 0
                      OR ((coalesce(f.title, '') || ' ' || coalesce(f.body, '') || ' ') GLOB '*#' || substr(w.key, instr(w.key, '#') + 1) || '[^0-9]*'
                          AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(f.labels) THEN f.labels ELSE '[]' END) l
                                      WHERE lower(l.value) IN (SELECT value FROM json_each(?)))))) AS reworked
     FROM work_items w
     WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.merged_at >= ? AND w.merged_at < ?${scope}
     ORDER BY w.merged_at`,
    // The rework labels are the first placeholder (in the select list), then the window and scope.
    [rework, ...args],
  );
  return mergedPullRequest.all(rows).map(
    (row): Measured => ({
      assisted: row.ai_assisted === 1,
      tools: row.tools ? (JSON.parse(row.tools) as string[]) : [],
      mergedAt: row.merged_at,
      cycle: (row.merged_at - (row.first_commit_at ?? row.created_at)) / HOUR,
      firstReview: row.first_review_at === null ? null : (row.first_review_at - (row.ready_at ?? row.created_at)) / HOUR,
      rounds: row.changes_requested,
      size: row.additions === null && row.deletions === null ? null : (row.additions ?? 0) + (row.deletions ?? 0),
      reworked: row.reworked,
    }),
  );
}

/** Reviewers' survey answers about the window's merged PRs (same scope): quality per group, guesses against the author's answer. */
export async function reviewerAnswers(store: Pick<Store, 'execute'>, { scope, args }: ImpactScope): Promise<AiReviewAnswers> {
  const { rows } = await store.execute(
    `SELECT w.ai_assisted, r.quality, r.guess,
            (SELECT a.assisted FROM survey_responses a WHERE a.workspace = w.workspace AND a.pull_request_id = w.id AND a.role = 'author') AS author_said
     FROM survey_responses r JOIN work_items w ON w.workspace = r.workspace AND w.id = r.pull_request_id
     WHERE w.workspace = ? AND r.role = 'reviewer' AND w.kind = 'pull_request' AND w.merged_at >= ? AND w.merged_at < ?${scope}`,
    [...args],
  );
  const answers = reviewerAnswer.all(rows);
  const ratings = (assisted: boolean) =>
    answers.flatMap((a) => (a.quality !== null && (a.ai_assisted === 1) === assisted ? [a.quality] : []));
  const meanOf = (list: number[]) => (list.length === 0 ? null : Math.round((list.reduce((x, y) => x + y, 0) / list.length) * 100) / 100);
  const [withAi, without] = [ratings(true), ratings(false)];
  const guessed = answers.filter((a) => a.guess !== null && a.author_said !== null);
  const correct = guessed.filter((a) => (a.guess === 1) === (a.author_said !== 'none')).length;
  return {
    quality: { assisted: meanOf(withAi), assistedRatings: withAi.length, other: meanOf(without), otherRatings: without.length },
    guesses: {
      correct,
      total: guessed.length,
      accuracy: guessed.length === 0 ? null : Math.round((correct / guessed.length) * 10_000) / 10_000,
    },
  };
}
