import { opsgenie } from '@teamstate/connectors/opsgenie';
import { createTeamState, type TeamState } from '@teamstate/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpsgenie, OPSGENIE, OPSGENIE_KEY } from './opsgenie/fake-opsgenie.js';

const NOW = new Date('2026-03-18T10:00:00Z');
const kit = { fake: createFakeOpsgenie() };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

const clock = { now: NOW };

async function workspace(options: Partial<Parameters<typeof opsgenie>[0]> = {}) {
  clock.now = NOW;
  kit.fake = createFakeOpsgenie();
  server.use(kit.fake.handler);
  const connector = opsgenie({ apiKey: OPSGENIE_KEY, baseUrl: OPSGENIE, sleep: async () => {}, ...options });
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => clock.now });
  open.push(ts);
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'ana', name: 'Ana', email: 'ana@acme.example' },
      { id: 'ben', name: 'Ben', email: 'ben@acme.example' },
      { id: 'cara', name: 'Cara', email: 'cara@acme.example' },
    ],
  });
  return ts;
}

const INC = (n: number) => `og-69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a0${n}`;

describe('opsgenie connector: sync', () => {
  it('stores Incident API records as incidents, with their alerts as the timeline, equal to the truth', async () => {
    const ts = await workspace();
    const result = await ts.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const incidents = (await ts.export()).incidents
      .map((i) => ({
        id: i.id,
        source: i.source,
        status: i.status,
        service: i.service,
        severity: i.severity,
        createdAt: i.createdAt,
        acknowledgedAt: i.acknowledgedAt,
        resolvedAt: i.resolvedAt,
        kinds: i.timeline?.map((e) => e.kind),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(incidents).toEqual([
      {
        id: INC(1),
        source: 'opsgenie',
        status: 'resolved',
        service: 'checkout',
        severity: 'P1',
        createdAt: '2026-03-10T08:00:00.000Z',
        acknowledgedAt: '2026-03-10T08:07:00.000Z',
        // At the resolve log entry, not the incident's last update.
        resolvedAt: '2026-03-10T09:35:00.000Z',
        kinds: ['triggered', 'acknowledged', 'resolved'],
      },
      {
        id: INC(2),
        source: 'opsgenie',
        status: 'acknowledged',
        service: 'card-auth',
        severity: 'P2',
        createdAt: '2026-03-16T22:15:00.000Z',
        acknowledgedAt: '2026-03-16T22:30:00.000Z',
        resolvedAt: undefined,
        kinds: ['triggered', 'acknowledged'],
      },
      {
        id: INC(3),
        source: 'opsgenie',
        status: 'triggered',
        service: 'Payments',
        severity: 'P3',
        createdAt: '2026-03-17T06:05:00.000Z',
        acknowledgedAt: undefined,
        resolvedAt: undefined,
        kinds: ['triggered'],
      },
      {
        id: INC(4),
        source: 'opsgenie',
        status: 'resolved',
        service: 'signup',
        severity: 'P4',
        createdAt: '2026-03-12T11:00:00.000Z',
        acknowledgedAt: undefined,
        resolvedAt: '2026-03-12T12:00:00.000Z',
        kinds: ['triggered', 'resolved'],
      },
    ]);
  });

  it('reads an incident s alerts by their associated alert ids, every page, each alert once', async () => {
    const ts = await workspace();
    // Incident 3 grows to 30 alerts (more than one page of 25); the last acknowledges it.
    const id = '69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a03';
    const [first] = kit.fake.alerts[id]!;
    const more = Array.from({ length: 29 }, (_, i) => ({
      ...first!,
      id: `${first!.id}-more-${String(i).padStart(2, '0')}`,
      tinyId: String(2000 + i),
      createdAt: `2026-03-17T06:${String(10 + i).padStart(2, '0')}:00.000Z`,
      acknowledged: i === 28,
      ...(i === 28 ? { report: { ackTime: 120_000, acknowledgedBy: 'cara@acme.example' } } : {}),
    }));
    kit.fake.alerts[id]!.push(...more);
    expect((await ts.sync()).ok).toBe(true);
    const paths = kit.fake.requests.map((r) => r.path);
    expect(paths.filter((p) => p === `/v1/incidents/${id}/associated-alert-ids`)).toHaveLength(2);
    expect(paths.filter((p) => p.startsWith('/v2/alerts/')).sort()).toEqual(
      [...kit.fake.alerts[id]!, ...Object.entries(kit.fake.alerts).flatMap(([k, v]) => (k === id ? [] : v))]
        .map((a) => `/v2/alerts/${a.id}`)
        .sort(),
    );
    const incident = (await ts.export()).incidents.find((i) => i.id === `og-${id}`)!;
    expect(incident).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: '2026-03-17T06:40:00.000Z',
      responders: expect.arrayContaining(['cara@acme.example']),
    });
  });

  it('stores the schedules on-call shifts from 14 days back to 14 ahead, linked to people by email, equal to the truth', async () => {
    const ts = await workspace({ teams: ['payments'] });
    expect((await ts.sync()).ok).toBe(true);
    const shifts =
      ((await ts.export()) as { oncalls?: { person: string; start?: string; end?: string; service?: string; source: string }[] }).oncalls ??
      [];
    expect(
      shifts.map((s) => [s.source, s.service, s.person, s.start, s.end]).sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
    ).toEqual([
      ['opsgenie', 'Payments', 'ben', '2026-03-04T10:00:00.000Z', '2026-03-09T09:00:00.000Z'],
      ['opsgenie', 'Payments', 'ana', '2026-03-09T09:00:00.000Z', '2026-03-16T09:00:00.000Z'],
      ['opsgenie', 'Payments', 'ben', '2026-03-16T09:00:00.000Z', '2026-03-23T09:00:00.000Z'],
      ['opsgenie', 'Payments', 'ana', '2026-03-23T09:00:00.000Z', '2026-03-30T09:00:00.000Z'],
      ['opsgenie', 'Payments', 'ben', '2026-03-30T09:00:00.000Z', '2026-04-01T10:00:00.000Z'],
    ]);
    // `teams` takes names: the Growth team's incident is left out.
    expect((await ts.export()).incidents.map((i) => i.id).sort()).toEqual([INC(1), INC(2), INC(3)]);
  });

  it('keeps one row per shift when later syncs see it cut at another start, and grows the last one', async () => {
    const ts = await workspace({ teams: ['Payments'] });
    expect((await ts.sync()).ok).toBe(true);
    clock.now = new Date('2026-03-19T10:00:00Z');
    expect((await ts.sync()).ok).toBe(true);
    const shifts = ((await ts.export()) as { oncalls?: { person: string; start?: string; end?: string }[] }).oncalls ?? [];
    expect(shifts.map((s) => [s.person, s.start, s.end]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['ben', '2026-03-04T10:00:00.000Z', '2026-03-09T09:00:00.000Z'],
      ['ana', '2026-03-09T09:00:00.000Z', '2026-03-16T09:00:00.000Z'],
      ['ben', '2026-03-16T09:00:00.000Z', '2026-03-23T09:00:00.000Z'],
      ['ana', '2026-03-23T09:00:00.000Z', '2026-03-30T09:00:00.000Z'],
      ['ben', '2026-03-30T09:00:00.000Z', '2026-04-02T10:00:00.000Z'],
    ]);
  });

  it('refuses a bad configuration naming the field, and never shows the API key', async () => {
    expect(() => opsgenie({ apiKey: '' })).toThrow('opsgenie.apiKey:');
    expect(() => opsgenie({ apiKey: OPSGENIE_KEY, baseUrl: 'api.opsgenie.com' })).toThrow('opsgenie.baseUrl:');
    const ts = await workspace({ apiKey: 'wrong-key-0123456789' });
    const result = await ts.sync();
    const message = result.connectors[0]?.error?.message ?? '';
    expect(message).toContain('401');
    expect(message).toContain('connectors.opsgenie.apiKey');
    expect(message).not.toContain('wrong-key-0123456789');
  });
});

describe('opsgenie connector: webhooks', () => {
  const delivery = (key: string | undefined) => {
    const body = JSON.stringify({
      action: 'Acknowledge',
      incident: { id: '69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a02' },
      source: { name: '', type: 'web' },
    });
    return {
      headers: { 'content-type': 'application/json', 'x-request-id': 'wh-1', ...(key ? { 'x-opsgenie-key': key } : {}) },
      rawBody: Buffer.from(body),
    };
  };

  it('stores the incident of a delivery that carries the key, and refuses one without it, storing nothing', async () => {
    const ts = await workspace({ webhookKey: 'whk-0123456789abcdef' });
    const refused = await ts.webhooks.receive('opsgenie', delivery('whk-wrong-key-000000'));
    expect(refused.status).toBe(401);
    expect(await ts.webhooks.receive('opsgenie', delivery(undefined))).toMatchObject({ status: 401 });
    expect((await ts.export()).incidents).toEqual([]);
    const accepted = await ts.webhooks.receive('opsgenie', delivery('whk-0123456789abcdef'));
    expect(accepted.status).toBe(202);
    expect((await ts.export()).incidents.map((i) => [i.id, i.status])).toEqual([[INC(2), 'acknowledged']]);
  });
});

describe('opsgenie actions', () => {
  /** An acknowledge of the first alert proposed by an assistant, waiting for Lea's decision. */
  const proposedAcknowledge = async () => {
    const ts = await workspace();
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'lea', name: 'Lea', email: 'lea@acme.example' }] });
    const alert = kit.fake.alerts['69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a03']![0]!.id;
    const proposed = await ts.actions.propose({
      type: 'opsgenie.alert.acknowledge',
      target: alert,
      params: { alert },
      reason: 'on it',
      requestedBy: 'assistant',
    });
    expect(proposed.status).toBe('pending');
    return { ts, alert, proposed };
  };

  it('fails an approved acknowledge answered 5xx that the check finds had not landed, sent once', async () => {
    const { ts, alert, proposed } = await proposedAcknowledge();
    kit.fake.failures.push(503);
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lea' });
    const settled = await ts.approvals.get(proposed.id);
    expect(settled).toMatchObject({ status: 'failed' });
    expect(settled?.error?.message).toMatch(
      /Opsgenie POST \/v2\/alerts\/\S+\/acknowledge failed with 503.*may or may not have taken effect/,
    );
    // The check read the alert: not acknowledged, so the write had not landed.
    expect(settled?.error?.message).toMatch(/the upstream answered with an error and the write had not taken effect; it was not retried$/);
    expect(kit.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/v2/alerts/${alert}/acknowledge`]);
  });

  it('records an acknowledge answered 503 that landed as executed, found by reading the alert, sent once', async () => {
    const { ts, alert, proposed } = await proposedAcknowledge();
    kit.fake.failuresAfterLanding.push(503);
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lea' });
    const settled = await ts.approvals.get(proposed.id);
    expect(settled).toMatchObject({ status: 'executed', result: { alert, acknowledged: true } });
    expect(settled?.error).toBeUndefined();
    const executed = (await ts.audit.list({ approvalId: proposed.id })).find((e) => e.type === 'approval.executed');
    expect(executed?.data).toMatchObject({ reconciled: true });
    expect(kit.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/v2/alerts/${alert}/acknowledge`]);
    // The precondition's read before the write and the check's read after it.
    expect(kit.fake.requests.filter((r) => r.path === `/v2/alerts/${alert}`).map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });
});
