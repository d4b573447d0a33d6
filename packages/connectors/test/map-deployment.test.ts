import { describe, expect, it } from 'vitest';
import type { DeploymentNode } from '../src/github/client/graphql-types.js';
import { mapDeployment } from '../src/github/map/map-deployment.js';

const node = (statuses: [string, string][], latest = statuses.at(-1)): DeploymentNode => ({
  id: 'DE_1',
  databaseId: 42,
  environment: 'production',
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
  commitOid: 'a'.repeat(40),
  state: null,
  latestStatus: latest ? { state: latest[0] as never, createdAt: latest[1] } : null,
  statuses: { nodes: statuses.map(([state, createdAt]) => ({ state: state as never, createdAt })) },
});

describe('mapDeployment', () => {
  it('takes the last final status as the outcome and the first in_progress as the start', () => {
    expect(
      mapDeployment(
        node([
          ['QUEUED', '2026-03-01T10:00:05Z'],
          ['IN_PROGRESS', '2026-03-01T10:01:00Z'],
          ['FAILURE', '2026-03-01T10:05:00Z'],
          ['SUCCESS', '2026-03-01T10:20:00Z'],
        ]),
        'acme/api',
      ),
    ).toEqual({
      id: 'gh-deploy-acme/api-42',
      repository: 'acme/api',
      environment: 'production',
      status: 'success',
      startedAt: '2026-03-01T10:01:00Z',
      finishedAt: '2026-03-01T10:20:00Z',
      sha: 'a'.repeat(40),
    });
  });

  it('reads INACTIVE alone as an earlier success a newer deployment replaced', () => {
    expect(mapDeployment(node([['INACTIVE', '2026-03-02T09:00:00Z']]), 'acme/api')).toMatchObject({ status: 'success' });
  });

  it('is in_progress until a final status arrives, finishing at the latest status', () => {
    expect(mapDeployment(node([['IN_PROGRESS', '2026-03-01T10:01:00Z']]), 'acme/api')).toMatchObject({
      status: 'in_progress',
      finishedAt: '2026-03-01T10:01:00Z',
    });
    expect(mapDeployment(node([]), 'acme/api')).toMatchObject({ status: 'in_progress', finishedAt: '2026-03-01T10:00:00Z' });
    expect(mapDeployment(node([['ERROR', '2026-03-01T10:03:00Z']]), 'acme/api')).toMatchObject({ status: 'error' });
  });
});
