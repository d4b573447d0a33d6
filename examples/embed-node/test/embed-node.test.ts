import type { Approval, MetricResult, Signal } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../src/server.ts';

type Failure = { error: string };
const now = new Date('2026-11-20T12:00:00Z');
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  service = await startService({ port: 0, clock: () => now });
});
afterAll(() => service.close());

async function call<Body>(path: string, init?: RequestInit): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${service.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Body };
}

function propose(body: unknown) {
  return call<Approval & Failure>('/actions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('examples/embed-node', () => {
  it('serves the default DORA and flow metrics of a team, the same numbers as the SDK', async () => {
    const { status, body } = await call<Record<string, MetricResult>>('/metrics?team=payments');
    expect(status).toBe(200);
    const expected = await service.teamState.metrics.compute(
      service.teamState.metrics.list().flatMap((m) => (['dora', 'flow'].includes(m.category ?? '') ? [m.id] : [])),
      { from: '2026-10-21T12:00:00.000Z', to: now.toISOString(), team: 'payments' },
    );
    expect(Object.keys(body)).toEqual(Object.keys(expected));
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.deployment_frequency?.value).toBeGreaterThan(0);
    const other = await call<Record<string, MetricResult>>('/metrics?team=platform');
    expect(other.status).toBe(200);
    expect(other.body).not.toEqual(body);
  });

  it("serves a team's open signals, and only that team's", async () => {
    const { status, body } = await call<Signal[]>('/signals?team=payments');
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    expect(body.map((signal) => signal.kind)).toContain('item.blocked');
    expect(new Set(body.map((signal) => signal.team))).toEqual(new Set(['payments']));
    expect(new Set(body.map((signal) => signal.status))).toEqual(new Set(['open']));
  });

  it('refuses an unknown team by name and lists the known ones', async () => {
    const { status, body } = await call<Failure>('/signals?team=payment');
    expect(status).toBe(400);
    expect(body.error).toMatch(/^team: unknown team "payment"; known: .*payments/);
  });

  it('proposes a note through the policy: it waits for a person, is audited, and is not executed', async () => {
    const { status, body } = await propose({
      type: 'demo.note.add',
      target: 'PAY-1',
      params: { key: 'PAY-1', text: 'Can someone escalate with the vendor?' },
      reason: 'PAY-1 has been blocked for days',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ type: 'demo.note.add', status: 'pending', mode: 'ask', requestedBy: 'embed-node' });
    expect(await service.teamState.approvals.get(body.id)).toMatchObject({ status: 'pending' });
    const audit = await service.teamState.audit.list({ approvalId: body.id });
    expect(audit.map((event) => event.type)).toContain('approval.proposed');
    expect((await service.teamState.audit.verify()).ok).toBe(true);
  });

  it('refuses bad params, an action type outside the catalogue and a body that is not JSON, by name, storing nothing', async () => {
    const before = await service.teamState.approvals.list({});
    const ledger = await service.teamState.audit.list({});
    const denied = await propose({ type: 'demo.note.add', target: 'PAY-1', params: { key: 'PAY-1' }, reason: 'no text' });
    expect(denied.status).toBe(400);
    expect(denied.body.error).toMatch(/params\.text/);
    const unknown = await propose({ type: 'github.pr.merge', target: 'acme/api#1', params: {}, reason: 'ship it' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/github\.pr\.merge/);
    const notJson = await call<Failure>('/actions', { method: 'POST', body: '{' });
    expect(notJson).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^body: not JSON/) } });
    expect(await service.teamState.approvals.list({})).toEqual(before);
    expect(await service.teamState.audit.list({})).toEqual(ledger);
    const unknownRoute = await call<Failure>('/metric');
    expect(unknownRoute).toMatchObject({
      status: 404,
      body: { error: 'no route GET /metric: try GET /metrics, GET /signals or POST /actions' },
    });
  });
});
