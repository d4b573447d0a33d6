import type { Build, Deployment } from '@teamstate/core';
import type { BbDeployment, BbEnvironment, BbPipeline } from '../client/bitbucket-types.js';

/** The workflow name of Bitbucket builds: a repository has one pipeline definition. */
export const PIPELINE_WORKFLOW = 'bitbucket-pipelines.yml';

/** The build id of a pipeline: `bb-pipeline-acme/checkout-17`. */
export const pipelineBuildId = (repository: string, buildNumber: number) => `bb-pipeline-${repository}-${buildNumber}`;

/** The deployment id of a deployment: `bb-deploy-acme/checkout-{uuid}`. */
export const deploymentId = (repository: string, uuid: string) => `bb-deploy-${repository}-${uuid.replace(/[{}]/g, '')}`;

/** Whether a pipeline may still change. */
export const pipelineOpen = (pipeline: BbPipeline) => pipeline.state.name !== 'COMPLETED';

const CONCLUSION: Record<string, Build['conclusion']> = {
  SUCCESSFUL: 'success',
  FAILED: 'failure',
  ERROR: 'failure',
  STOPPED: 'cancelled',
  EXPIRED: 'timed_out',
};

/** A pipeline run as a build; a pipeline of a pull request (its target) names that pull request. */
export function mapPipeline(pipeline: BbPipeline, repository: string, pullRequestOf: (pipeline: BbPipeline) => string | undefined): Build {
  const status: Build['status'] = pipeline.state.name === 'PENDING' ? 'queued' : pipelineOpen(pipeline) ? 'in_progress' : 'completed';
  const build: Build = {
    id: pipelineBuildId(repository, pipeline.build_number),
    repository,
    workflow: PIPELINE_WORKFLOW,
    commit: pipeline.target.commit?.hash ?? 'unknown',
    status,
    attempt: pipeline.run_number ?? 1,
    startedAt: new Date(pipeline.created_on).toISOString(),
  };
  const pullRequest = pullRequestOf(pipeline);
  if (pullRequest) build.pullRequest = pullRequest;
  if (status === 'completed') {
    build.conclusion = CONCLUSION[pipeline.state.result?.name ?? ''] ?? 'neutral';
    if (pipeline.completed_on) build.completedAt = new Date(pipeline.completed_on).toISOString();
  }
  return build;
}

/**
 * A deployment: one to an environment of type Production is named `production` (DORA reads production deployments),
 * others keep their environment's name. Its pull requests come from its commit range (see `deployment-ranges.ts`).
 */
export function mapDeployment(deployment: BbDeployment, repository: string, environments: ReadonlyMap<string, BbEnvironment>): Deployment {
  const environment = environments.get(deployment.environment.uuid);
  const production = environment?.environment_type.name.toLowerCase() === 'production';
  const state = deployment.state;
  const status: Deployment['status'] =
    state.name !== 'COMPLETED'
      ? 'in_progress'
      : state.status?.name === 'SUCCESSFUL'
        ? 'success'
        : state.status?.name === 'FAILED'
          ? 'failure'
          : 'error';
  const started = state.started_on ?? deployment.release.created_on;
  const finished = state.completed_on ?? deployment.last_update_time ?? started ?? new Date(0).toISOString();
  const mapped: Deployment = {
    id: deploymentId(repository, deployment.uuid),
    repository,
    environment: production ? 'production' : (environment?.name ?? 'unknown'),
    status,
    finishedAt: new Date(finished).toISOString(),
    sha: deployment.release.commit.hash,
  };
  if (started) mapped.startedAt = new Date(started).toISOString();
  return mapped;
}
