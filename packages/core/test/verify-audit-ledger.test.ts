import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';
import { canonicalJson } from '../src/services/audit/canonical-json.js';
import { createTestConnector, createTestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';

let ts: TeamState;
let ids: string[];

// Builds a ledger of 8 entries: a proposal that is approved and executed, a declined one, a pending
// one and a refused decision last.
beforeEach(async () => {
  let now = Date.parse('2026-03-02T09:00:00Z');
  ts = await createTeamState({
    database: ':memory:',
    connectors: [createTestConnector(createTestWorld())],
    policy: testPolicy,
    clock: () => {
      now += 1000;
      return new Date(now);
    },
  });
  await ts.import(teamBundle);
  const proposal = { type: 'test.note.add', target: 'notes', params: { text: 'hi' }, reason: 'greet', requestedBy: 'bot' };
  const first = await ts.actions.propose(proposal);
  await ts.approvals.decide(first.id, { decision: 'approve', by: 'ana' });
  const second = await ts.actions.propose(proposal);
  await ts.approvals.decide(second.id, { decision: 'decline', by: 'ben' });
  const third = await ts.actions.propose(proposal);
  await ts.approvals.decide(third.id, { decision: 'approve', by: 'bot' }).catch(() => undefined);
  ids = [first.id, second.id, third.id];
});

afterEach(() => ts.close());

const sql = (statement: string, args: (string | number)[] = []) => ts.store.execute(statement, args);

// Rewrites the actor of entries `from`..`to` and recomputes their hashes, as a forger who knows the format would.
async function rewrite({ from, to, actor }: { from: number; to: number; actor: string }) {
  const rows = (await sql('SELECT * FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq', [from, to])).rows;
  let prevHash = String((await sql('SELECT hash FROM audit_events WHERE seq = ?', [from - 1])).rows[0]!.hash);
  for (const row of rows) {
    const content = {
      workspace: 'default',
      seq: Number(row.seq),
      at: new Date(Number(row.at)).toISOString(),
      type: String(row.type),
      approvalId: row.approval_id === null ? null : String(row.approval_id),
      actor,
      data: JSON.parse(String(row.data)),
    };
    const hash = createHash('sha256')
      .update(prevHash + canonicalJson(content))
      .digest('hex');
    await sql('UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?', [actor, prevHash, hash, Number(row.seq)]);
    prevHash = hash;
  }
}

describe('audit ledger verification', () => {
  it('verifies an intact ledger and reports its head', async () => {
    const head = await ts.audit.head();
    expect(head?.seq).toBe(8);
    expect(await ts.audit.verify()).toEqual({ ok: true, entries: 8, head });
    expect(await ts.audit.verify({ expectedHead: { seq: 5, hash: (await ts.audit.list())[4]!.hash } })).toMatchObject({ ok: true });
  });

  it('chains sha256(prevHash ‖ canonical JSON of the entry), recomputable outside teamstate', async () => {
    const [first, second] = await ts.audit.list({ limit: 2 });
    const content = { workspace: 'default', seq: 1, at: first!.at, type: first!.type, approvalId: ids[0], actor: 'bot', data: first!.data };
    const expected = createHash('sha256')
      .update('0'.repeat(64) + canonicalJson(content))
      .digest('hex');
    expect(first!.prevHash).toBe('0'.repeat(64));
    expect(first!.hash).toBe(expected);
    expect(second!.prevHash).toBe(first!.hash);
  });

  it('catches an edited row', async () => {
    await sql(`UPDATE audit_events SET data = json_set(data, '$.reason', 'tampered') WHERE seq = 3`);
    expect(await ts.audit.verify()).toMatchObject({
      ok: false,
      entries: 8,
      firstBrokenSeq: 3,
      problem: 'entry 3 was modified after it was written',
    });
  });

  it('reports a column rewritten with a value of another type as an edit, naming the column', async () => {
    await sql(`UPDATE audit_events SET at = 'yesterday' WHERE seq = 3`);
    const result = await ts.audit.verify();
    expect(result).toMatchObject({ ok: false, entries: 8, firstBrokenSeq: 3 });
    expect(result.problem).toBe(
      'entry 3 was modified after it was written (column "at": expected a number, the database returned string "yesterday" (is the schema migrated?))',
    );
  });

  it('reports an approval column rewritten with a value of another type, naming the column', async () => {
    await sql(`UPDATE approvals SET target = x'00' WHERE id = ?`, [ids[1]!]);
    const problem =
      'an approval was edited behind the ledger (column "target": expected text, the database returned a blob (is the schema migrated?))';
    expect(await ts.audit.verify()).toEqual({ ok: false, entries: 8, firstBrokenSeq: 9, problem, problems: [{ seq: 9, problem }] });
  });

  it('catches an edited row whose hash was recomputed, at the next row', async () => {
    await rewrite({ from: 2, to: 2, actor: 'mallory' });
    expect(await ts.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('catches a deleted row', async () => {
    await sql('DELETE FROM audit_events WHERE seq = 4');
    expect(await ts.audit.verify()).toMatchObject({
      ok: false,
      entries: 7,
      firstBrokenSeq: 4,
      problem: 'entry 4 is missing (the next stored entry is 5)',
    });
  });

  it('keeps checking after an entry whose seq or data was rewritten into something unreadable', async () => {
    await sql(`UPDATE audit_events SET data = '{' WHERE seq = 2`);
    await sql(`UPDATE audit_events SET seq = 'x' WHERE seq = 5`);
    const result = await ts.audit.verify();
    expect(result).toMatchObject({ ok: false, entries: 8, firstBrokenSeq: 2 });
    expect(result.problems?.slice(0, 3)).toEqual([
      { seq: 2, problem: expect.stringMatching(/^entry 2 was modified after it was written \(.*JSON/) },
      { seq: 5, problem: 'entry 5 is missing (the next stored entry is 6)' },
      { seq: 9, problem: expect.stringMatching(/^entry 9 was modified after it was written \(column "seq": expected a number/) },
    ]);
  });

  it('catches reordered rows', async () => {
    await sql('UPDATE audit_events SET seq = -1 WHERE seq = 5');
    await sql('UPDATE audit_events SET seq = 5 WHERE seq = 6');
    await sql('UPDATE audit_events SET seq = 6 WHERE seq = -1');
    expect(await ts.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 5 });
  });

  it('catches a deleted newest entry that changed an approval', async () => {
    const approvals = await ts.audit.list({ approvalId: ids[1] });
    const declined = approvals.find((event) => event.type === 'approval.decided')!;
    await sql('DELETE FROM audit_events WHERE seq >= ?', [declined.seq]);
    const result = await ts.audit.verify();
    expect(result).toMatchObject({ ok: false, entries: declined.seq - 1 });
    expect(result.problem).toContain(`approval ${ids[1]} is declined but the ledger's newest entry for it`);
  });

  it('catches an approval edited behind the ledger', async () => {
    await sql(`UPDATE approvals SET status = 'approved' WHERE id = ?`, [ids[2]!]);
    const result = await ts.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toContain(`approval ${ids[2]} is approved but the ledger's newest entry for it`);
  });

  it('catches a truncated tail or a rewritten ledger against a pinned head', async () => {
    const head = (await ts.audit.head())!;
    // The newest entry is a refused decision, which changed no approval: only the pin notices it is gone.
    await sql('DELETE FROM audit_events WHERE seq = 8');
    expect(await ts.audit.verify()).toMatchObject({ ok: true, entries: 7 });
    expect(await ts.audit.verify({ expectedHead: head })).toMatchObject({
      ok: false,
      firstBrokenSeq: 8,
      problem: 'the pinned head entry 8 is missing: the ledger was truncated',
    });
    // A ledger rewritten consistently from some entry on no longer matches the approval it describes...
    const pinned = (await ts.audit.list())[6]!;
    await rewrite({ from: 7, to: 7, actor: 'mallory' });
    expect((await ts.audit.verify()).problem).toBe(
      `approval ${ids[2]}: its requester is "bot" but the ledger records "mallory": the approval was edited behind the ledger`,
    );
    // ...and a forger who also edits the approval row gets a ledger that verifies by itself, but not against the pin.
    await sql(`UPDATE approvals SET requested_by = 'mallory' WHERE id = ?`, [ids[2]!]);
    expect(await ts.audit.verify()).toMatchObject({ ok: true, entries: 7 });
    expect(await ts.audit.verify({ expectedHead: { seq: 7, hash: pinned.hash } })).toMatchObject({
      ok: false,
      firstBrokenSeq: 7,
      problem: 'entry 7 no longer has the pinned hash: the ledger was rewritten',
    });
  });
});
