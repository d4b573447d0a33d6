import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { type Connector, createTeamState, defineActionType, type TeamState } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Io, main } from '../src/index.js';

let folder: string;
let database: string;
let server: TeamState;
const executed: string[] = [];

// The "server" side: a TeamState with a connector that can run `test.note.add`; the CLI has none.
const connector: Connector = testConnector({
  id: 'test',
  actions: [
    defineActionType({
      type: 'test.note.add',
      description: 'Add a note',
      risk: 'low',
      params: z.object({ text: z.string() }),
      async execute(params, ctx) {
        executed.push(ctx.approvalId);
        return { added: params.text };
      },
    }),
  ],
});

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-cli-approvals-'));
  database = join(folder, 'teamstate.db');
  executed.length = 0;
  server = await createTeamState({ database, connectors: [connector] });
  await server.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'ana', name: 'Ana' },
      { id: 'bot', name: 'Assistant' },
    ],
  });
});

// Most tests here are about what a decision does, so they run in local trust (`--as` names the decider);
// "who may decide" has its own tests below.
const localTrust = () => server.settings.set('approvals.localTrust', true, 'test');

afterEach(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  // HOME is the test's folder, so no credentials file of the machine's user is ever read.
  const io: Io = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: { HOME: folder, COLUMNS: '250', ...env },
    isTTY: false,
    cwd: folder,
  };
  const code = await main(['--db', database, ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const propose = () =>
  server.actions.propose({ type: 'test.note.add', target: 'notes', params: { text: 'hi' }, reason: 'greet', requestedBy: 'bot' });

describe('teamstate approvals', () => {
  it('lists and shows approvals, as a table, details and JSON', async () => {
    const proposed = await propose();
    const list = await run(['approvals', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+STATUS\s+TYPE\s+TARGET\s+RISK\s+REQUESTED BY\s+CREATED\s+EXPIRES\n/);
    expect(list.stdout).toContain(`${proposed.id}  pending  test.note.add  notes`);
    const json = await run(['--json', 'approvals', 'list', '--status', 'pending']);
    expect(JSON.parse(json.stdout)).toEqual({ approvals: [proposed] });
    expect((await run(['approvals', 'list', '--status', 'executed'])).stdout).toBe('No approvals.\n');

    const show = await run(['approvals', 'show', proposed.id]);
    expect(show.stdout).toContain('type       test.note.add (ask, low risk)');
    expect(show.stdout).toMatch(/History:\n\s+1\s+\S+\s+proposed\s+bot\n/);
    const shown = JSON.parse((await run(['--json', 'approvals', 'show', proposed.id])).stdout);
    expect(shown.approval).toEqual(proposed);
    expect(shown.history.map((e: { type: string }) => e.type)).toEqual(['approval.proposed']);
    const missing = await run(['approvals', 'show', 'apr_nope']);
    expect([missing.code, missing.stderr]).toEqual([1, 'error: approval "apr_nope" was not found in this workspace\n']);
  });

  it('prints approvals list --json as an object, { approvals }, as the other lists and the CLI docs', async () => {
    const proposed = await propose();
    expect(JSON.parse((await run(['--json', 'approvals', 'list'])).stdout)).toEqual({ approvals: [proposed] });
    expect(JSON.parse((await run(['--json', 'approvals', 'list', '--status', 'executed'])).stdout)).toEqual({ approvals: [] });
    const docs = readFileSync(new URL('../../../docs/cli-governance.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## approvals'), docs.indexOf('## policy'));
    expect(section).toContain('`list --json` prints `{ "approvals": [...] }`');
  });

  it('approves as a person; the process with the connector then executes it once', async () => {
    await localTrust();
    const proposed = await propose();
    const approved = await run(['approvals', 'approve', proposed.id, '--as', 'ana', '--reason', 'fine']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toBe(
      `Approved ${proposed.id} as ana; no connector for test.note.add here: a process with that connector (teamstate serve) will run it.\n`,
    );
    expect(await server.approvals.wait(proposed.id, { timeoutMs: 5000 })).toMatchObject({
      status: 'executed',
      decidedBy: 'ana',
      decisionReason: 'fine',
    });
    expect(executed).toEqual([proposed.id]);
  });

  it('declines, and refuses self-decisions, unknown people and decided approvals with exit code 1', async () => {
    await localTrust();
    const proposed = await propose();
    const self = await run(['approvals', 'approve', proposed.id, '--as', 'bot']);
    expect([self.code, self.stderr]).toEqual([1, 'error: bot proposed this action and cannot decide it; ask another approver\n']);
    const unknown = await run(['approvals', 'approve', proposed.id, '--as', 'anna']);
    expect(unknown.stderr).toBe('error: by: "anna" is not a known person in this workspace (did you mean "ana"?)\n');
    const declined = await run(['--json', 'approvals', 'decline', proposed.id, '--as', 'ana', '--reason', 'no']);
    expect(JSON.parse(declined.stdout)).toMatchObject({ status: 'declined', decision: 'decline', decidedBy: 'ana' });
    const again = await run(['approvals', 'approve', proposed.id, '--as', 'ana']);
    expect([again.code, again.stderr]).toEqual([
      1,
      `error: approval ${proposed.id} is already declined; only a pending approval can be decided\n`,
    ]);
    const missingAs = await run(['approvals', 'approve', proposed.id]);
    expect(missingAs.code).toBe(2);
    expect(executed).toEqual([]);
    const refused = await server.audit.list({ type: 'approval.decision_refused' });
    expect(refused.map((e) => e.data.code)).toEqual(['self_decision', 'unknown_approver', 'approval_not_pending']);
  });

  it('refuses --now on approve and decline: an expired approval cannot be approved by pretending it is earlier (issue 16, finding 3)', async () => {
    // Proposed ten months ago (the server's clock), so it expired long before the real now.
    const old = await createTeamState({ database, connectors: [connector], clock: () => new Date(Date.now() - 300 * 86_400_000) });
    const expired = await old.actions.propose({
      type: 'test.note.add',
      target: 'notes',
      params: { text: 'late' },
      reason: 'r',
      requestedBy: 'bot',
    });
    await old.close();
    await localTrust();
    const message = (command: string) =>
      `error: --now: approvals ${command} records what happens at the real time, so it does not take --now (which is for reading); leave it out\n`;
    for (const command of ['approve', 'decline']) {
      const backdated = await run(['--now', expired.createdAt, 'approvals', command, expired.id, '--as', 'ana']);
      expect(backdated).toMatchObject({ code: 2, stderr: message(command) });
    }
    // Without --now the decision is judged on the real clock: it has expired.
    const late = await run(['approvals', 'approve', expired.id, '--as', 'ana']);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^error: approval apr_\w+ expired at .* and can no longer be decided/);
    expect(executed).toEqual([]);
    // A decision can never be recorded before its proposal: --now 2020 is refused the same way, and the ledger verifies.
    const fresh = await propose();
    expect((await run(['--now', '2020-01-01T00:00:00Z', 'approvals', 'approve', fresh.id, '--as', 'ana'])).code).toBe(2);
    expect((await server.approvals.get(fresh.id))?.status).toBe('pending');
    expect((await server.audit.verify()).ok).toBe(true);
  });

  it('takes the policy from --policy or TEAMSTATE_POLICY and reports a malformed one precisely', async () => {
    await localTrust();
    const proposed = await propose();
    const strict = join(folder, 'policy.yaml');
    writeFileSync(strict, 'actions:\n  "test.*": { mode: deny }\n');
    const denied = await run(['approvals', '--policy', strict, 'approve', proposed.id, '--as', 'ana']);
    expect(denied.stderr).toBe('error: the current policy denies test.note.add (rule "test.*"); it cannot be approved\n');
    const viaEnv = await run(['approvals', 'approve', proposed.id, '--as', 'ana'], { TEAMSTATE_POLICY: strict });
    expect(viaEnv.code).toBe(1);

    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{"actions": {"github.pr.merge": {"mode": "yes"}}}');
    const bad = await run(['approvals', '--policy', broken, 'list']);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      `error: ${broken} has 1 problem:\n  policy.actions["github.pr.merge"].mode: expected one of auto|ask|require_approval|deny, got "yes"\n`,
    ]);
    const absent = await run(['approvals', 'list'], { TEAMSTATE_POLICY: join(folder, 'nope.yaml') });
    expect(absent.stderr).toBe(`error: cannot read the policy ${join(folder, 'nope.yaml')}: no such file\n`);
    expect((await server.approvals.get(proposed.id))?.status).toBe('pending');
  });
});

describe('teamstate audit verify', () => {
  it('reports an intact ledger with its head, and a tampered one with the first broken entry', async () => {
    await localTrust();
    const proposed = await propose();
    await run(['approvals', 'decline', proposed.id, '--as', 'ana']);
    const intact = await run(['audit', 'verify']);
    const head = (await server.audit.head())!;
    expect([intact.code, intact.stdout]).toEqual([0, `Audit ledger intact: 3 entries; head 3:${head.hash} (keep it to pin the ledger)\n`]);
    expect((await run(['audit', 'verify', '--expect-head', `${head.seq}:${head.hash}`])).code).toBe(0);
    expect((await run(['audit', 'verify', '--expect-head', 'latest'])).code).toBe(2);

    await server.store.execute(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 1`);
    const tampered = await run(['audit', 'verify']);
    expect([tampered.code, tampered.stdout]).toEqual([1, 'Audit ledger BROKEN at entry 1: entry 1 was modified after it was written\n']);
    const json = await run(['--json', 'audit', 'verify']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      entries: 3,
      firstBrokenSeq: 1,
      problem: 'entry 1 was modified after it was written',
      problems: [{ seq: 1, problem: 'entry 1 was modified after it was written' }],
    });

    // Every further problem gets a line of its own, shown as data (an id edited to carry an escape sequence prints without it).
    await server.store.execute(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`);
    await server.store.execute(`UPDATE approvals SET id = ? WHERE id = ?`, [`${proposed.id}\u001b[31m`, proposed.id]);
    const more = await run(['audit', 'verify']);
    expect(more.stdout).toBe(
      [
        'Audit ledger BROKEN at entry 1: entry 1 was modified after it was written',
        '  also at entry 2: entry 2 was modified after it was written',
        `  also at entry 4: approval ${proposed.id} has no entry in the ledger`,
        '',
      ].join('\n'),
    );
  });
});

describe('who may decide (issue 16, finding 4): a credential, or local trust', () => {
  it('refuses --as without a credential outside local trust, saying how to get one; nothing is decided', async () => {
    const proposed = await propose();
    const refused = await run(['approvals', 'approve', proposed.id, '--as', 'ana']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: approvals approve needs a credential with the decide scope: set TEAMSTATE_TOKEN');
    expect(refused.stderr).toContain('teamstate tokens create --person <you> --scopes decide');
    expect((await server.approvals.get(proposed.id))?.status).toBe('pending');
    expect(await server.audit.list({ type: 'approval.decided' })).toEqual([]);
  });

  it('decides as the person of a token with the decide scope, without --as, and the ledger records the token', async () => {
    const token = await server.tokens.create({ person: 'ana', scopes: ['decide'] });
    const proposed = await propose();
    const approved = await run(['approvals', 'approve', proposed.id, '--reason', 'fine'], { TEAMSTATE_TOKEN: token.token });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`Approved ${proposed.id} as ana`);
    const [decided] = await server.audit.list({ approvalId: proposed.id, type: 'approval.decided' });
    expect(decided).toMatchObject({ actor: 'ana', data: { authentication: { method: 'token', token: token.id } } });
    expect(JSON.stringify(await server.audit.list())).not.toContain(token.token);
  });

  it('refuses a token without decide, a revoked token, --as someone else, and a credentials file others can read', async () => {
    const proposed = await propose();
    const reader = await server.tokens.create({ person: 'ana' });
    const noDecide = await run(['approvals', 'approve', proposed.id], { TEAMSTATE_TOKEN: reader.token });
    expect([noDecide.code, noDecide.stderr]).toEqual([
      1,
      `error: TEAMSTATE_TOKEN: token ${reader.id} of ana cannot decide (scopes read, propose, write); create one with --scopes decide\n`,
    ]);
    const decider = await server.tokens.create({ person: 'ana', scopes: ['decide'] });
    const other = await run(['approvals', 'approve', proposed.id, '--as', 'bot'], { TEAMSTATE_TOKEN: decider.token });
    expect([other.code, other.stderr]).toEqual([2, `error: --as: the credential in TEAMSTATE_TOKEN is ana's, not "bot"; leave --as out\n`]);
    await server.tokens.revoke(decider.id);
    const revoked = await run(['approvals', 'approve', proposed.id], { TEAMSTATE_TOKEN: decider.token });
    expect(revoked.stderr).toMatch(/^error: TEAMSTATE_TOKEN: the token is unknown, revoked or expired here/);
    // The credentials file lives in the user's config directory and must be the user's alone.
    const config = join(folder, 'config');
    mkdirSync(join(config, 'teamstate'), { recursive: true });
    const file = join(config, 'teamstate', 'credentials');
    const fresh = await server.tokens.create({ person: 'ana', scopes: ['decide'] });
    writeFileSync(file, `${fresh.token}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    const loose = await run(['approvals', 'approve', proposed.id], { XDG_CONFIG_HOME: config });
    expect([loose.code, loose.stderr]).toEqual([
      1,
      `error: ${file}: readable by others (mode 644); it holds a credential: run chmod 600 ${file}\n`,
    ]);
    chmodSync(file, 0o600);
    const fromFile = await run(['approvals', 'approve', proposed.id], { XDG_CONFIG_HOME: config });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect((await server.approvals.get(proposed.id))?.decidedBy).toBe('ana');
  });

  it('in local trust, records the decision as local trust with the OS user', async () => {
    await localTrust();
    const proposed = await propose();
    expect((await run(['approvals', 'decline', proposed.id, '--as', 'ana'])).code).toBe(0);
    const [decided] = await server.audit.list({ approvalId: proposed.id, type: 'approval.decided' });
    expect(decided?.data.authentication).toEqual({ method: 'local', osUser: userInfo().username });
  });
});
