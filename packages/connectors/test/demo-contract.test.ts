import { demo } from '@teamstate/connectors/demo';
import { connectorContract } from '@teamstate/core/testing';

// The demo connector runs the same conformance suite as a third party's connector.
connectorContract({
  name: 'demo',
  create: () => demo(),
  clock: () => new Date('2026-11-21T10:00:00Z'),
  actions: [{ type: 'demo.note.add', target: 'PAY-1', invalid: { key: 'PAY-1', text: '' }, invalidField: 'params.text' }],
});
