import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, demoDatabase, runCli } from './run-cli.js';

// A demo workspace whose config names a policy file; the file is edited the way a person would.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-policy-'));
const policyFile = join(dir, 'policy.yaml');
const WARNING = 'teamstate policy propose';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asks = 'actions:\n  demo.note.add: { mode: ask }\n';
const denies = 'actions:\n  demo.note.add: { mode: deny }\n';

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { HOME: dir, TEAMSTATE_TOKEN: undefined, TEAMSTATE_POLICY: undefined } });

function json<T>(result: { code: number | null; stdout: string; stderr: string }): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** The MCP server of this folder (`teamstate mcp`, the built bin), with the real MCP client; its stderr is kept. */
async function withMcp<T>(run: (client: Client) => Promise<T>): Promise<{ value: T; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'TEAMSTATE_POLICY') env[name] = value;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    cwd: dir,
    env: { ...env, HOME: dir },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'policy-test-client', version: '4.2' });
  // A line on stdout that is not JSON-RPC (the warning printed there) would surface here.
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  try {
    const value = await run(client);
    return { value, stderr };
  } finally {
    await client.close();
    expect(errors).toEqual([]);
  }
}

type Approval = { id: string; status: string; mode: string; modelVersion?: string; traceId?: string };

async function propose(client: Client, text: string, model?: string): Promise<Approval> {
  const result = await client.callTool({
    name: 'propose_action',
    arguments: { type: 'demo.note.add', target: 'PAY-12', params: { key: 'PAY-12', text }, reason: 'a note', ...(model ? { model } : {}) },
  });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Approval;
}

let people: string[] = [];

beforeAll(async () => {
  expect((await demoDatabase(join(dir, 'demo.db'))).code).toBe(0);
  writeFileSync(join(dir, 'teamstate.config.yaml'), 'database: ./demo.db\nconnectors:\n  demo: {}\npolicy: ./policy.yaml\n');
  writeFileSync(policyFile, asks);
  const ts = await createTeamState({ database: join(dir, 'demo.db') });
  people = (await ts.people.list()).map((p) => p.id);
  await ts.close();
});

describe('teamstate policy', () => {
  it('adopts the configured policy as version 1 on first open, audited', async () => {
    const shown = json<Record<string, unknown>>(await cli(['policy', 'show', '--json']));
    expect(Object.keys(shown).sort()).toEqual(['approvedBy', 'at', 'hash', 'proposedBy', 'text', 'version']);
    expect(shown).toMatchObject({ version: 1, text: asks, proposedBy: 'config', approvedBy: 'config' });
    expect(shown.hash).toMatch(/^[0-9a-f]{64}$/);
    const ts = await createTeamState({ database: join(dir, 'demo.db') });
    const adopted = (await ts.audit.list({ limit: 500 })).filter((e) => e.type === 'policy.adopted');
    await ts.close();
    expect(adopted).toHaveLength(1);
    expect(adopted[0]?.data).toMatchObject({ version: 1, hash: shown.hash });
  });

  it('keeps the approved version in force after the file is edited, until the change is approved', async () => {
    const before = await withMcp((client) => propose(client, 'under version 1'));
    expect(before.value).toMatchObject({ status: 'pending', mode: 'ask' });

    writeFileSync(policyFile, denies);
    // The MCP server runs the approved version: the note is still held for a person, not denied.
    const edited = await withMcp(async (client) => {
      const named = await propose(client, 'after the edit', 'claude-opus-4-1');
      const got = await client.callTool({ name: 'get_approval', arguments: { id: named.id } });
      return { named, got: got.structuredContent as Approval, unnamed: await propose(client, 'no model named') };
    });
    expect(edited.value.got).toMatchObject({ modelVersion: 'claude-opus-4-1', traceId: edited.value.named.traceId });
    expect(edited.value.named).toMatchObject({ status: 'pending', mode: 'ask', modelVersion: 'claude-opus-4-1' });
    expect(edited.value.unnamed).toMatchObject({ status: 'pending', mode: 'ask', modelVersion: 'policy-test-client/4.2' });
    expect(edited.value.named.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(edited.stderr.split(WARNING)).toHaveLength(2);

    // Warned once per command, and the signal is raised.
    const signals = await cli(['signals', '--json']);
    expect(signals.stderr.split(WARNING)).toHaveLength(2);
    const listed = json<{ signals: { kind: string; status: string }[] }>(signals).signals.filter(
      (s) => s.kind === 'policy.unapproved_change',
    );
    expect(listed).toMatchObject([{ status: 'open' }]);

    // The simulation attached to the proposal says what changes.
    const simulation = json<{ proposals: number; changed: { after: string }[] }>(
      await cli(['policy', 'simulate', 'policy.yaml', '--json']),
    );
    expect(simulation.changed.filter((c) => c.after === 'deny').length).toBeGreaterThanOrEqual(3);

    const [proposer, approver] = people;
    const change = json<{ id: string; type: string; status: string; mode: string; risk: string; params: Record<string, unknown> }>(
      await cli(['policy', 'propose', 'policy.yaml', '--as', proposer!, '--json']),
    );
    expect(change).toMatchObject({ type: 'policy.change', status: 'pending', mode: 'require_approval', risk: 'high' });
    expect(change.params).toMatchObject({ document: denies });
    const approved = await cli(['approvals', 'approve', change.id, '--as', approver!]);
    expect(approved.code, approved.stderr).toBe(0);

    const history = json<{ versions: { version: number; text: string; proposedBy: string; approvedBy: string }[] }>(
      await cli(['policy', 'history', '--json']),
    );
    expect(history.versions.map((v) => [v.version, v.proposedBy, v.approvedBy, v.text])).toEqual([
      [1, 'config', 'config', asks],
      [2, proposer, approver, denies],
    ]);

    // Now the edited policy is the approved one: the note is denied, and nobody is warned any more.
    const after = await withMcp((client) => propose(client, 'under version 2'));
    expect(after.value).toMatchObject({ status: 'denied', mode: 'deny' });
    expect(after.stderr).not.toContain(WARNING);
    const shown = await cli(['approvals', 'show', edited.value.named.id]);
    expect(shown.stdout).toContain('claude-opus-4-1');
    expect(shown.stdout).toContain(edited.value.named.traceId);
    const quiet = await cli(['signals', '--json']);
    expect(json<{ signals: { kind: string }[] }>(quiet).signals.filter((s) => s.kind === 'policy.unapproved_change')).toEqual([]);
  });

  it('adopts nothing in a mistyped workspace, which is refused', async () => {
    const result = await cli(['policy', 'show', '--workspace', 'defualt']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('defualt');
    const ts = await createTeamState({ database: join(dir, 'demo.db'), workspace: 'defualt' });
    expect(await ts.policy.history()).toEqual([]);
    await ts.close();
  });

  it('refuses a bad document with one message naming the field, and proposes nothing', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'actions:\n  demo.note.add: { mode: yes }\n');
    const result = await cli(['policy', 'propose', 'bad.yaml', '--as', people[0]!]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('actions["demo.note.add"].mode: expected one of auto|ask|require_approval|deny, got "yes"');
    const { approvals: pending } = json<{ approvals: { type: string }[] }>(
      await cli(['approvals', 'list', '--type', 'policy.change', '--json']),
    );
    expect(pending).toHaveLength(1);
  });
});
