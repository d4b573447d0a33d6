import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Approval, createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliHere } from '../../cli/test/run-cli.js';
import { BIN } from './fixtures/cli.js';

// The real thing: `teamstate mcp` spawned from the built CLI, spoken to with the SDK's stdio client.
// The config file gives the server the demo connector, whose `demo.note.add` the policy makes a
// high-risk action that only the lead declared in the config may approve; the approval comes from
// another process: the other commands run in this test's process (test/run-cli.ts of the CLI).
const runCli = (args: string[], cwd: string, env: Record<string, string> = {}) => runCliHere(args, { cwd, env });
const NOW = '2026-03-10T12:00:00Z';
const APPROVER = 'lead';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-e2e-'));
const database = join(dir, 'teamstate.db');
const config = join(dir, 'teamstate.config.yaml');

function startServer(args: string[]): { client: Client; transport: StdioClientTransport; stderr: () => string; errors: Error[] } {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], cwd: dir, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  return { client, transport, stderr: () => stderr, errors };
}

beforeAll(async () => {
  writeFileSync(
    config,
    [
      'connectors:',
      '  demo: {}',
      'people:',
      `  - { id: ${APPROVER}, name: Team Lead, email: lead@acme.example }`,
      '  - { id: dana, name: Dana Reyes, email: dana@acme.example }',
      'policy:',
      '  actions:',
      '    demo.note.add: { risk: high, mode: require_approval }',
      '  approvers:',
      `    high: [${APPROVER}]`,
      '',
    ].join('\n'),
  );
  const sync = await runCli(['--config', config, '--db', database, '--now', NOW, 'sync'], dir);
  expect(sync.code, sync.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate mcp over stdio (built binary, SDK StdioClientTransport)', () => {
  it('refuses a --person who is not in the workspace, with a suggestion, before serving', async () => {
    const refused = await runCli(['mcp', '--config', config, '--db', database, '--person', 'danna'], dir);
    expect([refused.code, refused.stderr]).toEqual([2, 'error: --person: unknown person "danna" (did you mean "dana"?)\n']);
  });

  it("submits the calling person's daily report (--person), which another process reads and finds at once (issue 18)", async () => {
    const server = startServer(['mcp', '--config', config, '--db', database, '--person', 'dana']);
    await server.client.connect(server.transport);
    try {
      const result = (await server.client.callTool({
        name: 'submit_daily_report',
        arguments: { text: 'Reviewed the ledger_sync change; paired on the vendor sandbox.' },
      })) as CallToolResult;
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      const { report } = result.structuredContent as { report: { id: string; person: string; source: string } };
      expect(report).toMatchObject({ person: 'dana', source: 'mcp' });
      const reader = await createTeamState({ database });
      try {
        expect((await reader.reports.search('ledger_sync')).map((hit) => hit.report.id)).toEqual([report.id]);
      } finally {
        await reader.close();
      }
      expect(server.errors).toEqual([]);
    } finally {
      await server.client.close();
    }
  });

  it('initializes, lists tools, reads metrics (the JSON of the CLI), proposes a high-risk action that a person approves from the CLI, and await_approval returns executed', async () => {
    // Dana uses the assistant: her proposals are the assistant's, made on her behalf.
    const server = startServer(['mcp', '--config', config, '--db', database, '--person', 'dana']);
    await server.client.connect(server.transport);
    try {
      expect(server.client.getServerVersion()).toMatchObject({ name: 'teamstate' });
      expect(server.client.getInstructions()).toContain('never as instructions');
      const { tools } = await server.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(['team_overview', 'list_work_items', 'get_metrics', 'propose_action', 'await_approval', 'list_approvals']),
      );

      // get_metrics answers, under `metrics`, the values of `teamstate metrics --json` for the same request…
      const window = { team: 'payments', from: '2026-02-08T00:00:00Z', to: '2026-03-10T00:00:00Z' };
      const metrics = (await server.client.callTool({ name: 'get_metrics', arguments: window })) as CallToolResult;
      const cli = await runCli(
        ['--db', database, '--json', 'metrics', '--team', 'payments', '--from', window.from, '--to', window.to],
        dir,
      );
      expect(cli.code, cli.stderr).toBe(0);
      // …with hours rounded to 2 decimals and ratios to 4 (docs/mcp.md#get_metrics).
      const answered = (metrics.structuredContent as { metrics: Record<string, { value: number | null; unit: string }> }).metrics;
      const printed = JSON.parse(cli.stdout) as Record<string, { value: number | null; unit: string }>;
      expect(Object.keys(answered).sort()).toEqual(Object.keys(printed).sort());
      for (const [id, { value, unit }] of Object.entries(printed)) {
        const places = unit === 'hours' ? 2 : unit === 'ratio' ? 4 : undefined;
        expect(answered[id]!.value, id).toBe(value === null || places === undefined ? value : Number(value.toFixed(places)));
      }
      expect(metrics.structuredContent).toMatchObject({
        metrics: { deployment_frequency: { unit: 'deployments/day', count: expect.any(Number) } },
      });

      const proposed = (await server.client.callTool({
        name: 'propose_action',
        arguments: {
          type: 'demo.note.add',
          target: 'PAY-1',
          params: { key: 'PAY-1', text: 'blocked for 3 days' },
          reason: 'The user asked to flag it',
        },
      })) as CallToolResult;
      const approval = proposed.structuredContent as Approval;
      expect(approval).toMatchObject({
        status: 'pending',
        mode: 'require_approval',
        risk: 'high',
        approvers: [APPROVER],
        requestedBy: 'assistant',
        onBehalfOf: 'dana',
      });
      expect(Date.parse(approval.expiresAt ?? '')).toBeGreaterThan(Date.now());

      const waiting = server.client.callTool({ name: 'await_approval', arguments: { id: approval.id, timeoutSeconds: 50 } });
      // The approver decides with their own credential (a token with the decide scope), not by naming themselves.
      const token = await runCli(['--db', database, '--json', 'tokens', 'create', '--person', APPROVER, '--scopes', 'decide'], dir);
      expect(token.code, token.stderr).toBe(0);
      const approved = await runCli(['--config', config, '--db', database, 'approvals', 'approve', approval.id, '--reason', 'fine'], dir, {
        TEAMSTATE_TOKEN: JSON.parse(token.stdout).token,
      });
      expect(approved.code, approved.stderr).toBe(0);
      expect(approved.stdout).toContain(`Approved ${approval.id} as ${APPROVER}`);

      const result = (await waiting) as CallToolResult;
      expect(result.structuredContent).toMatchObject({
        id: approval.id,
        status: 'executed',
        timedOut: false,
        decidedBy: APPROVER,
        result: { noted: true, key: 'PAY-1', text: 'blocked for 3 days' },
      });
      // stdout carried nothing but JSON-RPC, and start-up was announced on stderr.
      expect(server.errors).toEqual([]);
      expect(server.stderr()).toContain('teamstate mcp: serving');
    } finally {
      await server.client.close();
    }
    const shown = await runCli(['--db', database, '--json', 'approvals', 'show', (await lastApprovalId())!], dir);
    expect(JSON.parse(shown.stdout).history.map((e: { type: string }) => e.type)).toEqual([
      'approval.proposed',
      'approval.decided',
      'approval.executing',
      'approval.executed',
    ]);
  });

  it('starts without syncing: a configured connector is not run at start-up', async () => {
    const empty = join(dir, 'empty.db');
    await (await createTeamState({ database: empty })).close(); // empty, but it exists: `mcp` refuses a missing database
    const server = startServer(['mcp', '--config', config, '--db', empty]);
    await server.client.connect(server.transport);
    try {
      const overview = (await server.client.callTool({ name: 'team_overview', arguments: {} })) as CallToolResult;
      expect(overview.structuredContent).toMatchObject({ totals: { teams: 0, workItems: 0 } });
      // An empty workspace says so, in the answer and in the server's log, rather than reading as all clear (issue 17).
      expect((overview.structuredContent as { note?: string }).note).toMatch(/^This workspace is empty: nothing has been synced/);
      expect(server.stderr()).toContain('is empty (nothing synced or imported yet)');
    } finally {
      await server.client.close();
    }
  });

  it('exits when the client goes away', async () => {
    const server = startServer(['mcp', '--db', database]);
    await server.client.connect(server.transport);
    const pid = server.transport.pid!;
    await server.client.close();
    // Polled until the test's own timeout: a loaded machine may take seconds to end a process.
    await expect.poll(() => alive(pid), { timeout: 60_000 }).toBe(false);
  });
});

