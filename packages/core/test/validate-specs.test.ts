import { describe, expect, it } from 'vitest';
import type { Connector } from '../src/spec/connector.js';
import type { Embedder } from '../src/spec/embedder.js';
import type { DerivedTable, MetricCalculator } from '../src/spec/metric-calculator.js';
import type { SignalDetector } from '../src/spec/signal-detector.js';
import {
  DERIVED_TABLES,
  derivedReadsProblem,
  validateCalculators,
  validateConnectors,
  validateDetectors,
  validateEmbedder,
} from '../src/spec/validate-specs.js';

const connector = (over: Partial<Connector> = {}): Connector => ({
  specificationVersion: 'v1',
  id: 'tracker',
  sync: async () => {},
  ...over,
});
const calculator = (over: Partial<MetricCalculator> = {}): MetricCalculator => ({
  id: 'open_incidents',
  title: 'Open incidents',
  unit: 'count',
  description: 'Incidents open at `to`.',
  compute: async () => ({ value: null, unit: 'count' }),
  ...over,
});
const detector = (over: Partial<SignalDetector> = {}): SignalDetector => ({
  kind: 'incident.long',
  title: 'Long incident',
  description: 'Open too long.',
  detect: async () => [],
  ...over,
});
const message = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('spec validation (one place for connectors, calculators, detectors and embedders)', () => {
  it('takes a calculator or detector without specificationVersion as v1, and refuses another version by name', () => {
    expect(() => validateCalculators([calculator()])).not.toThrow();
    expect(() => validateDetectors([detector()])).not.toThrow();
    expect(message(() => validateCalculators([calculator({ specificationVersion: 'v2' as 'v1' })]))).toBe(
      'metrics: "open_incidents" implements specification v2, expected "v1"',
    );
    expect(message(() => validateDetectors([detector({ specificationVersion: 'v0' as 'v1' })]))).toBe(
      'signals: "incident.long" implements specification v0, expected "v1"',
    );
  });

  it("takes a calculator's reads of derived tables, none or left out, and refuses another naming the field and the fix", () => {
    const fix =
      'list the derived tables its statements read, among pull_request_deployments|deployment_rework|incident_deployments ([] for none), or leave reads out to have every one brought up to date first';
    expect(DERIVED_TABLES).toEqual(['pull_request_deployments', 'deployment_rework', 'incident_deployments']);
    expect(() =>
      validateCalculators([
        calculator({ reads: ['pull_request_deployments', 'incident_deployments'] }),
        calculator({ id: 'reads_none', reads: [] }),
        calculator({ id: 'reads_left_out' }),
      ]),
    ).not.toThrow();
    expect(message(() => validateCalculators([calculator({ reads: ['deployment_rework', 'pull_requests' as DerivedTable] })]))).toBe(
      `metrics: "open_incidents".reads[1]: "pull_requests" is not a derived table; ${fix}`,
    );
    expect(derivedReadsProblem('deployment_rework')).toBe(`reads: expected an array, got "deployment_rework"; ${fix}`);
    expect(derivedReadsProblem([null])).toBe(`reads[0]: null is not a derived table; ${fix}`);
    expect(derivedReadsProblem([1n])).toBe(`reads[0]: 1 is not a derived table; ${fix}`);
    expect(derivedReadsProblem(['__proto__'])).toBe(`reads[0]: "__proto__" is not a derived table; ${fix}`);
  });

  it('takes the provider ids a connector declares, built-in or its own, and refuses a malformed one naming the fix', () => {
    expect(() => validateConnectors([connector({ providers: ['github', 'gitlab', 'azure-devops'] })])).not.toThrow();
    expect(message(() => validateConnectors([connector({ providers: ['GitLab'] })]))).toBe(
      'connectors: "tracker" providers: "GitLab" is not a provider id; expected a provider id: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. "github", "gitlab")',
    );
  });

  it('requires the version on a connector, and checks the versions of its webhooks, interactions, channel and actions', () => {
    expect(message(() => validateConnectors([connector({ specificationVersion: undefined as unknown as 'v1' })]))).toBe(
      'connectors: "tracker" implements specification undefined, expected "v1"',
    );
    const webhooks = {
      specificationVersion: 'v2' as 'v1',
      provider: 'tracker',
      verify: () => true,
      deliveryId: () => 'd',
      eventName: () => 'e',
    };
    expect(message(() => validateConnectors([connector({ webhooks: { ...webhooks, handle: async () => ({ ignored: 'x' }) } })]))).toBe(
      'connectors: "tracker" implements specification v2, expected "v1"',
    );
  });

  it('refuses duplicate ids, kinds, webhook paths and approval channel ids', () => {
    expect(message(() => validateConnectors([connector(), connector()]))).toBe('connectors: two connectors have the id "tracker"');
    expect(message(() => validateCalculators([calculator(), calculator()]))).toBe('metrics: two metrics have the id "open_incidents"');
    expect(message(() => validateDetectors([detector(), detector()]))).toBe('signals: two detectors have the kind "incident.long"');
    const channel = { id: 'chat', destinations: async () => [], show: async () => 'm', update: async () => {} };
    expect(
      message(() => validateConnectors([connector({ approvalChannel: channel }), connector({ id: 'other', approvalChannel: channel })])),
    ).toBe('connectors: two connectors use the same approval channel id "chat"');
  });

  it('takes several interaction specs on one connector, each path once across connectors', () => {
    const spec = (path: string) => ({ path, verify: () => true, handle: async () => ({ status: 200 as const, answer: null, event: 'x' }) });
    expect(() => validateConnectors([connector({ interactions: [spec('chat/interactivity'), spec('chat/commands')] })])).not.toThrow();
    expect(
      message(() =>
        validateConnectors([
          connector({ interactions: [spec('chat/commands')] }),
          connector({ id: 'b', interactions: spec('chat/commands') }),
        ]),
      ),
    ).toBe('connectors: two connectors use the same webhook path "chat/commands"');
    expect(
      message(() =>
        validateConnectors([connector({ interactions: [spec('chat/x'), { ...spec('chat/y'), specificationVersion: 'v2' as 'v1' }] })]),
      ),
    ).toBe('connectors: "tracker" implements specification v2, expected "v1"');
  });

  it('checks an embedder: version, id and positive integer dimensions, each named', () => {
    const embedder: Embedder = { specificationVersion: 'v1', id: 'test', dimensions: 8, embed: async (texts) => texts.map(() => []) };
    expect(() => validateEmbedder(embedder)).not.toThrow();
    expect(message(() => validateEmbedder({ ...embedder, dimensions: 0 }))).toBe(
      'knowledge.embedder.dimensions: must be a positive integer up to 65536, got 0',
    );
    expect(message(() => validateEmbedder({ ...embedder, id: ' ' }))).toBe('knowledge.embedder.id: must be a non-empty string');
    expect(message(() => validateEmbedder({ ...embedder, specificationVersion: 'v9' as 'v1' }))).toBe(
      'knowledge.embedder: "test" implements specification v9, expected "v1"',
    );
  });
});
