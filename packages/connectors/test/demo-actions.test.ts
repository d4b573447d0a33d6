import { demo, demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

const now = new Date('2026-11-21T10:30:00Z');

describe('demo.note.add', () => {
  it('is proposed, approved and executed like any action, and only returns the note', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [demo()],
      clock: () => now,
      policy: { actions: { 'demo.note.add': { risk: 'high', mode: 'require_approval' } } },
    });
    try {
      const bundle = demoBundle({ now });
      await ts.import(bundle);
      expect(ts.actions.list().map((a) => `${a.type}:${a.risk}:${a.mode}`)).toEqual(['demo.note.add:high:require_approval']);
      const key = bundle.workItems[0]!.key;
      const proposed = await ts.actions.propose({
        type: 'demo.note.add',
        target: key,
        params: { key, text: 'looks stale' },
        reason: 'r',
        requestedBy: 'assistant',
      });
      expect(proposed.status).toBe('pending');
      await ts.approvals.decide(proposed.id, { decision: 'approve', by: bundle.people[0]!.id });
      expect(await ts.approvals.execute(proposed.id)).toMatchObject({
        status: 'executed',
        result: { noted: true, key, text: 'looks stale', at: now.toISOString() },
      });
      await expect(
        ts.actions.propose({ type: 'demo.note.add', target: key, params: { key, text: '' }, reason: 'r', requestedBy: 'assistant' }),
      ).rejects.toThrow(/params\.text/);
    } finally {
      await ts.close();
    }
  });
});
