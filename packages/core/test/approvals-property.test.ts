import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, createTeamState, isTerminalApprovalStatus, type TeamState } from '../src/index.js';
import { createTestConnector, createTestWorld, type TestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';

// Random sequences of proposals, decisions (also two instances racing on one file), clock jumps,
// explicit executions, waits, reconciles and crashes (an executor that never returns: the process
// dies between `executing` and `executed`), checking the approval invariants after every step.

const HOUR = 3_600_000;
const people = ['ana', 'dev', 'ben', 'cat', 'bot', 'nobody'] as const;
const leads = new Set(['ana', 'dev']);

const proposals = {
  note: { type: 'test.note.add', params: { text: 'hi' } },
  merge: { type: 'test.pr.merge', params: { repository: 'acme/api', number: 1, expectedHeadSha: 'abc123' } },
  read: { type: 'test.item.read', params: { key: 'X-1' } },
  close: { type: 'test.issue.close', params: { key: 'PAY-1' } },
} as const;

const outcome = fc.constantFrom('ok', 'ok', 'throw', 'crash');
const target = fc.nat(5);
// Instances 0 and 1 have the connector (an MCP server, a worker); 2 has none (the CLI), so its approvals wait for another to execute.
const via = fc.constantFrom(0, 1, 2);

// Weighted so that most proposals get decided (mostly by someone allowed) before they expire.
const decider = fc.constantFrom('ana', 'dev', 'ana', 'dev', ...people);
const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('propose' as const),
      via,
      what: fc.constantFrom(...(Object.keys(proposals) as (keyof typeof proposals)[])),
      requestedBy: fc.constantFrom('bot', 'ana', 'ben'),
      outcome,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      via,
      target,
      decision: fc.constantFrom('approve', 'approve', 'decline', 'modify'),
      by: decider,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('race' as const), target, first: decider, second: decider }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.constantFrom(1, 1, 3, 5, 25) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('execute' as const), via, target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), via, target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconcile' as const), via }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveHead' as const) }) },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const ALLOWED: Record<string, string[]> = {
  proposed: ['auto', 'pending', 'denied'],
  pending: ['approved', 'declined', 'expired'],
  approved: ['executing'],
  auto: ['executing'],
  executing: ['executed', 'failed'],
};

class Harness {
  now = Date.parse('2026-03-02T09:00:00Z');
  instances: TeamState[] = [];
  ids: string[] = [];
  lastStatus = new Map<string, string>();
  crashed!: Promise<void>;
  crashes = 0;
  private crash!: () => void;

  constructor(
    readonly database: string,
    readonly world: TestWorld,
  ) {
    this.armCrash();
  }

  private armCrash() {
    this.crashes = 0;
    this.crashed = new Promise((resolve) => {
      this.crash = resolve;
    });
    this.world.onCrash = () => {
      this.crashes++;
      this.crash();
    };
  }

  async open() {
    const options = {
      database: this.database,
      connectors: [createTestConnector(this.world)],
      policy: testPolicy,
      clock: () => new Date(this.now),
    };
    this.instances = [
      await createTeamState(options),
      await createTeamState(options),
      await createTeamState({ ...options, connectors: [] }),
    ];
  }

