import type { SignalDetector } from '@teamstate/core';
import { columns, integer, nullable, sql, text } from '@teamstate/core/store';
import { DAY_MS as DAY } from '../common/scope.js';
import { num } from './sql.js';

const flakyRows = columns({
  repository: text,
  workflow: text,
  job: text,
  team: nullable(text),
  runs: integer,
  flaky: integer,
  since: integer,
  latest: integer,
  commits: text,
});

/**
 * Jobs that fail and then pass on a rerun of the same commit: within `days`, the commits on which a run of the job
 * (by repository, workflow and job) failed or timed out and a later attempt of the same job on the same commit
 * passed. A failure that a rerun does not fix, or that a new commit fixes, is a real failure, not a flake. One signal
 * per job once it flaked on `minFlakes` commits; resolved when it no longer has.
 */
export const ciFlaky: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'ci.flaky',
  title: 'Flaky CI job',
  description:
    'A CI job (by repository, workflow and job) failed and then passed on a rerun of the same commit on at least `minFlakes` commits in the last `days` days.',
  defaults: { days: 30, minFlakes: 2 },
  incremental: { reads: ['builds', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const from = now - num(ctx.settings().days) * DAY;
    const minFlakes = num(ctx.settings().minFlakes);
    // The window's completed runs (a range of the completion index), then for each failure the passing rerun of the
    // same job on the same commit (a seek of the commit index).
    const found = await db.all(
      flakyRows,
      sql`WITH recent AS MATERIALIZED (
          SELECT b.repository_id, b.workflow, coalesce(b.job, '') AS job, b.commit_sha, b.attempt, b.conclusion, b.completed_at
          FROM builds b WHERE b.workspace = ${ctx.workspace} AND b.completed_at >= ${Number.isFinite(from) ? from : null}
            AND b.completed_at <= ${now}),
        flakes AS (
          SELECT f.repository_id, f.workflow, f.job, f.commit_sha, min(f.completed_at) AS at
          FROM recent f WHERE f.conclusion IN ('failure', 'timed_out') AND EXISTS (
            SELECT 1 FROM recent p WHERE p.repository_id = f.repository_id AND p.commit_sha = f.commit_sha
              AND p.workflow = f.workflow AND p.job = f.job AND p.attempt > f.attempt AND p.conclusion = 'success')
          GROUP BY f.repository_id, f.workflow, f.job, f.commit_sha)
        SELECT g.repository_id AS repository, g.workflow, g.job,
          (SELECT r.team_id FROM repositories r WHERE r.workspace = ${ctx.workspace} AND r.id = g.repository_id) AS team,
          (SELECT count(DISTINCT a.commit_sha) FROM recent a WHERE a.repository_id = g.repository_id AND a.workflow = g.workflow
            AND a.job = g.job) AS runs,
          g.flaky, g.since, g.latest, g.commits
        FROM (SELECT repository_id, workflow, job, count(*) AS flaky, min(at) AS since, max(at) AS latest,
                json_group_array(commit_sha) AS commits
              FROM flakes GROUP BY repository_id, workflow, job) g
        WHERE g.flaky >= ${Number.isFinite(minFlakes) ? minFlakes : null}
        ORDER BY g.repository_id, g.workflow, g.job`,
    );
    return found.map((r) => {
      const job = r.job === '' ? r.workflow : `${r.workflow} / ${r.job}`;
      const commits = (JSON.parse(r.commits) as string[]).sort();
      return {
        severity: 'warning' as const,
        subject: { type: 'repository' as const, id: r.repository },
        key: r.job === '' ? r.workflow : `${r.workflow}/${r.job}`,
        team: r.team ?? undefined,
        title: `CI job ${job} in ${r.repository} failed then passed on a rerun of the same commit ${r.flaky} times in ${num(ctx.settings().days)} days`,
        evidence: {
          repository: r.repository,
          workflow: r.workflow,
          ...(r.job === '' ? {} : { job: r.job }),
          flakyCommits: r.flaky,
          commitsRun: r.runs,
          flakeRate: r.runs === 0 ? null : r.flaky / r.runs,
          commits: commits.slice(0, 10),
          latestFlakeAt: new Date(r.latest).toISOString(),
          since: new Date(r.since).toISOString(),
        },
      };
    });
  },
};
