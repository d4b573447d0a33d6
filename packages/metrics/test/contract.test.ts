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
// The demo organisation's daily reports give the report-based wellbeing detectors something to find.
for (const detector of builtinSignals) {
  detectorContract({ detector, connectors: [demo()], now });
}