  // Runs the calls of one step. If an executor "crashes" (never returns), the process dies: once the
  // step's other calls are done (a real crash would end them too, but closing a connection in the middle
  // of a transaction is not what a dying process does to SQLite), every instance closes and restarts.
  async run(calls: ((ts: TeamState) => Promise<unknown>)[], on: number[]) {
    let settled = 0;
    let wake = () => {};
    const tracked = calls.map((call, i) =>
      call(this.instances[on[i]!]!)
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          settled++;
          wake();
        }),
    );
    const crashed = await Promise.race([Promise.all(tracked).then(() => false), this.crashed.then(() => true)]);
    if (!crashed) return;
    while (settled + this.crashes < calls.length) await new Promise<void>((resolve) => (wake = resolve));
    await this.restart();
  }

  async restart() {
    for (const ts of this.instances) await ts.close();
    this.armCrash();
    await this.open();
  }

  async apply(s: Step) {
    const id = (n: number) => this.ids[n % Math.max(1, this.ids.length)] ?? 'apr_none';
    switch (s.kind) {
      case 'propose': {
        const { type, params } = proposals[s.what];
        const propose = (ts: TeamState) =>
          ts.actions.propose({ type, target: 't', params: { ...params, outcome: s.outcome }, reason: 'r', requestedBy: s.requestedBy });
        // The id is needed even when the proposal crashes while auto-executing, so read it back from the store.
        const before = new Set(this.ids);
        await this.run([propose], [s.via]);
        const rows = await this.instances[0]!.store.execute('SELECT id FROM approvals ORDER BY created_at, id');
        for (const row of rows.rows) if (!before.has(String(row.id))) this.ids.push(String(row.id));
        return;
      }
      case 'decide':
        return this.run(
          [(ts) => ts.approvals.decide(id(s.target), { decision: s.decision, by: s.by, params: { text: 'edited' } })],
          [s.via],
        );
      case 'race':
        return this.run(
          [
            (ts) => ts.approvals.decide(id(s.target), { decision: 'approve', by: s.first }),
            (ts) => ts.approvals.decide(id(s.target), { decision: 'approve', by: s.second }),
            (ts) => ts.approvals.execute(id(s.target)),
            (ts) => ts.approvals.execute(id(s.target)),
            (ts) => ts.approvals.wait(id(s.target), { timeoutMs: 0 }),
          ],
          [2, 0, 0, 1, 1],
        );
      case 'advance':
        this.now += s.hours * HOUR;
        return;
      case 'execute':
        return this.run([(ts) => ts.approvals.execute(id(s.target))], [s.via]);
      case 'wait':
        return this.run([(ts) => ts.approvals.wait(id(s.target), { timeoutMs: 0 })], [s.via]);
      case 'reconcile':
        return this.run([(ts) => ts.approvals.reconcile()], [s.via]);
      case 'restart':
        return this.restart();
      case 'moveHead':
        this.world.headSha = this.world.headSha === 'abc123' ? 'def456' : 'abc123';
        return;
    }
  }

  async allTerminal() {
    const rows = await this.instances[0]!.store.execute('SELECT status FROM approvals');
    return rows.rows.every((row) => isTerminalApprovalStatus(String(row.status) as never));
  }

  async checkInvariants() {
    const ts = this.instances[0]!;
    const approvals = new Map((await ts.store.execute('SELECT * FROM approvals')).rows.map((row) => [String(row.id), row]));
    const events = await ts.audit.list({ limit: 1000 });
    const eventsOf = (id: string) => events.filter((event) => event.approvalId === id);

    for (const [id, row] of approvals) {
      // At most one execution per approval.
      const runs = this.world.executions.filter((execution) => execution.approvalId === id);
      expect(runs.length).toBeLessThanOrEqual(1);
      // Never an execution without the decision its mode requires.
      if (runs.length > 0) expect(authorizedExecution(row.mode as string, row.requested_by as string, eventsOf(id))).toBe(true);
      // No exit from a terminal state, and only allowed transitions in the ledger.
      const previous = this.lastStatus.get(id);
      if (previous && isTerminalApprovalStatus(previous as never)) expect(row.status).toBe(previous);
      this.lastStatus.set(id, String(row.status));
      let state = 'proposed';
      for (const event of eventsOf(id)) {
        const next = event.data.status as string | undefined;
        if (next === undefined || event.type === 'approval.late_outcome') continue;
        expect(ALLOWED[state] ?? [], `${id}: ${state} -> ${next}`).toContain(next);
        state = next;
      }
      expect(state).toBe(row.status);
    }
    // The audit chain always verifies.
    const verified = await ts.audit.verify();
    expect(verified, verified.problem).toMatchObject({ ok: true });
  }
}

function authorizedExecution(mode: string, requestedBy: string, events: AuditEvent[]): boolean {
  if (mode === 'auto') return true;
  if (mode === 'deny') return false;
  const decided = events.find((event) => event.type === 'approval.decided');
  const executing = events.find((event) => event.type === 'approval.executing');
  if (!decided || !executing || decided.seq > executing.seq) return false;
  if (decided.data.decision === 'decline' || decided.actor === requestedBy) return false;
  return mode !== 'require_approval' || leads.has(decided.actor);
}

describe('approval invariants under random sequences', () => {
  // A hundred random sequences of up to 30 steps, each on its own database file: CPU-bound work that took about 17 s
  // on a quiet 2-core machine and over a minute at load 20, so the limit is the work's, not the suite's 60 s.
  it('hold for propose/decide/race/expire/execute/wait/reconcile/crash sequences', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30, size: 'max' }), async (steps) => {
        const folder = mkdtempSync(join(tmpdir(), 'teamstate-property-'));
        const harness = new Harness(join(folder, 'teamstate.db'), createTestWorld());
        try {
          await harness.open();
          await harness.instances[0]!.import(teamBundle);
          for (const s of steps) {
            await harness.apply(s);
            await harness.checkInvariants();
          }
          // Once the lease and every TTL have passed and an instance with the connector reconciled
          // (again after each crash it runs into), nothing is left in flight.
          for (let round = 0; round < 10 && !(await harness.allTerminal()); round++) {
            harness.now += 2 * 24 * HOUR;
            await harness.restart();
            await harness.run([(ts) => ts.approvals.reconcile()], [0]);
            await harness.checkInvariants();
          }
          const left = (await harness.instances[0]!.approvals.list({ limit: 500 })).filter((a) => !isTerminalApprovalStatus(a.status));
          expect(left.map((a) => `${a.id} is ${a.status}`)).toEqual([]);
        } finally {
          for (const ts of harness.instances) await ts.close();
          rmSync(folder, { recursive: true, force: true });
        }
      }),
      { numRuns: 100 },
    );
  });
});
