import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { approvalContentHash, type Connector, createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { canonicalJson } from '../src/services/audit/canonical-json.js';
import { testConnector } from '../src/testing/index.js';

// Issue 16, finding 2: what runs must be exactly what was approved, and the ledger must prove it. Someone
// with write access to the database edits an approved approval behind the ledger's back; the edit must not
// run, and `audit verify` must name it.

let folder: string;
let database: string;
let executed: { approval: string; text: string }[];
const opened: TeamState[] = [];

const noteConnector = (): Connector =>
  testConnector({
    id: 'notes',
    actions: [
      defineActionType({
        type: 'notes.note.add',
        description: 'Add a note',
        risk: 'medium',
        params: z.strictObject({ text: z.string().min(1) }),
        async execute(params, ctx) {
          executed.push({ approval: ctx.approvalId, text: params.text });
          return { added: params.text };
        },
      }),
    ],
  });

const bundle = {
  format: 'teamstate.bundle/v1' as const,
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['payments'] },
    { id: 'ben', name: 'Ben', teams: ['payments'] },
  ],
};

let now = Date.parse('2026-03-18T10:00:00Z');
async function open(options: { connector?: boolean } = {}) {
  const ts = await createTeamState({
    database,
    connectors: options.connector === false ? [] : [noteConnector()],
    clock: () => new Date(now),
  });
  opened.push(ts);
  return ts;
}
async function raw(sql: string, args: (string | number)[] = []) {
  const client = createClient({ url: `file:${database}` });
  try {
    return await client.execute({ sql, args });
  } finally {
    client.close();
  }
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-tamper-'));
  database = join(folder, 'teamstate.db');
  executed = [];
  now = Date.parse('2026-03-18T10:00:00Z');
  const ts = await open();
  await ts.import(bundle);
});
afterEach(async () => {
  for (const ts of opened.splice(0)) await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Proposed by the assistant and approved by Ana in a process without the connector: it waits, `approved`. */
async function approvedNote(text = 'Blocked 3 days') {
  const cli = await open({ connector: false });
  const server = await open();
  const proposal = await server.actions.propose({
    type: 'notes.note.add',
    target: 'PAY-1',
    params: { text },
    reason: 'status',
    requestedBy: 'assistant',
  });
  const approval = await cli.approvals.decide(proposal.id, { decision: 'approve', by: 'ana' });
  expect(approval.status).toBe('approved');
  return { server, cli, id: proposal.id, hash: approvalContentHash(approval) };
}

describe('an approved approval edited through raw SQL (issue 16, finding 2)', () => {
  it('does not run edited params: execution fails as tampered, audited, and the connector is never called', async () => {
    const { server, id } = await approvedNote();
    await raw('UPDATE approvals SET params = ? WHERE id = ?', [JSON.stringify({ text: 'post the salary spreadsheet link' }), id]);
    const after = await server.approvals.execute(id);
    expect(executed).toEqual([]);
    expect(after.status).toBe('failed');
    expect(after.error?.code).toBe('tampered');
    expect(after.error?.message).toMatch(/does not match what was approved/);
    const failed = await server.audit.list({ approvalId: id, type: 'approval.failed' });
    expect(failed.map((event) => event.data.code)).toEqual(['tampered']);
  });

  it('does not run a pending approval whose status was edited to approved (no decision in the ledger); verify names it', async () => {
    const server = await open();
    const proposal = await server.actions.propose({
      type: 'notes.note.add',
      target: 'PAY-1',
      params: { text: 'never approved' },
      reason: 'status',
      requestedBy: 'assistant',
    });
    expect(proposal.status).toBe('pending');
    await raw('UPDATE approvals SET status = ? WHERE id = ?', ['approved', proposal.id]);
    const after = await server.approvals.execute(proposal.id);
    expect(executed).toEqual([]);
    expect([after.status, after.error?.code]).toEqual(['failed', 'tampered']);
    expect(after.error?.message).toMatch(/was never approved according to the audit ledger/);
    const verification = await server.audit.verify();
    expect(verification.ok).toBe(false);
    expect(verification.problem).toMatch(/records that it was edited behind the ledger and refused at execution/);
  });

  it('runs what was approved when nothing was edited, and the decision records the sha256 of what it approved', async () => {
    const { server, id, hash } = await approvedNote();
    expect((await server.approvals.execute(id)).status).toBe('executed');
    expect(executed).toEqual([{ approval: id, text: 'Blocked 3 days' }]);
    const [decided] = await server.audit.list({ approvalId: id, type: 'approval.decided' });
    expect(decided?.data.contentHash).toBe(hash);
    expect((await server.audit.verify()).ok).toBe(true);
  });

  it('a modify decision records the hash of the modified params, and those run', async () => {
    const server = await open();
    const proposal = await server.actions.propose({
      type: 'notes.note.add',
      target: 'PAY-1',
      params: { text: 'v1' },
      reason: 'r',
      requestedBy: 'assistant',
    });
    const decided = await server.approvals.decide(proposal.id, { decision: 'modify', by: 'ben', params: { text: 'v2' } });
    expect(decided.status).toBe('executed');
    expect(executed.map((e) => e.text)).toEqual(['v2']);
    const [event] = await server.audit.list({ approvalId: proposal.id, type: 'approval.decided' });
    expect(event?.data.contentHash).toBe(approvalContentHash({ type: 'notes.note.add', target: 'PAY-1', params: { text: 'v2' } }));
    expect((await server.audit.verify()).ok).toBe(true);
  });

  it.each([
    ['params', 'UPDATE approvals SET params = ? WHERE id = ?', JSON.stringify({ text: 'other' })],
    ['target', 'UPDATE approvals SET target = ? WHERE id = ?', 'PAY-2'],
    ['type', 'UPDATE approvals SET action_type = ? WHERE id = ?', 'notes.note.remove'],
    ['requester', 'UPDATE approvals SET requested_by = ? WHERE id = ?', 'ben'],
    ['decider', 'UPDATE approvals SET decided_by = ? WHERE id = ?', 'ben'],
    ['status', 'UPDATE approvals SET status = ? WHERE id = ?', 'declined'],
  ])('audit verify names an edited %s, even with the pinned head', async (field, sql, value) => {
    const named = field === 'status' ? 'is declined but the ledger' : `its ${field} is`;
    const { server, id } = await approvedNote();
    const { head } = await server.audit.verify();
    await raw(sql, [value, id]);
    for (const result of [await server.audit.verify(), await server.audit.verify({ expectedHead: head })]) {
      expect(result.ok).toBe(false);
      expect(result.problem).toContain(`approval ${id}`);
      expect(result.problem).toContain(named);
    }
  });
});

describe('ledger time (issue 16, finding 3)', () => {
  it('a decision whose writer’s clock is behind is stamped no earlier than its proposal; an entry forged earlier is refused', async () => {
    const server = await open();
    const proposal = await server.actions.propose({
      type: 'notes.note.add',
      target: 'PAY-1',
      params: { text: 'x' },
      reason: 'r',
      requestedBy: 'assistant',
    });
    now = Date.parse('2020-01-01T00:00:00Z');
    await server.approvals.decide(proposal.id, { decision: 'decline', by: 'ana' });
    const [proposed, decided] = await server.audit.list({ approvalId: proposal.id });
    expect([decided?.at, decided?.data.writtenAt]).toEqual([proposed?.at, '2020-01-01T00:00:00.000Z']);
    expect((await server.audit.verify()).ok).toBe(true);

    // A forger dates the decision before its proposal and recomputes its hash (it is the newest entry: nothing links to it).
    const { rows } = await raw('SELECT * FROM audit_events WHERE seq = ?', [decided!.seq]);
    const row = rows[0]!;
    const at = Date.parse('2020-01-01T00:00:00Z');
    const content = {
      workspace: 'default',
      seq: decided!.seq,
      at: new Date(at).toISOString(),
      type: String(row.type),
      approvalId: proposal.id,
      actor: String(row.actor),
      data: JSON.parse(String(row.data)),
    };
    const hash = createHash('sha256')
      .update(String(row.prev_hash) + canonicalJson(content))
      .digest('hex');
    await raw('UPDATE audit_events SET at = ?, hash = ? WHERE seq = ?', [at, hash, decided!.seq]);
    const result = await server.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/^entry \d+ is dated 2020-01-01T00:00:00.000Z, before entry \d+ \(2026-03-18T10:00:00.000Z\)/);
  });
});

describe('property: audit verify is intact if and only if no approval row was edited', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('propose' as const), text: fc.constantFrom('a', 'b', 'c') }),
    fc.record({
      kind: fc.constant('decide' as const),
      target: fc.nat(4),
      decision: fc.constantFrom('approve', 'decline', 'modify'),
      by: fc.constantFrom('ana', 'ben'),
    }),
    fc.record({ kind: fc.constant('execute' as const), target: fc.nat(4) }),
    fc.record({
      kind: fc.constant('edit' as const),
      target: fc.nat(4),
      column: fc.constantFrom('params', 'target', 'action_type', 'requested_by', 'decided_by', 'status', 'reason'),
      value: fc.constantFrom('x', 'ana', 'ben', 'approved', 'executed', '{"text":"a"}', '{"text":"z"}', 'PAY-1', 'notes.note.add'),
    }),
  );

  it('holds for random proposals, decisions, modifications, executions and raw-SQL edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const ts of opened.splice(0)) await ts.close();
        rmSync(folder, { recursive: true, force: true });
        folder = mkdtempSync(join(tmpdir(), 'teamstate-tamper-'));
        database = join(folder, 'teamstate.db');
        executed = [];
        const server = await open();
        const cli = await open({ connector: false });
        await server.import(bundle);
        const ids: string[] = [];
        let edited = false;
        // The value of each edited "<id> <column>" before its first raw edit: writing it back would undo the edit
        // (the row is then what the ledger says again), which this property does not model, so it is not done.
        const originals = new Map<string, unknown>();
        for (const s of steps) {
          if (s.kind === 'propose') {
            const approval = await server.actions.propose({
              type: 'notes.note.add',
              target: 'PAY-1',
              params: { text: s.text },
              reason: 'r',
              requestedBy: 'assistant',
            });
            ids.push(approval.id);
          } else if (ids.length === 0) {
          } else if (s.kind === 'decide') {
            const id = ids[s.target % ids.length]!;
            await cli.approvals
              .decide(id, { decision: s.decision, by: s.by, params: s.decision === 'modify' ? { text: 'm' } : undefined })
              .catch(() => {});
          } else if (s.kind === 'execute') {
            await server.approvals.execute(ids[s.target % ids.length]!).catch(() => {});
          } else {
            const id = ids[s.target % ids.length]!;
            const before = await raw(`SELECT ${s.column} AS value FROM approvals WHERE id = ?`, [id]);
            const previous = before.rows[0]?.value;
            // Edits of a column that is still empty (no decider yet) or to the same value change nothing.
            if (previous === null || previous === s.value) continue;
            const key = `${id} ${s.column}`;
            if (!originals.has(key)) originals.set(key, previous);
            if (originals.get(key) === s.value) continue;
            await raw(`UPDATE approvals SET ${s.column} = ? WHERE id = ?`, [s.value, id]);
            edited = true;
          }
        }
        const result = await server.audit.verify();
        expect(result.ok, result.problem).toBe(!edited);
      }),
      { numRuns: 25 },
    );
  });
});

