import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { teamBundle } from './fixtures/test-connector.js';

// An action whose connector declares a cost: metered on the spend ledger when it runs, and held for a person once the
// month's spend reached limits.max_monthly_cost_usd.
const NOW = new Date('2026-03-02T09:00:00Z');
/** A connector whose one action costs 5 USD a run; `checked`: the action can tell whether a run took effect. */
const smsConnector = (checked = false) =>
  testConnector({
    id: 'sms',
    actions: [
      {
        ...defineActionType({
          type: 'sms.message.send',
          description: 'Send a text message',
          risk: 'low',
          params: z.object({ to: z.string(), text: z.string() }),
          execute: async (params) => ({ sent: params.to }),
          ...(checked ? { checkExecuted: async (params: { to: string }) => ({ executed: true, result: { sent: params.to } }) } : {}),
        }),
        costUsd: 5,
      },
    ],
  });
const sms = smsConnector();

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
});

const text = (to: string) => ({
  type: 'sms.message.send',
  target: to,
  params: { to, text: 'Deploy done' },
  reason: 'notify',
  requestedBy: 'bot',
});

describe('an action with a declared cost', () => {
  it('is metered when it runs and needs approval at the cap', async () => {
    ts = await createTeamState({
      database: ':memory:',
      connectors: [sms],
      policy: { actions: { 'sms.*': { mode: 'auto' } }, limits: { max_monthly_cost_usd: 10 } },
      clock: () => NOW,
    });
    await ts.import(teamBundle);
    expect(await ts.actions.propose(text('+100'))).toMatchObject({ status: 'executed' });
    expect(await ts.actions.propose(text('+101'))).toMatchObject({ status: 'executed' });
    expect(await ts.spend.month()).toEqual({ month: '2026-03', usd: 10, capUsd: 10 });
    const held = await ts.actions.propose(text('+102'));
    expect(held).toMatchObject({ status: 'pending', mode: 'ask' });
    expect(held.escalation).toMatch(/^cost_cap_reached: sms\.message\.send costs \$5/);
    expect(await ts.approvals.decide(held.id, { decision: 'approve', by: 'ana' })).toMatchObject({ status: 'executed' });
    expect(await ts.spend.month()).toMatchObject({ usd: 15 });
  });
});

describe('a paid action whose run stopped half way', () => {
  // A process claimed the run, sent the text and stopped before recording anything; after the lease, another one
  // reconciles it: the action's check finds the text sent, so the run is executed and costs what it costs, once,
  // whether or not the stopped process had recorded the cost before it stopped.
  const checked = smsConnector(true);
  const LATER = new Date(NOW.getTime() + 86_400_000);

  for (const recordedBefore of [false, true])
    it(`is metered once when reconciled${recordedBefore ? ', its cost recorded before it stopped' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'teamstate-cost-'));
      try {
        const database = join(dir, 'cost.db');
        const policy = { actions: { 'sms.*': { mode: 'ask' as const } } };
        const first = await createTeamState({ database, connectors: [checked], policy, clock: () => NOW });
        await first.import(teamBundle);
        const { id } = await first.actions.propose(text('+100'));
        // What the stopped process left: the run claimed and, maybe, its cost.
        await first.store.write((tx) =>
          tx.execute({
            sql: "UPDATE approvals SET status = 'executing', started_at = ? WHERE workspace = ? AND id = ?",
            args: [NOW.getTime(), first.workspace, id],
          }),
        );
        if (recordedBefore) await first.spend.record({ kind: 'action', source: 'sms.message.send', usd: 5, approvalId: id });
        await first.close();
        // The next open reconciles what it finds (it runs no action: it asks the check); a later pass finds nothing.
        ts = await createTeamState({ database, connectors: [checked], policy, clock: () => LATER });
        expect(await ts.approvals.get(id)).toMatchObject({ status: 'executed', result: { sent: '+100' } });
        expect(await ts.approvals.reconcile()).toMatchObject({ recovered: [], interrupted: [] });
        expect(await ts.spend.month()).toMatchObject({ month: '2026-03', usd: 5 });
        await ts.close();
        ts = undefined;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});
