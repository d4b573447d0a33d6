import type { BundleInput } from '@teamstate/core';

const DAY = 86_400_000;

/** Two pull requests of the demo's repositories merged without another person's approval, days before `now`. */
export function unapprovedMerges(now: Date): BundleInput {
  return {
    format: 'teamstate.bundle/v1',
    workItems: [
      {
        id: 'pr-hotfix-1',
        source: 'github',
        kind: 'pull_request',
        key: 'acme/payments-api#900',
        title: 'Hotfix: skip the fraud check for retries',
        state: 'merged',
        repository: 'acme/payments-api',
        author: 'ana-garcia',
        createdAt: new Date(now.getTime() - 3 * DAY).toISOString(),
        mergedAt: new Date(now.getTime() - 3 * DAY + 600_000).toISOString(),
        additions: 12,
        deletions: 3,
      },
      {
        id: 'pr-self-approved',
        source: 'github',
        kind: 'pull_request',
        key: 'acme/ledger#901',
        title: 'Rewrite the settlement job',
        state: 'merged',
        repository: 'acme/ledger',
        author: 'ben-tanaka',
        createdAt: new Date(now.getTime() - 5 * DAY).toISOString(),
        mergedAt: new Date(now.getTime() - 4 * DAY).toISOString(),
        additions: 900,
        deletions: 120,
        reviews: [{ reviewer: 'ben-tanaka', state: 'approved', submittedAt: new Date(now.getTime() - 4 * DAY - 60_000).toISOString() }],
      },
    ],
  };
}