async function lastApprovalId(): Promise<string | undefined> {
  const listed = await runCli(['--db', database, '--json', 'approvals', 'list', '--limit', '1'], dir);
  return (JSON.parse(listed.stdout) as { approvals: { id: string }[] }).approvals[0]?.id;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('teamstate mcp --toolsets and --read-only (issue 22)', () => {
  async function listedBy(args: string[]): Promise<string[]> {
    const server = startServer(['mcp', '--db', database, ...args]);
    await server.client.connect(server.transport);
    try {
      return (await server.client.listTools()).tools.map((tool) => tool.name);
    } finally {
      await server.client.close();
    }
  }

  it('offers only the toolsets named, and with --read-only only the tools that change nothing', async () => {
    expect(await listedBy(['--config', config, '--toolsets', 'reports'])).toEqual([
      'search_reports',
      'person_timeline',
      'submit_daily_report',
    ]);
    expect(await listedBy(['--config', config, '--toolsets', 'actions,reports', '--read-only'])).toEqual([
      'search_reports',
      'person_timeline',
      'get_approval',
      'list_approvals',
    ]);
  });

  it('refuses an unknown toolset before serving, with one error listing the known ones', async () => {
    const refused = await runCli(['mcp', '--config', config, '--db', database, '--toolsets', 'delivery,action'], dir);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'error: --toolsets: unknown toolset "action" (did you mean "actions"?); known toolsets: delivery, actions, reports, knowledge, ai, incidents, plans, insights\n',
    ]);
  });

  it('reads mcp.toolsets from the config (the flag wins), and names the config key when it is wrong', async () => {
    const configured = join(dir, 'toolsets.config.yaml');
    writeFileSync(configured, 'connectors:\n  demo: {}\nmcp:\n  toolsets: [actions]\n');
    const server = startServer(['mcp', '--config', configured, '--db', database]);
    await server.client.connect(server.transport);
    try {
      expect((await server.client.listTools()).tools.map((tool) => tool.name)).toEqual([
        'propose_action',
        'get_approval',
        'await_approval',
        'list_approvals',
      ]);
    } finally {
      await server.client.close();
    }
    expect(await listedBy(['--config', configured, '--toolsets', 'reports', '--read-only'])).toEqual(['search_reports', 'person_timeline']);

    writeFileSync(configured, 'mcp:\n  toolsets: [delivery, knowlege]\n');
    const refused = await runCli(['mcp', '--config', configured, '--db', database], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'mcp.toolsets: unknown toolset "knowlege" (did you mean "knowledge"?); known toolsets: delivery, actions, reports, knowledge, ai, incidents, plans, insights',
    );
  });
});

describe('a stdio message over 10 MB (issue 17)', () => {
  it('stops the server with the reason on stderr and a non-zero exit, not silently with 0', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--db', database], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(11 * 1024 * 1024) } });
    child.stdin.on('error', () => {}); // the server may stop reading before the end of the message
    child.stdin.write(`${huge}\n`);
    const code = await exited;
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/teamstate mcp: stopped: .*10 ?MB|teamstate mcp: stopped: .*maximum size/);
  });
});
