import { createTeamState, type WebhookOutcome } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { trackerConnector } from './fixtures/tracker-connector.js';

// A connector whose webhook answers with whatever outcome the delivery's body names.
const outcomes: Record<string, WebhookOutcome> = {
  'drop-item': { records: {}, remove: { workItems: ['jira-1'] } },
  'drop-sprint': { records: { teams: [{ id: 'payments', name: 'Payments (renamed)' }] }, remove: { sprints: ['sprint-1'] } },
};
const connector = trackerConnector((event) => outcomes[event.name]!);

const deliver = (ts: Awaited<ReturnType<typeof createTeamState>>, event: string, id: string) =>
  ts.webhooks.receive('tracker', { headers: { 'x-delivery': id }, rawBody: Buffer.from(JSON.stringify({ event })) });

describe('webhook removals', () => {
  it('deletes work items and sprints with every row that refers to them, in the delivery transaction', async () => {
    const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
      people: [{ id: 'ana', name: 'Ana' }],
      repositories: [{ id: 'acme/api', team: 'payments' }],
      sprints: [
        {
          id: 'sprint-1',
          name: 'S1',
          team: 'payments',
          state: 'active',
          startAt: '2026-03-02T09:00:00Z',
          endAt: '2026-03-16T09:00:00Z',
          committedItems: ['jira-1', 'jira-2'],
        },
      ],
      workItems: [
        {
          id: 'jira-1',
          source: 'jira',
          kind: 'story',
          key: 'PAY-1',
          title: 'One',
          state: 'Done',
          createdAt: '2026-03-01T09:00:00Z',
          assignees: ['ana'],
          sprint: 'sprint-1',
          transitions: [{ at: '2026-03-03T09:00:00Z', from: 'To Do', to: 'Done', fromCategory: 'todo', toCategory: 'done' }],
        },
        {
          id: 'jira-2',
          source: 'jira',
          kind: 'story',
          key: 'PAY-2',
          title: 'Two',
          state: 'To Do',
          createdAt: '2026-03-01T09:00:00Z',
          sprint: 'sprint-1',
        },
      ],
      deployments: [
        {
          id: 'd1',
          repository: 'acme/api',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-03-04T09:00:00Z',
          pullRequests: ['jira-1'],
        },
      ],
    });
    const count = async (table: string) => Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

    expect((await deliver(ts, 'drop-item', 'd-1')).status).toBe(202);
    expect(await ts.workItems.get('PAY-1')).toBeUndefined();
    expect(await count('work_item_assignees')).toBe(0);
    expect(await count('transitions')).toBe(0);
    expect(await count('deployment_pull_requests')).toBe(0);
    expect((await ts.sprints.get('sprint-1'))!.committedItems).toEqual(['jira-2']);

    expect((await deliver(ts, 'drop-sprint', 'd-2')).status).toBe(202);
    expect(await ts.sprints.get('sprint-1')).toBeUndefined();
    expect(await count('sprint_committed_items')).toBe(0);
    expect((await ts.workItems.get('PAY-2'))!.sprint).toBeUndefined();
    expect((await ts.teams.get('payments'))!.name).toBe('Payments (renamed)');
    // A redelivery is a duplicate and removes nothing more.
    expect((await deliver(ts, 'drop-sprint', 'd-2')).body.duplicate).toBe(true);
    await ts.close();
  });
});
