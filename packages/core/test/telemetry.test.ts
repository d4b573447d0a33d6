import { context, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Connector, createTeamState, type TeamState } from '../src/index.js';
import { createTestConnector, createTestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';
import { trackerConnector } from './fixtures/tracker-connector.js';

/** Collects on demand (the test reads the instruments when it wants). */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  context.disable();
  trace.disable();
  metrics.disable();
});

let open: TeamState[] = [];
beforeEach(() => spans.reset());
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
let now = T0;

async function setup(connectors: Connector[] = [createTestConnector(createTestWorld())]) {
  now = T0;
  const ts = await createTeamState({ database: ':memory:', connectors, policy: testPolicy as never, clock: () => new Date(now) });
  open.push(ts);
  await ts.import(teamBundle);
  return ts;
}

const named = (name: string): ReadableSpan[] => spans.getFinishedSpans().filter((span) => span.name === name);

async function points(name: string): Promise<DataPoint<unknown>[]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}

const merge = {
  type: 'test.pr.merge',
  target: 'acme/api#42',
  params: { repository: 'acme/api', number: 42, expectedHeadSha: 'abc123' },
  reason: 'CI green',
  requestedBy: 'bot',
};

describe('OpenTelemetry spans and metrics (issue 22)', () => {
  it('registers the instruments when the TeamState opens, before any traffic', async () => {
    await setup();
    const names = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name));
    expect(names).toEqual(expect.arrayContaining(['teamstate.approval.decisions', 'teamstate.actions']));
    const latency = (await reader.collect()).resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === 'teamstate.approval.latency');
    // A histogram has no series before its first recording; its descriptor is what the exporter knows.
    expect(latency === undefined || latency.descriptor.unit === 'ms').toBe(true);
  });

  it('traces propose, wait and execute of one approval, linked by its id, and counts the decision and the action', async () => {
    const ts = await setup();
    const proposed = await ts.actions.propose(merge);
    const [propose] = named('teamstate.propose');
    expect(propose?.attributes).toMatchObject({
      'teamstate.approval.id': proposed.id,
      'teamstate.action.type': 'test.pr.merge',
      'teamstate.approval.status': 'pending',
      'teamstate.approval.mode': 'require_approval',
    });

    now += 90_000;
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana', reason: 'ship it' });
    const waited = await ts.approvals.wait(proposed.id, { timeoutMs: 1_000 });
    expect(waited.status).toBe('executed');

    const [execute] = named('teamstate.execute');
    expect(execute?.attributes).toMatchObject({
      'teamstate.approval.id': proposed.id,
      'teamstate.action.type': 'test.pr.merge',
      'teamstate.approval.status': 'executed',
      'teamstate.action.mode': 'human',
    });
    const [wait] = named('teamstate.wait_for_approval');
    expect(wait?.attributes).toMatchObject({ 'teamstate.approval.id': proposed.id, 'teamstate.approval.status': 'executed' });
    // Both link to the proposal's span: one trace question ("what became of this proposal?") across the three.
    for (const span of [execute, wait]) expect(span?.links.map((link) => link.context.spanId)).toEqual([propose?.spanContext().spanId]);

    const latency = await points('teamstate.approval.latency');
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ attributes: { decision: 'approve', 'teamstate.action.type': 'test.pr.merge' } });
    expect((latency[0]!.value as { sum: number }).sum).toBe(90_000);
    const decisions = await points('teamstate.approval.decisions');
    expect(decisions.find((p) => p.attributes.decision === 'approve')).toMatchObject({
      attributes: { decision: 'approve', overridden: false },
      value: 1,
    });
    const actions = await points('teamstate.actions');
    expect(actions.find((p) => p.attributes.mode === 'human')).toMatchObject({ value: 1, attributes: { outcome: 'executed' } });
  });

  it('counts an action the policy ran at once as auto, and a decline as overridden', async () => {
    const ts = await setup();
    const before = (await points('teamstate.actions')).find((p) => p.attributes.mode === 'auto')?.value ?? 0;
    const read = await ts.actions.propose({ ...merge, type: 'test.item.read', target: 'X-1', params: { key: 'X-1' } });
    expect(read.status).toBe('executed');
    expect((await points('teamstate.actions')).find((p) => p.attributes.mode === 'auto')?.value).toBe((before as number) + 1);
    // Executed inside the proposal: the execute span is a child of the propose span.
    const [propose] = named('teamstate.propose');
    const [execute] = named('teamstate.execute');
    expect(execute?.parentSpanContext?.spanId).toBe(propose?.spanContext().spanId);

    const note = await ts.actions.propose({ ...merge, type: 'test.note.add', target: 'notes', params: { text: 'hi' } });
    await ts.approvals.decide(note.id, { decision: 'decline', by: 'ana' });
    expect((await points('teamstate.approval.decisions')).find((p) => p.attributes.decision === 'decline')).toMatchObject({
      attributes: { overridden: true },
    });
  });

  it('marks a refused proposal as an error, without secrets in the message', async () => {
    const ts = await setup();
    await expect(ts.actions.propose({ ...merge, type: 'test.unknown' })).rejects.toThrow();
    const [propose] = named('teamstate.propose');
    expect(propose?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('traces a sync per connector with what it stored', async () => {
    const ts = await setup();
    await ts.sync();
    const sync = named('teamstate.sync');
    expect(sync.map((span) => span.attributes['teamstate.connector'])).toEqual(['test']);
    expect(sync[0]?.attributes).toMatchObject({ 'teamstate.sync.status': 'succeeded' });
    expect(typeof sync[0]?.attributes['teamstate.sync.records']).toBe('number');

    const failing: Connector = {
      specificationVersion: 'v1',
      id: 'broken',
      sync: async () => {
        throw new Error('upstream 503 for https://x-access-token:ghp_secret123456789012345678901234567890@api.example');
      },
    };
    const other = await setup([failing]);
    spans.reset();
    await other.sync();
    const [broken] = named('teamstate.sync');
    expect(broken?.attributes).toMatchObject({ 'teamstate.connector': 'broken', 'teamstate.sync.status': 'failed' });
    expect(broken?.status.code).toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify(broken?.status)).not.toContain('ghp_secret');
  });

  it('traces each webhook delivery with its provider, event and outcome', async () => {
    const ts = await setup([
      trackerConnector(() => {
        throw new Error('upstream answered 502');
      }),
    ]);
    await ts.webhooks.receive('tracker', { headers: { 'x-delivery': 'd-1' }, rawBody: Buffer.from('{"event":"issue_updated"}') });
    await ts.webhooks.idle();
    const [webhook] = named('teamstate.webhook');
    expect(webhook?.attributes).toMatchObject({
      'teamstate.webhook.provider': 'tracker',
      'teamstate.webhook.delivery_id': 'd-1',
      'teamstate.webhook.event': 'issue_updated',
      'teamstate.webhook.attempt': 1,
      'teamstate.webhook.outcome': 'retrying',
    });
    expect(webhook?.status.code).toBe(SpanStatusCode.ERROR);
  });
});
