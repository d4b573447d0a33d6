import { createHmac } from 'node:crypto';
import { pagerduty, verifyPagerDutySignature } from '@teamstate/connectors/pagerduty';
import { type ActionContext, createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakePagerDuty, fixture } from './fake-pagerduty.js';

const fake = createFakePagerDuty();
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const waits: string[] = [];
const connector = () =>
  pagerduty({
    token: 'pd-test-token',
    baseUrl: fake.url,
    serviceTeams: { PCHKOUT: 'shop' },
    from: 'oncall-bot@acme.example',
    sleep: async (ms, reason) => {
      waits.push(`${ms} ${reason}`);
    },
  });
let now = new Date('2026-03-18T10:00:00Z');
beforeEach(() => {
  now = new Date('2026-03-18T10:00:00Z');
});
const open = async () => {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [connector()],
    clock: () => now,
    policy: { approvers: { high: ['lea'] } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'shop', name: 'Shop', leads: ['lea'] }],
    people: [
      { id: 'lea', name: 'Lea', email: 'lea@acme.example', teams: ['shop'] },
      { id: 'ana', name: 'Ana', email: 'ana@acme.example', teams: ['shop'] },
    ],
  });
  return ts;
};

describe('pagerduty sync', () => {
  it('maps incidents with their timeline, team and responders, paging by offset and waiting out a 429', async () => {
    const ts = await open();
    fake.force({ status: 429, headers: { 'Retry-After': '2' } });
    expect((await ts.sync()).ok).toBe(true);
    expect(waits.at(-1)).toMatch(/^2000 PagerDuty GET \/incidents\?.*rate limited, retry 1$/);
    const first = fake.received.find((r) => r.path === '/incidents')!;
    expect(first.search.get('since')).toBe('2025-09-19T10:00:00.000Z');
    expect(first.search.get('until')).toBe('2026-03-18T10:00:00.000Z');
    expect(fake.received.filter((r) => r.path === '/incidents').map((r) => r.search.get('offset'))).toEqual(['0', '0', '2']);
    const [latest, search, checkout] = await ts.incidents.list({});
    expect(checkout).toMatchObject({
      id: 'pd-Q0CHKA1B2C3D4E',
      source: 'pagerduty',
      externalId: 'Q0CHKA1B2C3D4E',
      service: 'checkout',
      team: 'shop',
      severity: 'P1',
      urgency: 'high',
      status: 'resolved',
      acknowledgedAt: '2026-03-10T14:05:40.000Z',
      resolvedAt: '2026-03-10T14:51:09.000Z',
    });
    expect(checkout?.timeline?.map((e) => `${e.kind} ${e.actor ?? ''} ${e.text ?? ''}`.trim())).toEqual([
      'triggered Datadog Triggered through the API.',
      'acknowledged Ana Lima Acknowledged by Ana Lima.',
      'note Ana Lima Rolling back deploy 4821 of acme/checkout',
      'resolved Ana Lima Resolved by Ana Lima.',
    ]);
    expect(search).toMatchObject({ service: 'search', status: 'resolved', urgency: 'low' });
    expect(search?.team).toBeUndefined();
    expect(latest).toMatchObject({ status: 'acknowledged', responders: ['Ana Lima'] });
    // The next sync starts at the earliest incident still open.
    fake.reset();
    await ts.sync();
    expect(fake.received.find((r) => r.path === '/incidents')?.search.get('since')).toBe('2026-03-17T21:41:10.000Z');
    await ts.close();
  });
});

describe('pagerduty teams', () => {
  it('gives an incident the team of its service’s repository when serviceTeams does not name one', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [
        pagerduty({ token: 'pd-test-token', baseUrl: fake.url, serviceRepositories: { PCHKOUT: 'acme/checkout' }, sleep: async () => {} }),
      ],
      clock: () => now,
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'shop', name: 'Shop' }],
      repositories: [{ id: 'acme/checkout', team: 'shop' }],
    });
    await ts.sync();
    const summaries = await ts.incidents.summaries();
    expect(summaries.map((i) => `${i.id} ${i.service} ${i.team ?? '-'}`)).toEqual([
      'pd-Q2CHKQ7R8S9T0U checkout shop',
      'pd-Q1SRCH9Z8Y7X6W search -',
      'pd-Q0CHKA1B2C3D4E checkout shop',
    ]);
    expect((await ts.incidents.list({})).find((i) => i.id === 'pd-Q0CHKA1B2C3D4E')).toMatchObject({ repository: 'acme/checkout' });
    await ts.close();
  });
});

