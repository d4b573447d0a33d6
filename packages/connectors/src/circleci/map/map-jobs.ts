import type { Build } from '@teamstate/core';
import type { CciJob, CciPipeline, CciWorkflow } from '../client/circleci-api.js';

/** The build id of a CircleCI job run: `cci-job-<job id>`. */
export const jobBuildId = (jobId: string) => `cci-job-${jobId}`;

const CONCLUSIONS: Readonly<Record<string, Build['conclusion']>> = {
  success: 'success',
  failed: 'failure',
  infrastructure_fail: 'failure',
  timedout: 'timed_out',
  canceled: 'cancelled',
  not_run: 'skipped',
  unauthorized: 'neutral',
  'terminated-unknown': 'neutral',
  retried: 'neutral',
};
/** Job statuses still waiting to start: `on_hold` is an approval job (or one behind it) waiting for a person. */
const QUEUED = new Set(['queued', 'not_running', 'blocked', 'on_hold']);

/**
 * A pipeline's job runs as builds: `workflow` the workflow's name, `job` the job's, `commit` the pipeline's revision,
 * `repository` the project's. A rerun of a workflow is a new workflow of the same name in the same pipeline, so the
 * runs of one job there are numbered by their workflow's creation: the first is attempt 1. `failed`,
 * `infrastructure_fail` and `timedout` are failures; `canceled`, `not_run` and `on_hold` decide nothing.
 */
export function mapPipelineJobs(
  repository: string,
  pipeline: CciPipeline,
  workflows: readonly { workflow: CciWorkflow; jobs: readonly CciJob[] }[],
): Build[] {
  const attempts = new Map<string, number>();
  const builds: Build[] = [];
  const ordered = [...workflows].sort(
    (a, b) => a.workflow.created_at.localeCompare(b.workflow.created_at) || a.workflow.id.localeCompare(b.workflow.id),
  );
  for (const { workflow, jobs } of ordered)
    for (const job of jobs) {
      const key = `${workflow.name}\u0000${job.name}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const status: Build['status'] = QUEUED.has(job.status) ? 'queued' : job.status === 'running' ? 'in_progress' : 'completed';
      const build: Build = {
        id: jobBuildId(job.id),
        repository,
        workflow: workflow.name,
        job: job.name,
        commit: pipeline.vcs?.revision ?? '',
        status,
        attempt,
      };
      if (status === 'completed') build.conclusion = CONCLUSIONS[job.status] ?? 'neutral';
      if (job.started_at) build.startedAt = new Date(job.started_at).toISOString();
      if (status === 'completed' && job.stopped_at) build.completedAt = new Date(job.stopped_at).toISOString();
      builds.push(build);
    }
  return builds;
}
