import { createTeamState, type WorkItem } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { trackerConnector } from './fixtures/tracker-connector.js';

// The webhook stores the work item carried in the delivery's body, as the Jira connector does.
const connector = trackerConnector((event) => ({ records: { workItems: [(event.payload as { item: WorkItem }).item] } }));

const item = (title: string, state: string, updatedAt: string): WorkItem => ({
  id: 'jira-1',
  source: 'jira',
  kind: 'story',
  key: 'PAY-1',
  title,
  state,
  createdAt: '2026-03-01T09:00:00Z',
  updatedAt,
});

async function open() {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
  const deliver = (id: string, body: WorkItem) =>
    ts.webhooks.receive('tracker', {
      headers: { 'x-delivery': id },
      rawBody: Buffer.from(JSON.stringify({ event: 'issue_updated', item: body })),
    });
  const stored = async () => (await ts.workItems.get('jira-1'))!;
  return { ts, deliver, stored };
}

describe('webhook deliveries older than what is stored', () => {
  it('never write an older snapshot of a work item over a newer one (a replay under a new delivery id, or out of order)', async () => {
    const { ts, deliver, stored } = await open();
    expect((await deliver('d1', item('Old title', 'To Do', '2026-03-02T09:00:00Z'))).status).toBe(202);
    expect((await deliver('d2', item('New title', 'Done', '2026-03-03T09:00:00Z'))).status).toBe(202);

    const replay = await deliver('d3', item('Old title', 'To Do', '2026-03-02T09:00:00Z'));
    expect(replay).toMatchObject({ status: 202, body: { ok: true, stale: ['jira-1'] } });
    expect(await stored()).toMatchObject({ title: 'New title', state: 'Done', updatedAt: '2026-03-03T09:00:00.000Z' });
    // The delivery is still recorded, so sending it again is a duplicate.
    expect((await deliver('d3', item('Old title', 'To Do', '2026-03-02T09:00:00Z'))).body).toMatchObject({ duplicate: true });
    await ts.close();
  });

  it('store a snapshot as new as the stored one, a newer one, and one without updatedAt', async () => {
    const { ts, deliver, stored } = await open();
    await deliver('d1', item('One', 'To Do', '2026-03-02T09:00:00Z'));
    await deliver('d2', item('Same instant', 'In Progress', '2026-03-02T09:00:00Z'));
    expect(await stored()).toMatchObject({ title: 'Same instant' });
    await deliver('d3', item('Later', 'Done', '2026-03-04T09:00:00Z'));
    expect(await stored()).toMatchObject({ title: 'Later' });
    const { updatedAt: _, ...undated } = item('Undated', 'Done', '2026-03-01T00:00:00Z');
    expect((await deliver('d4', undated)).body).not.toHaveProperty('stale');
    expect(await stored()).toMatchObject({ title: 'Undated' });
    await ts.close();
  });
});
