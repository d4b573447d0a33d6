export { idempotencyMarker } from './actions/index.js';
export { github } from './github-connector.js';
export { GitHubApiError, type RedactedRequest } from './github-error.js';
export type { DeploymentSource, GitHubConnectorOptions } from './github-options.js';
