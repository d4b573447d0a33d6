import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';

const failedRow = columns({ pull_request_id: text, commit_sha: text, workflows: text, completed_at: integer });

/** A commit of a pull request whose CI failed: the failing workflows and when the last of them finished. */
export interface FailedPullRequestBuild {
  pullRequest: string;
  commitSha: string;
  workflows: string[];
  completedAt: number;
}

/** `ts.builds`: what other features read of the CI runs. */
export interface BuildsApi {
  /** The commits of pull requests with a failed run completed at or after `since` (epoch ms), one entry per commit. */
  failedOnPullRequests(since: number): Promise<FailedPullRequestBuild[]>;
}

/** Builds `ts.builds`. */
export function createBuildsApi(store: Store, workspace: string): BuildsApi {
  return {
    async failedOnPullRequests(since) {
      const { rows } = await store.execute(
        `SELECT pull_request_id, commit_sha, json_group_array(DISTINCT workflow) AS workflows, max(completed_at) AS completed_at
         FROM builds WHERE workspace = ? AND pull_request_id IS NOT NULL AND conclusion = 'failure' AND completed_at >= ?
         GROUP BY pull_request_id, commit_sha ORDER BY completed_at, pull_request_id`,
        [workspace, since],
      );
      return failedRow.all(rows).map((r) => ({
        pullRequest: r.pull_request_id,
        commitSha: r.commit_sha,
        workflows: JSON.parse(r.workflows) as string[],
        completedAt: r.completed_at,
      }));
    },
  };
}
