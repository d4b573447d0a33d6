import { demo } from '@teamstate/connectors/demo';
import { connectorContract, detectorContract, metricContract } from '@teamstate/core/testing';
import { inMemoryPager, type PagerIncident, pager } from './custom-connector.js';
import { approvalCoverage } from './custom-metric.js';
import { mergedWithoutApproval } from './custom-signal-detector.js';
import { unapprovedMerges } from './fixtures.js';

// The example connector, metric and detector of docs/extending.md run the same conformance suites as the built-in ones.
const incidents: PagerIncident[] = [1, 2, 3, 4, 5].map((n) => ({
  id: `P${n}`,
  title: `Incident ${n}`,
  urgency: n % 2 ? 'high' : 'low',
  service: 'payments-api',
  createdAt: `2026-03-0${n}T10:00:00Z`,
  updatedAt: `2026-03-0${n}T12:00:00Z`,
  ...(n < 4 ? { resolvedAt: `2026-03-0${n}T12:00:00Z` } : {}),
}));

connectorContract({
  name: 'pager (docs/examples/custom-connector.ts)',
  create: () => pager({ client: inMemoryPager(incidents, 2), repositoryOfService: { 'payments-api': 'acme/payments-api' } }),
  bundle: { teams: [{ id: 'payments', name: 'Payments' }], repositories: [{ id: 'acme/payments-api', team: 'payments' }] },
  clock: () => new Date('2026-03-10T12:00:00Z'),
  actions: [{ type: 'pager.incident.note', target: 'P4', invalid: { incident: 'P4' }, invalidField: 'params.text' }],
});

const now = new Date('2026-03-10T12:00:00Z');
metricContract({
  calculator: approvalCoverage,
  connectors: [demo()],
  clock: () => now,
  window: { from: '2026-02-08T12:00:00Z', to: '2026-03-10T12:00:00Z' },
});

detectorContract({
  detector: mergedWithoutApproval,
  connectors: [demo()],
  bundle: unapprovedMerges(now),
  now,
  // Another person approves both after the fact: nothing holds any more.
  resolve: async (ts) => {
    const merged = unapprovedMerges(now).workItems!;
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: merged.map((w) => ({ ...w, reviews: [{ reviewer: 'chloe-eze', state: 'approved', submittedAt: now.toISOString() }] })),
    });
  },
});
