import { statuspage } from '@teamstate/connectors/statuspage';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeStatuspage, PAGE } from './fake-statuspage.js';

const fake = createFakeStatuspage();
beforeAll(() => fake.listen());
afterAll(() => fake.close());

describe('statuspage', () => {
  it('syncs incidents with their updates as status updates, and posts an update once, refusing a resolved incident', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [statuspage({ token: 'sp-test-token', pageId: PAGE, baseUrl: fake.url })],
      clock: () => new Date('2026-03-18T10:00:00Z'),
      policy: { approvers: { high: ['lea'] } },
    });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'lea', name: 'Lea' }] });
    expect((await ts.sync()).ok).toBe(true);
    const [open, resolved] = await ts.incidents.list({});
    expect(open).toMatchObject({
      id: 'sp-p31zjtct2jer',
      source: 'statuspage',
      status: 'acknowledged',
      service: 'Checkout',
      severity: 'major',
    });
    expect(open?.timeline?.map((e) => `${e.kind} ${e.text}`)).toEqual([
      'status_update investigating: We are investigating slow checkouts.',
      'status_update monitoring: A fix has been deployed; we are monitoring.',
    ]);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-12T09:12:00.000Z' });

    const update = await ts.actions.propose({
      type: 'statuspage.incident.update',
      target: 'sp-p31zjtct2jer',
      params: { incident: 'sp-p31zjtct2jer', status: 'resolved', body: 'Checkout is back to normal.' },
      reason: 'errors gone for 30 minutes',
      requestedBy: 'assistant',
    });
    expect(update).toMatchObject({ status: 'pending', mode: 'require_approval' });
    await ts.approvals.decide(update.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.execute(update.id)).toMatchObject({ status: 'executed' });
    expect(fake.writes).toEqual([{ method: 'PATCH', body: { body: 'Checkout is back to normal.', status: 'resolved' } }]);
    await expect(
      ts.actions.propose({
        type: 'statuspage.incident.update',
        target: 'sp-h8f2r6n4v0tq',
        params: { incident: 'h8f2r6n4v0tq', body: 'again' },
        reason: 'x',
        requestedBy: 'assistant',
      }),
    ).rejects.toThrow(/incident h8f2r6n4v0tq is already resolved/);
    await ts.close();
  });

  it('opens an incident once, marked with the approval’s key, which checkExecuted finds after a crash', async () => {
    const connector = statuspage({ token: 'sp-test-token', pageId: PAGE, baseUrl: fake.url });
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [connector],
      clock: () => new Date('2026-03-18T10:00:00Z'),
      policy: { approvers: { high: ['lea'] } },
    });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'lea', name: 'Lea' }] });
    fake.writes.length = 0;
    const params = { name: 'Payments delayed', body: 'We are investigating delayed card payments.', impact: 'major' as const };
    const create = await ts.actions.propose({
      type: 'statuspage.incident.create',
      target: 'page',
      params,
      reason: 'payments queue above 10 minutes',
      requestedBy: 'assistant',
    });
    expect(create).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high' });
    await ts.approvals.decide(create.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.execute(create.id)).toMatchObject({ status: 'executed', result: { incident: 'new000000001' } });
    expect(await ts.approvals.execute(create.id)).toMatchObject({ status: 'executed' });
    expect(fake.writes).toEqual([
      {
        method: 'POST',
        body: {
          name: 'Payments delayed',
          status: 'investigating',
          body: 'We are investigating delayed card payments.',
          impact_override: 'major',
          metadata: { teamstate: { idempotency_key: create.idempotencyKey, approval: create.id } },
        },
      },
    ]);
    const action = connector.actions!.find((a) => a.type === 'statuspage.incident.create')!;
    const context = (idempotencyKey: string) => ({
      workspace: 'default',
      approvalId: create.id,
      idempotencyKey,
      requestedBy: 'assistant',
      target: 'page',
      limits: {},
      deadline: new Date('2026-03-18T14:00:00Z'),
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      now: () => new Date('2026-03-18T10:00:00Z'),
    });
    expect(await action.checkExecuted!(params, context(create.idempotencyKey))).toEqual({
      executed: true,
      result: { incident: 'new000000001', shortlink: expect.any(String) },
    });
    expect(await action.checkExecuted!(params, context('another-key'))).toEqual({ executed: false });

    // An update proposed while the incident is open, run after someone resolved it: stale, nothing posted.
    const update = await ts.actions.propose({
      type: 'statuspage.incident.update',
      target: 'sp-new000000001',
      params: { incident: 'sp-new000000001', body: 'Still investigating.' },
      reason: 'keep customers posted',
      requestedBy: 'assistant',
    });
    fake.incidents.find((i) => i.id === 'new000000001').status = 'resolved';
    await ts.approvals.decide(update.id, { decision: 'approve', by: 'lea' });
    expect(await ts.approvals.get(update.id)).toMatchObject({ status: 'failed', error: { code: 'stale' } });
    expect(fake.writes).toHaveLength(1);
    await ts.close();
  });

  it('reports an approved update answered 5xx as outcome unknown, sent once', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [statuspage({ token: 'sp-test-token', pageId: PAGE, baseUrl: fake.url })],
      clock: () => new Date('2026-03-18T10:00:00Z'),
      policy: { approvers: { high: ['lea'] } },
    });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'lea', name: 'Lea' }] });
    // Open again (an earlier test resolved it through the fake).
    const open = fake.incidents.find((i) => i.id === 'p31zjtct2jer');
    open.status = 'monitoring';
    const update = await ts.actions.propose({
      type: 'statuspage.incident.update',
      target: `sp-${open.id}`,
      params: { incident: open.id, body: 'Still looking into it.' },
      reason: 'keep customers posted',
      requestedBy: 'assistant',
    });
    fake.writes.length = 0;
    fake.failures.push(502);
    await ts.approvals.decide(update.id, { decision: 'approve', by: 'lea' });
    const settled = await ts.approvals.get(update.id);
    expect(settled).toMatchObject({ status: 'failed' });
    expect(settled?.error?.message).toMatch(/Statuspage PATCH \S+ failed with 502.*may or may not have taken effect/);
    expect(fake.writes.map((w) => w.method)).toEqual(['PATCH']);
    await ts.close();
  });
});