describe('proposals on behalf of a person (docs/approvals.md#deciding)', () => {
  const proposal = (onBehalfOf?: string) => ({
    type: 'notes.note.add',
    target: 'PAY-1',
    params: { text: 'x' },
    reason: 'r',
    requestedBy: 'assistant',
    onBehalfOf,
  });

  it('records onBehalfOf; under ask that person may approve what their assistant proposed', async () => {
    const server = await open();
    const proposed = await server.actions.propose(proposal('ana'));
    expect(proposed).toMatchObject({ requestedBy: 'assistant', onBehalfOf: 'ana', mode: 'ask' });
    const [entry] = await server.audit.list({ approvalId: proposed.id, type: 'approval.proposed' });
    expect(entry?.data.onBehalfOf).toBe('ana');
    expect((await server.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' })).status).toBe('executed');
    expect((await server.audit.verify()).ok).toBe(true);
  });

  it('under require_approval excludes both the requester and the person it was proposed for', async () => {
    const strict = await createTeamState({
      database,
      connectors: [noteConnector()],
      policy: { actions: { 'notes.note.add': { mode: 'require_approval' } } },
      clock: () => new Date(now),
    });
    opened.push(strict);
    const proposed = await strict.actions.propose(proposal('ana'));
    const refused = await strict.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' }).then(
      () => undefined,
      (error: Error & { code?: string }) => error,
    );
    expect(refused?.code).toBe('self_decision');
    expect(refused?.message).toBe(
      'ana asked for this action (proposed for them by assistant) and cannot decide it under require_approval; ask another approver',
    );
    expect((await strict.approvals.decide(proposed.id, { decision: 'approve', by: 'ben' })).status).toBe('executed');
  });

  it('refuses an onBehalfOf that is not an id, and audit verify names an edited onBehalfOf', async () => {
    const server = await open();
    const bad = await server.actions.propose(proposal(' ana ')).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(bad?.message).toMatch(/onBehalfOf/);
    const proposed = await server.actions.propose(proposal('ana'));
    await raw('UPDATE approvals SET on_behalf_of = ? WHERE id = ?', ['ben', proposed.id]);
    expect((await server.audit.verify()).problem).toBe(
      `approval ${proposed.id}: its on-behalf-of person is "ben" but the ledger records "ana": the approval was edited behind the ledger`,
    );
  });
});

describe('a column of another type read inside a write transaction', () => {
  const note = (text: string) => ({ type: 'notes.note.add', target: 'PAY-1', params: { text }, reason: 'r', requestedBy: 'assistant' });

  it('refuses the write naming the column, changes nothing and leaves no transaction open', async () => {
    const server = await open();
    await server.actions.propose(note('first'));
    const head = (await server.audit.head())!;
    // The newest ledger entry's hash rewritten as a blob: every write that appends to the ledger reads it first.
    await raw('UPDATE audit_events SET hash = CAST(hash AS BLOB) WHERE seq = ?', [head.seq]);
    await expect(server.actions.propose(note('second'))).rejects.toThrow(
      'column "hash": expected text, the database returned a blob (is the schema migrated?)',
    );
    expect((await server.approvals.list()).map((a) => a.params)).toEqual([{ text: 'first' }]);
    // Another connection can write at once: the refused transaction was rolled back and closed.
    await raw('UPDATE audit_events SET hash = CAST(hash AS TEXT) WHERE seq = ?', [head.seq]);
    expect((await server.actions.propose(note('second'))).status).toBe('pending');
    expect(await server.audit.verify()).toMatchObject({ ok: true });
  });
});
