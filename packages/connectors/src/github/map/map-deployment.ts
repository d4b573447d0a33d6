import type { Deployment } from '@teamstate/core';
import { type DeploymentNode, type DeploymentStatusState, nodesOf } from '../client/graphql-types.js';

/** The deployment id of a GitHub deployment: `gh-deploy-acme/api-123456`. */
export function deploymentId(repository: string, databaseId: number | string): string {
  return `gh-deploy-${repository}-${databaseId}`;
}

const TERMINAL: Partial<Record<DeploymentStatusState, Deployment['status']>> = {
  SUCCESS: 'success',
  FAILURE: 'failure',
  ERROR: 'error',
};

/**
 * Maps a deployment and its statuses. The outcome is the last SUCCESS, FAILURE or ERROR status
 * (`finishedAt` is when it was reported); INACTIVE alone means an earlier success that a newer
 * deployment replaced. Without any of those it is `in_progress` (`finishedAt` is then the latest
 * status time, as the field is required). `startedAt` is the first IN_PROGRESS status, else creation.
 */
export function mapDeployment(node: DeploymentNode, repository: string): Deployment {
  const statuses = [...nodesOf(node.statuses), ...(node.latestStatus ? [node.latestStatus] : [])].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
  const terminal = statuses.filter((s) => TERMINAL[s.state]).at(-1);
  const inactive = statuses.find((s) => s.state === 'INACTIVE');
  const started = statuses.find((s) => s.state === 'IN_PROGRESS')?.createdAt ?? node.createdAt;
  let status: Deployment['status'];
  let finishedAt: string;
  if (terminal) {
    status = TERMINAL[terminal.state]!;
    finishedAt = terminal.createdAt;
  } else if (inactive) {
    status = 'success';
    finishedAt = inactive.createdAt;
  } else {
    status = 'in_progress';
    finishedAt = statuses.at(-1)?.createdAt ?? node.createdAt;
  }
  return {
    id: deploymentId(repository, node.databaseId ?? node.id),
    repository,
    environment: node.environment || 'production',
    status,
    startedAt: started,
    finishedAt,
    sha: node.commitOid,
  };
}