describe('pagerduty on-call', () => {
  it('stores who is on call per escalation policy, schedule and service, linked to people by email', async () => {
    const ts = await open();
    expect((await ts.sync()).ok).toBe(true);
    const reads = fake.received.filter((r) => r.path === '/oncalls');
    // The first sync reads 90 days of shifts (the most /oncalls allows), whole users included, paging by offset.
    expect(reads.map((r) => r.search.get('offset'))).toEqual(['0', '2', '4']);
    expect(reads[0]?.search.get('since')).toBe('2025-12-18T10:00:00.000Z');
    expect(reads[0]?.search.get('until')).toBe('2026-03-18T10:00:00.000Z');
    expect(reads[0]?.search.getAll('include[]')).toEqual(['users']);
    const { oncalls, people } = await ts.export();
    expect(
      oncalls.map(
        (o) =>
          `${o.escalationPolicy} ${o.level} ${o.schedule ?? '-'} ${o.service} ${o.team ?? '-'} ${o.person} ${o.start ?? '-'} ${o.end ?? '-'}`,
      ),
    ).toEqual([
      'PESCPOL 1 PSCHED1 checkout shop ana 2026-03-09T09:00:00.000Z 2026-03-16T09:00:00.000Z',
      'PESCPOL 1 PSCHED1 checkout shop rui 2026-03-16T09:00:00.000Z 2026-03-23T09:00:00.000Z',
      'PESCPOL 2 - checkout shop lea - -',
      'PESCSRC 1 PSCHED2 search - sam 2026-03-11T00:00:00.000Z 2026-03-18T00:00:00.000Z',
      'PESCSRC 1 PSCHED2 search - ana 2026-03-18T00:00:00.000Z 2026-03-25T00:00:00.000Z',
    ]);
    expect(oncalls[0]).toMatchObject({ source: 'pagerduty', escalationPolicyName: 'Shop on-call', scheduleName: 'Shop primary' });
    // ana and lea (whose PagerDuty email differs in case) are the people with those emails; rui is new, named as in PagerDuty.
    expect(people.find((p) => p.id === 'lea')?.accounts).toContainEqual({
      provider: 'pagerduty',
      id: 'PUSRLEA',
      login: 'lea@acme.example',
    });
    expect(people.find((p) => p.id === 'rui')).toMatchObject({ name: 'Rui Costa', email: 'rui@acme.example' });

    // The briefs name the real on-call: whoever held the shift when the incident began, and the second level.
    const open_ = await ts.incidents.brief('pd-Q2CHKQ7R8S9T0U');
    expect(open_.oncall.map((p) => `${p.person} ${p.role}`)).toEqual([
      'rui level 1 of Shop on-call (Shop primary) when it began',
      'lea level 2 of Shop on-call',
    ]);
    const resolved = await ts.incidents.brief('pd-Q0CHKA1B2C3D4E');
    expect(resolved.oncall.map((p) => p.person)).toEqual(['ana', 'lea']);

    // The next sync reads only the shifts since the last one: one page of /oncalls, one of /services.
    fake.reset();
    now = new Date('2026-03-18T11:00:00Z');
    await ts.sync();
    const next = fake.received.filter((r) => r.path === '/oncalls');
    expect(next.map((r) => [r.search.get('since'), r.search.get('until'), r.search.get('offset')])).toEqual([
      ['2026-03-18T10:00:00.000Z', '2026-03-18T11:00:00.000Z', '0'],
      ['2026-03-18T10:00:00.000Z', '2026-03-18T11:00:00.000Z', '2'],
    ]);
    expect(fake.received.filter((r) => r.path === '/services')).toHaveLength(1);
    expect((await ts.export()).oncalls).toHaveLength(5);
    await ts.close();
  });

  it('reads only the escalation policies of the configured services', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [pagerduty({ token: 'pd-test-token', baseUrl: fake.url, services: ['PSEARCH'], sleep: async () => {} })],
      clock: () => now,
    });
    await ts.sync();
    const reads = fake.received.filter((r) => r.path === '/oncalls');
    expect(reads.map((r) => r.search.getAll('escalation_policy_ids[]'))).toEqual([['PESCSRC']]);
    expect((await ts.export()).oncalls.map((o) => `${o.service} ${o.person}`)).toEqual(['search sam', 'search ana']);
    await ts.close();
  });
});

