/**
 * The workspace the metrics command tests use: one PR deployed by the heuristic mapping (lead time 48 h, cycle
 * 24 h), one merged but never deployed, and one open incident without a repository.
 */
export const metricsBundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ana', name: 'Ana' }],
  repositories: [{ id: 'acme/api', team: 'payments' }],
  workItems: [
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Add refunds',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-01T10:00:00+01:00',
      mergedAt: '2026-03-02T09:00:00Z',
    },
    {
      id: 'pr-2',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#2',
      title: 'Later',
      state: 'merged',
      repository: 'acme/api',
      createdAt: '2026-03-05T00:00:00Z',
      mergedAt: '2026-03-06T00:00:00Z',
    },
  ],
  deployments: [{ id: 'd-1', repository: 'acme/api', environment: 'production', status: 'success', finishedAt: '2026-03-03T09:00:00Z' }],
  incidents: [{ id: 'i-1', title: 'Down', createdAt: '2026-03-04T00:00:00Z' }],
};
