// The builds feature's public face: exactly the names @teamstate/core exports from it (the CI build model).
export * from './build-model.js';
export type { BuildsApi, FailedPullRequestBuild } from './failed-builds.js';
