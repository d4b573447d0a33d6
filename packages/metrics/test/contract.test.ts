import { demo } from '@teamstate/connectors/demo';
import { detectorContract, metricContract } from '@teamstate/core/testing';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';

// Every built-in metric and detector runs the conformance suites of @teamstate/core/testing on the demo
// workspace, like a third party's would.
const now = new Date('2026-11-21T10:00:00Z');
const window = { from: '2026-08-23T00:00:00Z', to: '2026-11-21T00:00:00Z' };

for (const calculator of builtinMetrics) {
  metricContract({ calculator, connectors: [demo()], clock: () => now, window });
}
// The demo organisation writes no daily reports: one person's reports (blockers three working days running) let the
// report-based wellbeing detectors find something (the rest of that person's team files none).
const reports = {
  format: 'teamstate.bundle/v1',
  reports: ['2026-11-18', '2026-11-19', '2026-11-20'].map((day) => ({
    person: 'ana-garcia',
    day,
    text: 'Refunds.',
    blockers: 'Vendor sandbox',
  })),
} as const;
for (const detector of builtinSignals) {
  detectorContract({ detector, connectors: [demo()], now, ...(detector.kind.startsWith('person.') ? { bundle: reports } : {}) });
}