describe('pagerduty writes: From', () => {
  const logged: string[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => {
    logged.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  const openAs = async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [connector()],
      clock: () => now,
      policy: { approvers: { high: ['lea', 'ana', 'max', 'tom'] } },
      logger: { debug: record, info: record, warn: record, error: record },
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      people: [
        // lea's PagerDuty account (an identity link) wins over her own email, which PagerDuty does not know.
        {
          id: 'lea',
          name: 'Lea',
          email: 'lea.lead@acme.example',
          accounts: [{ provider: 'pagerduty', id: 'PUSRLEA', login: 'lea@acme.example' }],
        },
        { id: 'ana', name: 'Ana', email: 'ana@acme.example' },
        { id: 'max', name: 'Max' },
        { id: 'tom', name: 'Tom', email: 'tom@acme.example' },
      ],
    });
    return ts;
  };
  const acknowledge = async (ts: Awaited<ReturnType<typeof openAs>>, by: string) => {
    const proposed = await ts.actions.propose({
      type: 'pagerduty.incident.acknowledge',
      target: 'pd-Q2CHKQ7R8S9T0U',
      params: { incident: 'pd-Q2CHKQ7R8S9T0U' },
      reason: 'on it',
      requestedBy: 'assistant',
    });
    await ts.approvals.decide(proposed.id, { decision: 'approve', by });
    return ts.approvals.execute(proposed.id);
  };
  const froms = () => fake.received.filter((r) => r.method === 'PUT').map((r) => r.headers.get('from'));

  it('writes as the approver: their PagerDuty account, else their email, else the configured from', async () => {
    const ts = await openAs();
    expect(await acknowledge(ts, 'lea')).toMatchObject({ status: 'executed', decidedBy: 'lea' });
    expect(await acknowledge(ts, 'ana')).toMatchObject({ status: 'executed' });
    expect(await acknowledge(ts, 'max')).toMatchObject({ status: 'executed' });
    expect(froms()).toEqual(['lea@acme.example', 'ana@acme.example', 'oncall-bot@acme.example']);
    await ts.close();
  });

  it('keeps the approver’s email out of errors and logs when PagerDuty refuses it', async () => {
    logged.length = 0;
    const ts = await openAs();
    const failed = await acknowledge(ts, 'tom');
    expect(froms()).toEqual(['tom@acme.example']);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'executor_error' } });
    expect(failed.error?.message).toMatch(
      /^PagerDuty PUT \/incidents\/Q2CHKQ7R8S9T0U failed with 400: .*Requester with email \*\*\* is not a user/,
    );
    const audit = JSON.stringify(await ts.audit.list({ limit: 100 }));
    expect(logged.length).toBeGreaterThan(0);
    for (const text of [JSON.stringify(failed), logged.join('\n'), audit]) expect(text).not.toContain('tom@acme.example');
    await ts.close();
  });
});

