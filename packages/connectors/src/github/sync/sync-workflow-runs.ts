import type { Deployment, SyncContext } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import { type Delivery, emitDeliveries } from '../webhooks/emit-deliveries.js';
import { cursorKey, type DeliveryCursor, readCursor, splitRepository } from './sync-cursors.js';

/** A workflow run as the REST API returns it (the fields used). */
export interface WorkflowRun {
  id: number;
  head_sha: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
}

/** The deployment id of a workflow run: `gh-run-acme/api-30433642`. */
export function workflowRunDeploymentId(repository: string, runId: number | string): string {
  return `gh-run-${repository}-${runId}`;
}

const CONCLUSIONS: Record<string, Deployment['status'] | undefined> = {
  success: 'success',
  failure: 'failure',
  timed_out: 'failure',
  startup_failure: 'error',
};

/**
 * A run as a deployment: `success`, `failure` (also `timed_out`), `error` (`startup_failure`), or
 * `in_progress` while it is not completed; cancelled, skipped and neutral runs deployed nothing and
 * map to `undefined`.
 */
export function mapWorkflowRun(run: WorkflowRun, repository: string, environment: string): Deployment | undefined {
  const status = run.status === 'completed' ? CONCLUSIONS[run.conclusion ?? ''] : 'in_progress';
  if (!status) return undefined;
  return {
    id: workflowRunDeploymentId(repository, run.id),
    repository,
    environment,
    status,
    startedAt: run.run_started_at ?? run.created_at,
    finishedAt: run.updated_at,
    sha: run.head_sha,
  };
}

const PER_PAGE = 100;

/**
 * Syncs the runs of one workflow as deployments (source `workflow_runs`) over REST, which GraphQL does
 * not cover. The first page is a conditional request with the stored ETag: when nothing changed
 * GitHub answers 304, which costs no rate limit, and nothing else is asked. Otherwise pages are read
 * newest first until the watermark and the oldest run that was still going are both behind.
 */
export async function syncWorkflowRuns(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  options: { workflow: string; environment: string; mapPullRequests: boolean },
): Promise<number> {
  const key = cursorKey('workflow_runs', repository);
  const cursor = (await readCursor<DeliveryCursor>(ctx, key)) ?? {};
  const { owner, name } = splitRepository(repository);
  const pending = new Map((cursor.pending ?? []).map((p) => [p.id, p]));
  const floor = [cursor.watermark, ...[...pending.values()].map((p) => p.createdAt)].filter((t): t is string => !!t).sort()[0];
  const deliveries: Delivery[] = [];
  let etag: string | undefined;
  let newest: string | undefined;
  for (let page = 1; ; page++) {
    const result = await client.get<{ workflow_runs: WorkflowRun[] }>(
      'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      { owner, repo: name, workflow_id: options.workflow, per_page: PER_PAGE, page, exclude_pull_requests: true },
      page === 1 && cursor.etag ? { etag: cursor.etag } : {},
    );
    if (result.notModified) {
      ctx.progress({ phase: `workflow runs ${repository} (not modified)` });
      return 0;
    }
    if (page === 1) etag = result.etag;
    const runs = result.data.workflow_runs;
    for (const run of runs) {
      const isNew = !cursor.watermark || run.created_at > cursor.watermark;
      if (!isNew && !pending.has(String(run.id))) continue;
      // A cancelled run deployed nothing and is not stored, but it still moves the watermark.
      if (isNew && (!newest || run.created_at > newest)) newest = run.created_at;
      const deployment = mapWorkflowRun(run, repository, options.environment);
      if (deployment) deliveries.push({ deployment, createdAt: run.created_at, lookupId: String(run.id), listed: isNew });
    }
    ctx.progress({ phase: `workflow runs ${repository}`, pages: page });
    const oldest = runs.at(-1)?.created_at;
    if (runs.length < PER_PAGE || !oldest || (floor && oldest <= floor)) break;
  }
  return emitDeliveries(ctx, client, repository, deliveries, { key, cursor, mapPullRequests: options.mapPullRequests, etag, newest });
}
