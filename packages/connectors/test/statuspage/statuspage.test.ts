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
});
