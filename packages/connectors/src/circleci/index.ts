import type { Connector } from '@teamstate/core';
import { createCircleCiApi } from './client/circleci-api.js';
import { type CircleCiOptions, resolveCircleCiOptions } from './options.js';
import { syncCircleCi } from './sync/sync-circleci.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { JsonRequestError } from '../upstream/json-request.js';
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { type CciJob, type CciPipeline, type CciWorkflow, CircleCiRequestError } from './client/circleci-api.js';
export { jobBuildId, mapPipelineJobs } from './map/map-jobs.js';
export { type CircleCiOptions, type CircleCiSleep, circleciConfigSchema, repositoryOf } from './options.js';

/**
 * CircleCI (API v2): the projects' pipelines, their workflows (reruns included) and jobs, each job run a build of the
 * repository the project builds (so `build_duration`, `build_success_rate` and `ci.flaky` work on them), incrementally
 * by pipeline number.
 *
 * @example
 * circleci({ token: process.env.CIRCLECI_TOKEN!, projects: ['gh/acme/api'] })
 */
export function circleci(options: CircleCiOptions): Connector {
  const resolved = resolveCircleCiOptions(options);
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: [],
    description: `CircleCI at ${new URL(resolved.baseUrl).host}: ${resolved.projects.join(', ')}`,
    sync: (ctx) => syncCircleCi(ctx, createCircleCiApi(resolved), resolved),
  };
}
