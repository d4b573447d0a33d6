import type { Build, Deployment } from '@teamstate/core';
import type { GlDeployment, GlEnvironment, GlJob, GlJobStatus } from '../client/gitlab-types.js';

/** The build id of a GitLab job: `gl-job-acme/checkout-981`. */
export function jobBuildId(repository: string, jobId: number): string {
  return `gl-job-${repository}-${jobId}`;
}

/** The deployment id of a GitLab deployment: `gl-deploy-acme/checkout-77`. */
export function deploymentId(repository: string, id: number): string {
  return `gl-deploy-${repository}-${id}`;
}

/** The workflow name of GitLab builds: a project has one pipeline definition. */
export const PIPELINE_WORKFLOW = '.gitlab-ci.yml';

const QUEUED: ReadonlySet<GlJobStatus> = new Set(['created', 'pending', 'waiting_for_resource', 'preparing', 'scheduled', 'manual']);

/** Whether a job may still change (not finished). */
export const jobOpen = (job: GlJob) => QUEUED.has(job.status) || job.status === 'running' || job.status === 'canceling';

function conclusionOf(job: GlJob): Build['conclusion'] {
  switch (job.status) {
    case 'success':
      return 'success';
    case 'failed':
      return job.failure_reason === 'job_execution_timeout' ? 'timed_out' : 'failure';
    case 'canceled':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    default:
      return undefined;
  }
}

/** The merge request iid of a merge request pipeline's ref (`refs/merge-requests/42/head`). */
export function mergeRequestOfRef(ref: string): number | undefined {
  const match = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/.exec(ref);
  return match ? Number(match[1]) : undefined;
}

/**
 * Jobs as builds (GitHub's shape: one build per job run): `workflow` is the pipeline definition, `job` the job's name,
 * `commit` the pipeline's sha; the runs of one job in one pipeline (a retry is a new job) are numbered by creation,
 * so the first is attempt 1. `pullRequestOf` names the merge request whose pipeline it was, if known.
 */
export function mapJobs(jobs: readonly GlJob[], repository: string, pullRequestOf: (job: GlJob) => string | undefined): Build[] {
  const byJob = new Map<string, GlJob[]>();
  for (const job of jobs) {
    const key = `${job.pipeline.id}\u0000${job.name}`;
    byJob.set(key, [...(byJob.get(key) ?? []), job]);
  }
  const builds: Build[] = [];
  for (const runs of byJob.values()) {
    runs.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    runs.forEach((job, i) => {
      const status: Build['status'] = QUEUED.has(job.status) ? 'queued' : jobOpen(job) ? 'in_progress' : 'completed';
      const build: Build = {
        id: jobBuildId(repository, job.id),
        repository,
        workflow: PIPELINE_WORKFLOW,
        job: job.name,
        commit: job.pipeline.sha,
        status,
        attempt: i + 1,
      };
      const pullRequest = pullRequestOf(job);
      if (pullRequest) build.pullRequest = pullRequest;
      if (status === 'completed') build.conclusion = conclusionOf(job) ?? 'neutral';
      if (job.started_at) build.startedAt = new Date(job.started_at).toISOString();
      if (status === 'completed' && job.finished_at) build.completedAt = new Date(job.finished_at).toISOString();
      builds.push(build);
    });
  }
  return builds.sort((a, b) => a.id.localeCompare(b.id));
}

const DEPLOYMENT_STATUS: Record<GlDeployment['status'], Deployment['status']> = {
  created: 'in_progress',
  running: 'in_progress',
  blocked: 'in_progress',
  success: 'success',
  failed: 'failure',
  canceled: 'error',
  skipped: 'error',
};

/**
 * A deployment: an environment whose tier is `production` is named `production` (DORA reads production deployments);
 * others keep their name. It finished at `finished_at` (its job's finish on older GitLab), else its last update.
 */
export function mapDeployment(deployment: GlDeployment, repository: string, environments: ReadonlyMap<string, GlEnvironment>): Deployment {
  const name = deployment.environment.name;
  const tier = deployment.environment.tier ?? environments.get(name)?.tier;
  const finished = deployment.finished_at ?? deployment.deployable?.finished_at ?? deployment.updated_at;
  const started = deployment.deployable?.started_at ?? deployment.created_at;
  return {
    id: deploymentId(repository, deployment.id),
    repository,
    environment: tier === 'production' ? 'production' : name,
    status: DEPLOYMENT_STATUS[deployment.status] ?? 'in_progress',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    sha: deployment.sha,
  };
}