describe('pagerduty actions: exactly once', () => {
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const context = (idempotencyKey: string, proposedState?: unknown): ActionContext => ({
    workspace: 'default',
    approvalId: 'a-1',
    idempotencyKey,
    requestedBy: 'assistant',
    target: 'x',
    limits: {},
    deadline: new Date('2026-03-18T14:00:00Z'),
    log: silent,
    now: () => now,
    ...(proposedState === undefined ? {} : { proposedState }),
  });
  const action = (type: string) => connector().actions!.find((a) => a.type === type)!;
  const posts = () => fake.received.filter((r) => r.method === 'POST' && r.path === '/incidents');

  it('pages once per approval: its idempotency key is the incident key, and checkExecuted finds the incident by it', async () => {
    const ts = await open();
    const proposed = await ts.actions.propose({
      type: 'pagerduty.incident.page',
      target: 'PCHKOUT',
      params: { service: 'PCHKOUT', title: 'checkout is down', urgency: 'low' },
      reason: 'error rate 40%',
      requestedBy: 'assistant',
    });
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lea' });
    const executed = await ts.approvals.execute(proposed.id);
    expect(executed).toMatchObject({ status: 'executed', result: { incident: 'QNEW000001' } });
    expect(await ts.approvals.execute(proposed.id)).toMatchObject({ status: 'executed' });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toEqual({
      incident: {
        type: 'incident',
        title: 'checkout is down',
        service: { id: 'PCHKOUT', type: 'service_reference' },
        urgency: 'low',
        incident_key: proposed.idempotencyKey,
      },
    });
    // After a crash mid-run: the key finds the incident opened, and only for this approval.
    const page = action('pagerduty.incident.page');
    const params = { service: 'PCHKOUT', title: 'checkout is down' };
    expect(await page.checkExecuted!(params, context(proposed.idempotencyKey))).toEqual({
      executed: true,
      result: { incident: 'QNEW000001', url: 'https://acme.pagerduty.com/incidents/QNEW000001' },
    });
    expect(await page.checkExecuted!(params, context('another-approval-key'))).toEqual({ executed: false });
    // PagerDuty itself refuses a second incident with the same key: a retried write cannot page twice.
    await expect(page.execute(params, context(proposed.idempotencyKey))).rejects.toThrow(/failed with 400: .*Incident Already Exists/);
    expect(fake.incidents.filter((i) => i.incident_key === proposed.idempotencyKey)).toHaveLength(1);
    await ts.close();
  });

  it('tells whether an acknowledge or an escalation took effect (checkExecuted)', async () => {
    const acknowledge = action('pagerduty.incident.acknowledge');
    const incident = fake.incidents.find((i) => i.id === 'Q2CHKQ7R8S9T0U');
    incident.status = 'triggered';
    expect(await acknowledge.checkExecuted!({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k1'))).toEqual({ executed: false });
    incident.status = 'acknowledged';
    expect(await acknowledge.checkExecuted!({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k1'))).toMatchObject({ executed: true });
    // Resolved since: the acknowledge is past, not to be sent again.
    incident.status = 'resolved';
    expect(await acknowledge.checkExecuted!({ incident: 'Q2CHKQ7R8S9T0U' }, context('k1'))).toMatchObject({ executed: true });
    incident.status = 'acknowledged';

    const escalate = action('pagerduty.incident.escalate');
    const state = await escalate.precondition!({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k2'));
    expect(state).toEqual({ ok: true, state: { level: incident.escalation_level } });
    const proposedState = state.ok ? state.state : undefined;
    expect(await escalate.checkExecuted!({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k2', proposedState))).toEqual({ executed: false });
    expect(await escalate.execute({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k2', proposedState))).toEqual({
      incident: 'Q2CHKQ7R8S9T0U',
      escalationLevel: (proposedState as { level: number }).level + 1,
    });
    expect(await escalate.checkExecuted!({ incident: 'pd-Q2CHKQ7R8S9T0U' }, context('k2', proposedState))).toMatchObject({
      executed: true,
    });
    expect(fake.received.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
      { incident: { type: 'incident_reference', escalation_level: (proposedState as { level: number }).level + 1 } },
    ]);
  });

  it('waits out 429s with doubling back-off without Retry-After, then writes once', async () => {
    waits.length = 0;
    const ts = await open();
    const proposed = await ts.actions.propose({
      type: 'pagerduty.incident.page',
      target: 'PCHKOUT',
      params: { service: 'PCHKOUT', title: 'checkout is slow' },
      reason: 'p99 above 2 s',
      requestedBy: 'assistant',
    });
    fake.reset();
    // The approval runs as it is decided: its POST is rate limited twice, then lands.
    fake.force({ status: 429 }, { status: 429 });
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.get(proposed.id)).toMatchObject({ status: 'executed' });
    expect(waits).toEqual([
      expect.stringMatching(/^1000 PagerDuty POST \/incidents: rate limited, retry 1$/),
      expect.stringMatching(/^2000 PagerDuty POST \/incidents: rate limited, retry 2$/),
    ]);
    expect(fake.received.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /incidents', 'POST /incidents', 'POST /incidents']);
    expect(fake.incidents.filter((i) => i.title === 'checkout is slow')).toHaveLength(1);
    await ts.close();
  });
});

describe('pagerduty webhooks v3', () => {
  it('stores a signed incident event (signed twice while the secret rotates) as a sync would, once', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [
        pagerduty({
          token: 'pd-test-token',
          baseUrl: fake.url,
          serviceTeams: { PCHKOUT: 'shop' },
          webhookSecret: 'new-secret',
          sleep: async () => {},
        }),
      ],
      clock: () => now,
    });
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'shop', name: 'Shop' }] });
    const body = Buffer.from(JSON.stringify(fixture('webhook-incident-acknowledged.json')));
    const v1 = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const delivery = {
      headers: { 'x-pagerduty-signature': `${v1('old-secret')},${v1('new-secret')}`, 'content-type': 'application/json' },
      rawBody: body,
    };
    const response = await ts.webhooks.receive('pagerduty', delivery);
    expect(response.status).toBe(202);
    const [incident] = await ts.incidents.list({});
    expect(incident).toMatchObject({ id: 'pd-Q2CHKQ7R8S9T0U', status: 'acknowledged', team: 'shop', service: 'checkout' });
    expect(incident?.timeline?.map((e) => e.kind)).toEqual(['triggered', 'acknowledged']);
    // Read back: the incident and its log entries, nothing else.
    expect(fake.received.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /incidents/Q2CHKQ7R8S9T0U',
      'GET /incidents/Q2CHKQ7R8S9T0U/log_entries',
    ]);
    // A redelivery of the same event is a no-op; the old secret alone is refused.
    expect((await ts.webhooks.receive('pagerduty', delivery)).body).toMatchObject({ duplicate: true });
    expect(
      (await ts.webhooks.receive('pagerduty', { ...delivery, headers: { ...delivery.headers, 'x-pagerduty-signature': v1('old-secret') } }))
        .status,
    ).toBe(401);
    await ts.close();
  });

  it('accepts any one of several v1 signatures (secret rotation) and nothing else', () => {
    const body = Buffer.from('{"event":{"id":"E1"}}');
    const v1 = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(verifyPagerDutySignature('new', body, `${v1('old')},${v1('new')}`)).toBe(true);
    expect(verifyPagerDutySignature('new', body, v1('old'))).toBe(false);
    expect(verifyPagerDutySignature('new', body, v1('new').replace('v1=', 'v0='))).toBe(false);
    expect(verifyPagerDutySignature('new', body, undefined)).toBe(false);
  });
});

describe('pagerduty actions', () => {
  it('acknowledges with From, once; an incident already resolved is stale', async () => {
    const ts = await open();
    const ack = await ts.actions.propose({
      type: 'pagerduty.incident.acknowledge',
      target: 'pd-Q2CHKQ7R8S9T0U',
      params: { incident: 'pd-Q2CHKQ7R8S9T0U' },
      reason: 'on it',
      requestedBy: 'assistant',
    });
    expect(ack).toMatchObject({ status: 'pending', mode: 'require_approval' });
    await ts.approvals.decide(ack.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.execute(ack.id)).toMatchObject({ status: 'executed' });
    const puts = fake.received.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    // Made as the approver: lea's email.
    expect(puts[0]?.headers.get('from')).toBe('lea@acme.example');
    expect(puts[0]?.body).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });

    // Proposed while open, resolved by someone in PagerDuty before the approval runs: stale, nothing sent.
    const resolve = await ts.actions.propose({
      type: 'pagerduty.incident.resolve',
      target: 'pd-Q2CHKQ7R8S9T0U',
      params: { incident: 'Q2CHKQ7R8S9T0U' },
      reason: 'fixed',
      requestedBy: 'assistant',
    });
    fake.incidents.find((i) => i.id === 'Q2CHKQ7R8S9T0U').status = 'resolved';
    await ts.approvals.decide(resolve.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.execute(resolve.id)).toMatchObject({ status: 'failed', error: { code: 'stale' } });
    expect(fake.received.filter((r) => r.method === 'PUT')).toHaveLength(1);
    // A proposal against an incident already resolved is refused at once, naming why.
    await expect(
      ts.actions.propose({
        type: 'pagerduty.incident.escalate',
        target: 'pd-Q0CHKA1B2C3D4E',
        params: { incident: 'pd-Q0CHKA1B2C3D4E' },
        reason: 'louder',
        requestedBy: 'assistant',
      }),
    ).rejects.toThrow(/incident Q0CHKA1B2C3D4E is already resolved/);
    await ts.close();
  });
});
