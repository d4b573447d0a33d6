import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-lazy-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The six variables the config references; none is set in these runs. */
const UNSET = ['GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const;
const unset = Object.fromEntries(UNSET.map((name) => [name, undefined]));

const CONFIG = `database: ./team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, org: acme, repositories: [acme/payments-api], webhookSecret: \${GITHUB_WEBHOOK_SECRET} }
  jira: { host: https://acme.atlassian.net, email: \${JIRA_EMAIL}, apiToken: \${JIRA_API_TOKEN}, projects: [PAY] }
  slack: { token: \${SLACK_BOT_TOKEN}, signingSecret: \${SLACK_SIGNING_SECRET}, approvalChannel: C0123ABCD }
`;

beforeAll(async () => {
  writeFileSync(join(dir, 'teamstate.config.yaml'), CONFIG);
  const ts = await createTeamState({ database: join(dir, 'team.db') });
  await ts.import(demoBundle({ now: new Date('2026-03-10T12:00:00Z') }));
  await ts.close();
});

const run = (args: string[]) => runCli(args, { cwd: dir, env: unset });

describe('a config whose connector secrets are not exported', () => {
  it.each([
    [['signals']],
    [['approvals', 'list']],
    [['audit', 'verify']],
    [['report', 'list']],
    [['knowledge', 'search', 'rollback']],
    [['webhooks', 'list']],
    [['--json', 'signals']],
  ])('teamstate %j reads without them', async (args) => {
    const result = await run(args);
    expect(result.stderr).not.toMatch(/not set|problems?:/);
    expect(result.code, result.stderr).toBe(0);
  });

  it('sync --only jira names only the Jira variables, each once, and the keys that use them', async () => {
    const result = await run(['sync', '--only', 'jira']);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => /not set/.test(line));
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}connectors\.jira\.email: environment variable JIRA_EMAIL is not set/),
      expect.stringMatching(/^ {2}connectors\.jira\.apiToken: environment variable JIRA_API_TOKEN is not set/),
    ]);
    for (const other of ['GITHUB', 'SLACK']) expect(result.stderr).not.toContain(other);
    expect(result.stderr).not.toMatch(/must not be empty|Too small|is required/);
  });

  it('config check still lists every unset variable, each once', async () => {
    const result = await run(['config', 'check']);
    expect(result.code).toBe(1);
    for (const name of UNSET) expect(result.stderr.split(`environment variable ${name} is not set`)).toHaveLength(2);
    expect(result.stderr).toContain('has 6 problems');
  });

  it('mcp (stdio) serves reads, leaves the connectors out with one warning each, and keeps stdout JSON-RPC', async () => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env))
      if (value !== undefined && !(UNSET as readonly string[]).includes(name)) env[name] = value;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, env, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'lazy-secrets', version: '1' });
    // A line on stdout that is not JSON-RPC (a warning printed there) would surface here.
    const errors: Error[] = [];
    client.onerror = (error) => errors.push(error);
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('list_signals');
      const people = await client.callTool({ name: 'list_people', arguments: {} });
      expect(people.isError, JSON.stringify(people.content)).toBeFalsy();
      expect(JSON.stringify(people.content)).toContain('Ana');
    } finally {
      await client.close();
    }
    expect(errors).toEqual([]);
    for (const [section, names] of [
      ['connectors.github', ['GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET']],
      ['connectors.jira', ['JIRA_EMAIL', 'JIRA_API_TOKEN']],
      ['connectors.slack', ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']],
    ] as const) {
      const warnings = stderr.split('\n').filter((line) => line.includes(`${section} is left out`));
      expect(warnings, stderr).toHaveLength(1);
      for (const name of names) expect(warnings[0]).toContain(name);
    }
  });
});

describe('the knowledge sources, the embedder and the MCP token are resolved for the commands that use them', () => {
  const other = join(dir, 'knowledge');
  const knowledgeEnv = {
    CONFLUENCE_EMAIL: undefined,
    CONFLUENCE_API_TOKEN: undefined,
    EMBEDDINGS_API_KEY: undefined,
    MCP_TOKEN: undefined,
  };
  beforeAll(async () => {
    mkdirSync(join(other, 'docs'), { recursive: true });
    writeFileSync(join(other, 'docs', 'rollback.md'), '# Rolling back\n\nRevert the deploy with the rollback job.\n');
    writeFileSync(
      join(other, 'teamstate.config.yaml'),
      `database: ./k.db
mcp: { token: \${MCP_TOKEN} }
knowledge:
  local: { paths: [./docs] }
  confluence: { host: https://acme.atlassian.net, email: \${CONFLUENCE_EMAIL}, apiToken: \${CONFLUENCE_API_TOKEN}, spaces: [ENG] }
  embedder: { url: http://127.0.0.1:9/v1, model: m, apiKey: \${EMBEDDINGS_API_KEY}, dimensions: 8 }
`,
    );
    await (await createTeamState({ database: join(other, 'k.db') })).close();
  });
  const inOther = (args: string[]) => runCli(args, { cwd: other, env: knowledgeEnv });

  it('knowledge sync and sync name each of their variables once', async () => {
    for (const args of [['knowledge', 'sync'], ['sync']]) {
      const result = await inOther(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('has 3 problems');
      for (const [key, name] of [
        ['knowledge.confluence.email', 'CONFLUENCE_EMAIL'],
        ['knowledge.confluence.apiToken', 'CONFLUENCE_API_TOKEN'],
        ['knowledge.embedder.apiKey', 'EMBEDDINGS_API_KEY'],
      ])
        expect(result.stderr.split(`${key}: environment variable ${name} is not set`)).toHaveLength(2);
      expect(result.stderr).not.toContain('MCP_TOKEN');
    }
  });

  it('knowledge search ranks by words without the embedder, and says why on stderr', async () => {
    const result = await inOther(['knowledge', 'search', 'rollback']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: knowledge\.embedder is left out: environment variable EMBEDDINGS_API_KEY \(knowledge\.embedder\.apiKey\) is not set/,
    );
  });

  it('mcp --http refuses a token it cannot read rather than generating another', async () => {
    const result = await inOther(['mcp', '--http', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mcp.token: environment variable MCP_TOKEN is not set');
    expect(existsSync(join(other, 'mcp-token'))).toBe(false);
  });
});
