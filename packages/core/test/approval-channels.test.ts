import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Approval,
  type ApprovalChannel,
  type ApprovalChannelContext,
  type Connector,
  createTeamState,
  type TeamState,
  TeamStateError,
} from '../src/index.js';
import { createTestConnector, createTestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';
import { tempFolders } from './helpers/temp-folders.js';

const temp = tempFolders();

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

interface Shown {
  kind: 'show' | 'update';
  approval: string;
  status: string;
  destination: string;
  messageId: string;
}

/** An approval channel that records what it shows; `failNext` makes the next call throw. */
function recordingChannel(options: { destinations?: (a: Approval, ctx: ApprovalChannelContext) => Promise<string[]> } = {}) {
  const calls: Shown[] = [];
  const control: { failNext?: Error; contexts: ApprovalChannelContext[] } = { contexts: [] };
  let next = 1;
  const channel: ApprovalChannel = {
    id: 'board',
    destinations: options.destinations ?? (async () => ['#approvals']),
    async show(approval, destination, ctx) {
      control.contexts.push(ctx);
      if (control.failNext) {
        const error = control.failNext;
        control.failNext = undefined;
        throw error;
      }
      const messageId = `m${next++}`;
      calls.push({ kind: 'show', approval: approval.id, status: approval.status, destination, messageId });
      return messageId;
    },
    async update(approval, message) {
      if (control.failNext) {
        const error = control.failNext;
        control.failNext = undefined;
        throw error;
      }
      calls.push({ kind: 'update', approval: approval.id, status: approval.status, ...message });
    },
  };
  return { channel, calls, control };
}

let now = T0;
let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function instance(extra: Connector[], database = ':memory:', connectors: Connector[] = [createTestConnector(createTestWorld())]) {
  const ts = await createTeamState({ database, connectors: [...connectors, ...extra], policy: testPolicy, clock: () => new Date(now) });
  open.push(ts);
  return ts;
}

const board = (channel: ApprovalChannel): Connector => ({
  specificationVersion: 'v1',
  id: 'board',
  sync: async () => {},
  approvalChannel: channel,
});
const note = { type: 'test.note.add', target: 'notes', params: { text: 'hello' }, reason: 'say hello', requestedBy: 'bot' };
const merge = {
  type: 'test.pr.merge',
  target: 'acme/api#42',
  params: { repository: 'acme/api', number: 42 },
  reason: 'green',
  requestedBy: 'bot',
};

/** A fresh instance with the recording channel and the test team, at T0. */
async function withBoard(options: Parameters<typeof recordingChannel>[0] = {}) {
  now = T0;
  const recording = recordingChannel(options);
  const ts = await instance([board(recording.channel)]);
  await ts.import(teamBundle);
  return { ts, ...recording };
}

describe('ts.approvals.publish()', () => {
  it('shows a pending approval once, then updates its message as it is decided and executed, until terminal', async () => {
    const { ts, calls } = await withBoard();
    const pending = await ts.actions.propose(note);
    expect(await ts.approvals.publish()).toEqual({ shown: [pending.id], updated: [], failed: [] });
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] });
    await ts.approvals.decide(pending.id, { decision: 'approve', by: 'ana' });
    expect((await ts.approvals.publish()).updated).toEqual([pending.id]);
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] });
    expect(calls).toEqual([
      { kind: 'show', approval: pending.id, status: 'pending', destination: '#approvals', messageId: 'm1' },
      { kind: 'update', approval: pending.id, status: 'executed', destination: '#approvals', messageId: 'm1' },
    ]);
    const rows = await ts.store.execute('SELECT destination, message_id, shown_status, settled FROM approval_messages');
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { destination: '#approvals', message_id: 'm1', shown_status: 'executed', settled: 1 },
    ]);
  });

  it('never shows approvals that are not pending, and shows an approval nowhere when the channel has no destination', async () => {
    const { ts, calls } = await withBoard({ destinations: async (a) => (a.type === 'test.pr.merge' ? [] : ['#approvals']) });
    await ts.actions.propose({ ...note, type: 'test.item.read', params: { key: 'X-1' } }); // auto: executed at once
    await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } }); // denied
    const merging = await ts.actions.propose(merge);
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] });
    expect(calls).toEqual([]);
    // Remembered as shown nowhere: the channel is not asked again.
    const rows = await ts.store.execute('SELECT approval_id, destination, settled FROM approval_messages');
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([{ approval_id: merging.id, destination: '', settled: 1 }]);
  });

  it('updates the message when the approval expires', async () => {
    const { ts, calls } = await withBoard();
    const pending = await ts.actions.propose(merge);
    await ts.approvals.publish();
    now = T0 + 5 * HOUR;
    expect((await ts.approvals.publish()).updated).toEqual([pending.id]);
    expect(calls.at(-1)).toMatchObject({ kind: 'update', status: 'expired' });
  });

  it('retries a failed show on the next pass, and pauses the channel for as long as a rate limit says', async () => {
    const { ts, calls, control } = await withBoard();
    const pending = await ts.actions.propose(note);
    control.failNext = new Error('socket hang up');
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [pending.id] });
    expect((await ts.approvals.publish()).shown).toEqual([pending.id]);

    await ts.approvals.decide(pending.id, { decision: 'decline', by: 'ana' });
    control.failNext = Object.assign(new TeamStateError('upstream_error', 'rate limited'), { retryAfterMs: 30_000 });
    expect((await ts.approvals.publish()).failed).toEqual([pending.id]);
    now = T0 + 10_000;
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] }); // paused
    now = T0 + 31_000;
    expect((await ts.approvals.publish()).updated).toEqual([pending.id]);
    expect(calls.map((c) => `${c.kind}:${c.status}`)).toEqual(['show:pending', 'update:declined']);
  });

  it('gives channels the eligible approvers (teams expanded, requester left out) and their accounts', async () => {
    const { ts, control } = await withBoard();
    const merging = await ts.actions.propose({ ...merge, requestedBy: 'dev' });
    await ts.approvals.publish();
    const ctx = control.contexts[0]!;
    expect(await ctx.approvers(merging)).toEqual(['ana']); // team:leads is ana and dev; dev proposed it
    expect(await ctx.approvers(await ts.actions.propose(note))).toEqual([]); // ask: anyone but the requester
    expect(await ctx.accounts('slack', ['ana', 'dev'])).toEqual(new Map([['ana', ['U0ANA']]]));
    expect(ctx.canModify('test.note.add')).toBe(true);
    expect(ctx.canModify('jira.issue.transition')).toBe(false);
  });

  it('shows an approval once even when two processes publish the same database, and sees decisions made elsewhere', async () => {
    now = T0;
    const database = `file:${join(temp.folder('teamstate-channels-'), 'shared.db')}`;
    const first = recordingChannel();
    const second = recordingChannel();
    const a = await instance([board(first.channel)], database);
    const b = await instance([board(second.channel)], database);
    // A third instance without the channel (the CLI) proposes and decides.
    const cli = await instance([], database);
    await cli.import(teamBundle);
    const pending = await cli.actions.propose(note);
    const results = await Promise.all([a.approvals.publish(), b.approvals.publish()]);
    expect(results.flatMap((r) => r.shown)).toEqual([pending.id]);
    await cli.approvals.decide(pending.id, { decision: 'decline', by: 'ana', reason: 'not now' });
    const updates = await Promise.all([a.approvals.publish(), b.approvals.publish()]);
    expect(updates.flatMap((r) => r.updated).length).toBeGreaterThanOrEqual(1);
    const shown = [...first.calls, ...second.calls];
    expect(shown.filter((c) => c.kind === 'show')).toHaveLength(1);
    expect(shown.filter((c) => c.kind === 'update').every((c) => c.status === 'declined')).toBe(true);
  });
});

describe('ts.approvals.watch()', () => {
  it('publishes at once on changes made in this process, and on its interval for changes made elsewhere', async () => {
    now = T0;
    const database = `file:${join(temp.folder('teamstate-watch-'), 'watch.db')}`;
    const { channel, calls } = recordingChannel();
    const serve = await instance([board(channel)], database);
    const cli = await instance([], database, []);
    await cli.import(teamBundle);
    const watch = serve.approvals.watch({ intervalMs: 50 });
    const pending = await serve.actions.propose(note); // same process: wakes the watch at once
    await until(() => calls.some((c) => c.kind === 'show' && c.approval === pending.id));
    await cli.approvals.decide(pending.id, { decision: 'approve', by: 'ana' }); // other process: seen on the interval
    // The CLI has no connector for the action; the watch reconciles and runs it here, then shows the result.
    await until(() => calls.some((c) => c.kind === 'update' && c.status === 'executed'));
    await watch.stop();
    expect((await serve.approvals.get(pending.id))!.status).toBe('executed');
  });

  it('refuses a malformed interval', async () => {
    const ts = await instance([]);
    expect(() => ts.approvals.watch({ intervalMs: 0 })).toThrow('intervalMs: expected a positive whole number of milliseconds, got 0');
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
