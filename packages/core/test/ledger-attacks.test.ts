import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { canonicalJson } from '../src/services/audit/canonical-json.js';
import { testConnector } from '../src/testing/index.js';

// An outside attack on the approvals and the audit ledger (docs/security.md, "A tampered audit ledger"): someone who can
// write the database file, or who only controls the text an assistant proposes, or who runs two processes whose
// clocks differ. Every edit here is raw SQL through `ts.store.execute`, as an attacker with the file would write it.

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
        params: z.strictObject({ text: z.string().min(1), extra: z.record(z.string(), z.unknown()).optional() }),
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
async function open(options: { connector?: boolean; clock?: () => Date } = {}) {
  const ts = await createTeamState({
    database,
    connectors: options.connector === false ? [] : [noteConnector()],
    clock: options.clock ?? (() => new Date(now)),
  });
  opened.push(ts);
  return ts;
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-ledger-'));
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

const note = (text: string) => ({ type: 'notes.note.add', target: 'PAY-1', params: { text }, reason: 'status', requestedBy: 'assistant' });

/** Proposed by the assistant and approved by Ana in a process without the connector: it waits, `approved`. */
async function approvedNote(text = 'Blocked 3 days') {
  const cli = await open({ connector: false });
  const server = await open();
  const proposal = await server.actions.propose(note(text));
  const approval = await cli.approvals.decide(proposal.id, { decision: 'approve', by: 'ana' });
  expect(approval.status).toBe('approved');
  const sql = (statement: string, args: (string | number)[] = []) => server.store.execute(statement, args);
  const entry = async (type: string) => {
    const { rows } = await sql('SELECT seq, hash, prev_hash, data FROM audit_events WHERE approval_id = ? AND type = ?', [
      proposal.id,
      type,
    ]);
    return { seq: Number(rows[0]!.seq), data: JSON.parse(String(rows[0]!.data)) as Record<string, unknown> };
  };
  return { server, id: proposal.id, sql, entry };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('an approval edited in the database together with its ledger entries does not run (finding 1)', () => {
  const edited = { text: 'post the salary spreadsheet link' };
  const editedHash = sha256(canonicalJson({ type: 'notes.note.add', target: 'PAY-1', params: edited }));

  const modified = 'was modified after it was written (its hash does not match its content)';
  it.each([
    [
      'the proposal entry’s data (no hash recomputed)',
      { proposal: true, decision: false, rehash: false, broken: 'proposed', problem: modified },
    ],
    [
      'the proposal entry’s data and the decision’s contentHash (no hash recomputed)',
      { proposal: true, decision: true, rehash: false, broken: 'proposed', problem: modified },
    ],
    [
      'the proposal entry’s data with its hash recomputed',
      {
        proposal: true,
        decision: false,
        rehash: true,
        broken: 'proposed',
        problem: 'is not the entry the next one links to (it was rewritten with a recomputed hash)',
      },
    ],
    ['the decision’s contentHash only', { proposal: false, decision: true, rehash: false, broken: 'decided', problem: modified }],
  ])('params edited with %s: execution fails as tampered and the connector is never called', async (_, how) => {
    const { server, id, sql, entry } = await approvedNote();
    const proposed = await entry('approval.proposed');
    const decided = await entry('approval.decided');
    await sql('UPDATE approvals SET params = ? WHERE id = ?', [JSON.stringify(edited), id]);
    const data = canonicalJson({ ...proposed.data, params: edited });
    if (how.proposal) await sql('UPDATE audit_events SET data = ? WHERE seq = ?', [data, proposed.seq]);
    if (how.decision)
      await sql('UPDATE audit_events SET data = ? WHERE seq = ?', [
        canonicalJson({ ...decided.data, contentHash: editedHash }),
        decided.seq,
      ]);
    if (how.rehash) {
      const { rows } = await sql('SELECT * FROM audit_events WHERE seq = ?', [proposed.seq]);
      const row = rows[0]!;
      const content = {
        workspace: 'default',
        seq: proposed.seq,
        at: new Date(Number(row.at)).toISOString(),
        type: 'approval.proposed',
        approvalId: id,
        actor: String(row.actor),
        data: JSON.parse(data),
      };
      await sql('UPDATE audit_events SET hash = ? WHERE seq = ?', [sha256(String(row.prev_hash) + canonicalJson(content)), proposed.seq]);
    }

    const after = await server.approvals.execute(id);
    expect(executed).toEqual([]);
    expect([after.status, after.error?.code]).toEqual(['failed', 'tampered']);
    const seq = how.broken === 'proposed' ? proposed.seq : decided.seq;
    expect(after.error?.message).toBe(`the ledger entry ${seq} (approval.${how.broken}) of approval ${id} ${how.problem}; it was not run`);
    const failed = await server.audit.list({ approvalId: id, type: 'approval.failed' });
    expect(failed.map((event) => event.data.code)).toEqual(['tampered']);
    expect((await server.audit.verify()).ok).toBe(false);
  });

  it('still runs what was approved when nothing was edited', async () => {
    const { server, id } = await approvedNote();
    expect((await server.approvals.execute(id)).status).toBe('executed');
    expect(executed).toEqual([{ approval: id, text: 'Blocked 3 days' }]);
    expect((await server.audit.verify()).ok).toBe(true);
  });
});

describe('text that a TEXT column cannot read back exactly is refused, never stored (finding 2)', () => {
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: Error & { code?: string }) => ({ code: error.code, message: error.message }),
    );
  const nul = 'contains a NUL character (U+0000) at index 10; remove it';

  it.each([
    ['reason', { reason: 'please add\u0000 HIDDEN' }, 'invalid_argument', `proposal has 1 problem:\n  reason: ${nul}`],
    ['target', { target: 'PAY-1 here\u0000 HIDDEN' }, 'invalid_argument', `proposal has 1 problem:\n  target: ${nul}`],
    [
      'requestedBy',
      { requestedBy: 'assistant\u0000x' },
      'invalid_argument',
      'proposal has 1 problem:\n  requestedBy: contains a NUL character (U+0000) at index 9; remove it',
    ],
    ['a string param', { params: { text: 'please add\u0000 HIDDEN' } }, 'invalid_params', `proposal has 1 problem:\n  params.text: ${nul}`],
    [
      'a string param deep down',
      { params: { text: 'ok', extra: { list: ['fine', { title: 'please add\u0000 HIDDEN' }] } } },
      'invalid_params',
      `proposal has 1 problem:\n  params.extra.list[1].title: ${nul}`,
    ],
    [
      'a lone surrogate in the reason',
      { reason: 'half a face \uD83D' },
      'invalid_argument',
      'proposal has 1 problem:\n  reason: contains a lone surrogate (U+D83D) at index 12, which is not Unicode text; remove it or send the whole character',
    ],
  ])('propose with a NUL in %s: one error naming the field, nothing stored, the ledger intact', async (_, change, code, message) => {
    const server = await open();
    const before = await server.audit.head();
    expect(await refusal(server.actions.propose({ ...note('x'), ...change }))).toEqual({ code, message });
    expect(await server.approvals.list()).toEqual([]);
    expect(await server.audit.head()).toEqual(before);
    expect(await server.audit.verify()).toMatchObject({ ok: true });
  });

  it('decide with a NUL in the reason is refused naming it, audited, and the approval stays pending', async () => {
    const server = await open();
    const proposal = await server.actions.propose(note('x'));
    expect(await refusal(server.approvals.decide(proposal.id, { decision: 'approve', by: 'ana', reason: 'fine\u0000 HIDDEN' }))).toEqual({
      code: 'invalid_argument',
      message: 'decision has 1 problem:\n  reason: contains a NUL character (U+0000) at index 4; remove it',
    });
    expect((await server.approvals.get(proposal.id))?.status).toBe('pending');
    expect((await server.audit.list({ approvalId: proposal.id, type: 'approval.decision_refused' })).map((e) => e.actor)).toEqual(['ana']);
    expect(await server.audit.verify()).toMatchObject({ ok: true });
  });

  it.each([
    ['a NUL', 'ana\u0000mallory', 'invalid_argument', 'unknown'],
    ['a surrogate pair cut at 200 characters', `a${'😀'.repeat(150)}`, 'unknown_approver', `a${'😀'.repeat(99)}`],
  ])('a refused decision whose "by" holds %s is audited without breaking the ledger', async (_, by, code, actor) => {
    const server = await open();
    const proposal = await server.actions.propose(note('x'));
    expect((await refusal(server.approvals.decide(proposal.id, { decision: 'approve', by })))?.code).toBe(code);
    const [refused] = await server.audit.list({ approvalId: proposal.id, type: 'approval.decision_refused' });
    expect(refused?.actor).toBe(actor);
    expect(await server.audit.verify()).toMatchObject({ ok: true });
  });

  it('an escalation a connector writes from upstream text is stored as it can be read back, and cut between characters', async () => {
    const upstream = `channel "gen\u0000eral" \uD800 has ${'😀'.repeat(300)}`;
    const server = await createTeamState({
      database,
      clock: () => new Date(now),
      policy: { actions: { 'loud.*': { mode: 'auto' } } },
      connectors: [
        testConnector({
          id: 'loud',
          actions: [
            defineActionType({
              type: 'loud.message.post',
              description: 'Post',
              risk: 'medium',
              params: z.strictObject({ text: z.string() }),
              escalate: async () => upstream,
              execute: async () => ({}),
            }),
          ],
        }),
      ],
    });
    opened.push(server);
    const held = await server.actions.propose({
      type: 'loud.message.post',
      target: 'C1',
      params: { text: 'hi' },
      reason: 'r',
      requestedBy: 'bot',
    });
    const stored = (await server.approvals.get(held.id))?.escalation;
    const [entry] = await server.audit.list({ approvalId: held.id, type: 'approval.proposed' });
    expect(stored).toBe(entry?.data.escalation);
    expect(stored?.startsWith('channel "gen\uFFFDeral" \uFFFD has 😀')).toBe(true);
    expect(stored?.endsWith('😀...')).toBe(true);
    expect(await server.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('audit verify reports every mismatch, so one broken entry does not hide later tampering (finding 2)', () => {
  it('names an early broken entry and a later edited approval, keeping firstBrokenSeq as the first', async () => {
    const server = await open();
    const first = await server.actions.propose(note('first'));
    now += 1000; // approvals are cross-checked in proposal order
    const second = await server.actions.propose(note('second'));
    await server.approvals.decide(second.id, { decision: 'approve', by: 'ana' });
    const sql = (statement: string, args: (string | number)[] = []) => server.store.execute(statement, args);
    // Entry 1 broken for good (as a NUL cut once did), then, later, another approval's params and its reason edited.
    await sql(`UPDATE audit_events SET data = json_set(data, '$.reason', 'status, cut') WHERE seq = 1`);
    await sql('UPDATE approvals SET params = ? WHERE id = ?', [JSON.stringify({ text: 'other' }), second.id]);
    await sql('UPDATE approvals SET reason = ? WHERE id = ?', ['edited', first.id]);
    const result = await server.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 1, problem: 'entry 1 was modified after it was written' });
    expect(result.problems?.map(({ problem }) => problem.replace(/sha256 [0-9a-f]{64}/g, 'sha256 …'))).toEqual([
      'entry 1 was modified after it was written',
      `approval ${first.id}: its reason is "edited" but the ledger records "status, cut": the approval was edited behind the ledger`,
      `approval ${second.id}: its params is "sha256 …" but the ledger records "sha256 …": the approval was edited behind the ledger`,
    ]);
    expect(result.problems?.[0]?.seq).toBe(1);
  });

  it('keeps checking the chain after a broken, a missing and a reordered entry', async () => {
    const server = await open();
    for (const text of ['a', 'b', 'c', 'd', 'e', 'f']) await server.actions.propose(note(text));
    const sql = (statement: string, args: (string | number)[] = []) => server.store.execute(statement, args);
    await sql(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`);
    await sql('DELETE FROM audit_events WHERE seq = 4');
    await sql(`UPDATE audit_events SET data = 'not json' WHERE seq = 6`);
    const result = await server.audit.verify();
    expect(result.problems?.filter(({ problem }) => problem.startsWith('entry ')).map(({ seq }) => seq)).toEqual([2, 4, 6]);
    expect(result.problems?.find(({ seq }) => seq === 4)?.problem).toBe('entry 4 is missing (the next stored entry is 5)');
    expect(result.problems?.find(({ seq }) => seq === 6)?.problem).toMatch(/^entry 6 was modified after it was written \(/);
  });
});

describe('a ledger written by processes whose clocks differ verifies (finding 3)', () => {
  it('stamps an entry no earlier than the one before it and keeps the writer’s own time in data.writtenAt', async () => {
    const ahead = await open();
    const behind = await open({ clock: () => new Date(now - 5 * 60_000) });
    const first = await ahead.actions.propose(note('from the machine whose clock is right'));
    const second = await behind.actions.propose(note('from the machine whose clock is 5 minutes behind'));
    await behind.approvals.decide(first.id, { decision: 'decline', by: 'ana' });
    now += 1000;
    await ahead.approvals.decide(second.id, { decision: 'decline', by: 'ben' });

    expect(await ahead.audit.verify()).toMatchObject({ ok: true, entries: 4 });
    const entries = await ahead.audit.list();
    expect(entries.map((entry) => [entry.at, entry.data.writtenAt])).toEqual([
      ['2026-03-18T10:00:00.000Z', undefined],
      ['2026-03-18T10:00:00.000Z', '2026-03-18T09:55:00.000Z'],
      ['2026-03-18T10:00:00.000Z', '2026-03-18T09:55:00.000Z'],
      ['2026-03-18T10:00:01.000Z', undefined],
    ]);
  });
});

describe('property: any text round-trips through propose → decide → execute → audit verify, or is refused naming the field', () => {
  // Pieces that a careless store or printer mangles: NUL, C0 and C1 controls, escape sequences, bidi overrides and
  // isolates, a BOM, a noncharacter, lone surrogates, a pair, a combining mark, line breaks, quotes and SQL/LIKE syntax.
  const piece = fc.oneof(
    fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0007',
      '\u001b[2K',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u009f',
      '\u202e',
      '\u2066',
      '\u2069',
      '\u200f',
      '\uFEFF',
      '\uFFFF',
      '\uD800',
      '\uDFFF',
      '😀',
      'e\u0301',
      '\r\n',
      '\t',
      ' ',
      '"',
      '\\',
      "'",
      '%_',
      '--',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
    fc.string({ minLength: 1, maxLength: 8 }),
  );
  const short = fc.array(piece, { minLength: 1, maxLength: 16 }).map((pieces) => pieces.join(''));
  // 20,000 UTF-16 code units of one piece (cut there, which may split a pair: then it is refused like any lone surrogate).
  const long = piece.map((p) => p.repeat(Math.ceil(20_000 / p.length)).slice(0, 20_000));
  // What a TEXT column reads back exactly, decided without the code under test: no NUL, and UTF-8 round-trips it.
  const storable = (text: string) => !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;

  it('holds for random texts in the target, the reason, a param and the decision reason', async () => {
    const server = await open();
    const count = async () => Number((await server.store.execute('SELECT COUNT(*) AS n FROM approvals')).rows[0]!.n);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ target: short, reason: short, text: fc.oneof(short, long), decisionReason: short }),
        async ({ target, reason, text, decisionReason }) => {
          runs++;
          // A minute and more between proposals: a run (with its shrinking) stays under limits.proposals_per_hour (60).
          now += 61_000;
          const proposal = { type: 'notes.note.add', target, params: { text }, reason, requestedBy: 'assistant' };
          const refusedFields = [
            ...(storable(target) ? [] : ['target']),
            ...(storable(reason) ? [] : ['reason']),
            ...(storable(text) ? [] : ['params.text']),
          ];
          if (refusedFields.length > 0) {
            const [head, stored] = [await server.audit.head(), await count()];
            const error = await server.actions.propose(proposal).then(
              () => undefined,
              (e: Error & { code?: string }) => e,
            );
            expect(error?.code).toBe(
              refusedFields.length === 1 && refusedFields[0] === 'params.text' ? 'invalid_params' : 'invalid_argument',
            );
            for (const field of refusedFields) expect(error?.message).toContain(`\n  ${field}: contains a`);
            expect([await server.audit.head(), await count()]).toEqual([head, stored]);
            return;
          }
          const proposed = await server.actions.propose(proposal);
          const row = await server.approvals.get(proposed.id);
          expect([row?.target, row?.reason, row?.params]).toEqual([target, reason, { text }]);
          const [entry] = await server.audit.list({ approvalId: proposed.id, type: 'approval.proposed' });
          expect([entry?.data.target, entry?.data.reason, entry?.data.params]).toEqual([target, reason, { text }]);

          if (storable(decisionReason)) {
            const decided = await server.approvals.decide(proposed.id, { decision: 'approve', by: 'ana', reason: decisionReason });
            expect(decided.status).toBe('executed');
            expect((await server.approvals.get(proposed.id))?.decisionReason).toBe(decisionReason);
            expect(executed.at(-1)).toEqual({ approval: proposed.id, text });
          } else {
            const error = await server.approvals.decide(proposed.id, { decision: 'approve', by: 'ana', reason: decisionReason }).then(
              () => undefined,
              (e: Error & { code?: string }) => e,
            );
            expect([error?.code, error?.message]).toEqual(['invalid_argument', expect.stringContaining('\n  reason: contains a')]);
            expect((await server.approvals.get(proposed.id))?.status).toBe('pending');
            await server.approvals.decide(proposed.id, { decision: 'decline', by: 'ana' });
          }
          const verified = await server.audit.verify();
          expect(verified.ok, verified.problem).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
    expect(runs).toBeGreaterThanOrEqual(100);
  });
});
