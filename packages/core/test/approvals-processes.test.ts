import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';
import { type Child, spawnChild } from './fixtures/spawn-child.js';
import { createTestConnector, createTestWorld, executionsOf, teamBundle, testPolicy } from './fixtures/test-connector.js';

let folder: string;
let database: string;
let recordFile: string;
const children: Child[] = [];
const opened: TeamState[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-approvals-'));
  database = join(folder, 'teamstate.db');
  recordFile = join(folder, 'executions.jsonl');
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  for (const ts of opened.splice(0)) await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function openHere(options: { now?: string; canCheckExecuted?: boolean; connector?: boolean } = {}) {
  const world = createTestWorld({ recordFile, canCheckExecuted: options.canCheckExecuted });
  const ts = await createTeamState({
    database,
    connectors: options.connector === false ? [] : [createTestConnector(world)],
    policy: testPolicy,
    clock: options.now ? () => new Date(options.now!) : undefined,
  });
  opened.push(ts);
  return { ts, world };
}

function start(args: string[]): Child {
  const child = spawnChild(args);
  children.push(child);
  return child;
}

const merge = (outcome: 'ok' | 'crash' = 'ok') => ({
  type: 'test.pr.merge',
  target: 'acme/api#42',
  params: { repository: 'acme/api', number: 42, outcome },
  reason: 'CI green',
  requestedBy: 'bot',
});

// Proposes a merge, lets a child process approve it and kills the child (SIGKILL) while its executor
// runs: after the action took effect, before the outcome is recorded.
async function crashWhileExecuting() {
  // Proposed just before the crashing process decides: the ledger's time only moves forward.
  const { ts } = await openHere({ now: '2026-03-02T08:55:00Z' });
  await ts.import(teamBundle);
  const proposed = await ts.actions.propose(merge('crash'));
  await ts.close();
  const crasher = start(['approve', database, proposed.id, 'ana', recordFile, '2026-03-02T09:00:00Z']);
  await crasher.next('executing');
  crasher.process.kill('SIGKILL');
  expect(await crasher.exited).toBeNull();
  expect(executionsOf(createTestWorld({ recordFile }))).toHaveLength(1);
  return proposed;
}

describe('approvals across processes', () => {
  it("releases process A's wait within one second of process B's approval", async () => {
    const { ts } = await openHere();
    await ts.import(teamBundle);
    const proposed = await ts.actions.propose(merge());
    const waiter = start(['wait', database, proposed.id, '', recordFile]);
    await waiter.next('waiting');
    // Give A time to settle into its sleep, so the approval cannot arrive before A waits.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const approvedAt = Date.now();
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    const resolved = await waiter.next('resolved');

    expect(decided.status).toBe('executed');
    expect(resolved.status).toBe('executed');
    expect(resolved.receivedAt - approvedAt).toBeLessThan(1000);
    expect(await waiter.exited).toBe(0);
  });

  it('executes an approved action once when a process without the connector approves and a waiting process has it', async () => {
    const { ts } = await openHere({ connector: false });
    await ts.import(teamBundle);
    const proposer = await openHere();
    const proposed = await proposer.ts.actions.propose(merge());
    const waiter = start(['wait', database, proposed.id, '', recordFile]);
    await waiter.next('waiting');

    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'dev' });
    expect(decided.status).toBe('approved');
    expect((await waiter.next('resolved')).status).toBe('executed');
    expect(executionsOf(createTestWorld({ recordFile })).map((e) => e.approvalId)).toEqual([proposed.id]);
  });

  it('lets exactly one of two racing processes decide and execute', async () => {
    const { ts } = await openHere();
    await ts.import(teamBundle);
    const proposed = await ts.actions.propose(merge());
    const racers = [
      start(['approve', database, proposed.id, 'ana', recordFile]),
      start(['approve', database, proposed.id, 'dev', recordFile]),
    ];
    const outcomes = await Promise.all(racers.map((racer) => racer.next('decided')));

    expect(outcomes.map((o) => o.status ?? o.refused).sort()).toEqual(['approval_not_pending', 'executed']);
    expect(executionsOf(createTestWorld({ recordFile }))).toHaveLength(1);
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('lets exactly one of two processes racing to execute an approved action run it', async () => {
    const { ts } = await openHere({ connector: false });
    await ts.import(teamBundle);
    const proposer = await openHere();
    const proposed = await proposer.ts.actions.propose(merge());
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    const racers = [start(['execute', database, proposed.id, '', recordFile]), start(['execute', database, proposed.id, '', recordFile])];
    const outcomes = await Promise.all(racers.map((racer) => racer.next('executed')));

    expect(outcomes.map((o) => o.status).sort()).toContain('executed');
    expect(executionsOf(createTestWorld({ recordFile }))).toHaveLength(1);
    expect((await ts.approvals.get(proposed.id))?.status).toBe('executed');
  });

  it('reconciles a process killed between executing and executed without executing again', async () => {
    const proposed = await crashWhileExecuting();

    // Within the lease the claim is respected: the run might still be going on somewhere.
    const early = await openHere({ now: '2026-03-02T09:05:00Z' });
    expect((await early.ts.approvals.get(proposed.id))?.status).toBe('executing');
    expect((await early.ts.approvals.execute(proposed.id)).status).toBe('executing');

    // A restart after the lease settles it as interrupted and does not run it again.
    const restarted = await openHere({ now: '2026-03-02T09:11:00Z' });
    const settled = await restarted.ts.approvals.get(proposed.id);
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(await restarted.ts.approvals.reconcile()).toEqual({ expired: [], interrupted: [], recovered: [], executed: [] });
    expect((await restarted.ts.approvals.execute(proposed.id)).status).toBe('failed');
    expect(executionsOf(createTestWorld({ recordFile }))).toHaveLength(1);
    const types = (await restarted.ts.audit.list({ approvalId: proposed.id })).map((e) => e.type);
    expect(types).toEqual(['approval.proposed', 'approval.decided', 'approval.executing', 'approval.failed']);
    expect((await restarted.ts.audit.verify()).ok).toBe(true);
  });

  it('records a killed execution as executed when the action type can check that it took effect', async () => {
    const proposed = await crashWhileExecuting();
    const restarted = await openHere({ now: '2026-03-02T09:11:00Z', canCheckExecuted: true });
    expect(await restarted.ts.approvals.get(proposed.id)).toMatchObject({ status: 'executed', result: { found: 'after restart' } });
    expect(executionsOf(createTestWorld({ recordFile }))).toHaveLength(1);
  });
});
