import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSecretValues, loadConfig } from '../src/config/load-config.js';
import { commandLogger } from '../src/runtime.js';
import { runCli, spawnCliAsync, startServing } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-otel-'));
const config = join(dir, 'teamstate.config.yaml');
const token = randomBytes(32).toString('base64url');

beforeAll(async () => {
  writeFileSync(
    config,
    ['database: ./teamstate.db', 'connectors:', '  demo: {}', 'policy:', '  actions:', '    demo.note.add: { mode: auto }', ''].join('\n'),
  );
  const sync = await runCli(['--config', config, 'sync'], { cwd: dir });
  expect(sync.code, sync.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scrape = async (base: string) => {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

describe('teamstate serve --metrics (issue 22)', () => {
  it('serves Prometheus metrics at /metrics, with the instruments listed before any traffic and counted after', async () => {
    const server = await startServing(dir, ['--config', config, 'serve', '--port', '0', '--metrics'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      expect(server.stderr()).toContain('metrics at /metrics');
      const before = await scrape(server.base);
      expect(before).toContain('# TYPE teamstate_actions_total counter');
      expect(before).toContain('# TYPE teamstate_approval_decisions_total counter');
      expect(before).toMatch(/^teamstate_nudges_total(\{[^}]*\})? 0$/m);
      expect(before).toMatch(/^teamstate_actions_total\{[^}]*\} 0$/m);

      const transport = new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: 'otel-e2e', version: '1.0.0' });
      await client.connect(transport);
      try {
        const result = (await client.callTool({
          name: 'propose_action',
          arguments: { type: 'demo.note.add', target: 'PAY-1', params: { key: 'PAY-1', text: 'checked' }, reason: 'asked' },
        })) as CallToolResult;
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      } finally {
        await client.close();
      }
      const after = await scrape(server.base);
      expect(after).toMatch(/^teamstate_actions_total\{[^}]*mode="auto"[^}]*\} 1$/m);
      expect((await fetch(`${server.base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('lists the hub gauges (source lag, webhook backlog, sync duration) and the nudges counter (issue 50)', async () => {
    const server = await startServing(dir, ['--config', config, 'serve', '--port', '0', '--metrics'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      const text = await scrape(server.base);
      expect(text).toContain('# TYPE teamstate_source_lag_seconds gauge');
      expect(text).toMatch(/^teamstate_source_lag_seconds\{[^}]*source="demo"[^}]*\} \d+$/m);
      expect(text).toMatch(/^teamstate_webhook_backlog(\{[^}]*\})? 0$/m);
      expect(text).toMatch(/^teamstate_sync_duration_seconds\{[^}]*source="demo"[^}]*\} \d+(\.\d+)?$/m);
      expect(text).toMatch(/^teamstate_nudges_total(\{[^}]*\})? 0$/m);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('has no /metrics without the flag', async () => {
    const server = await startServing(dir, ['--config', config, 'serve', '--port', '0'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('mcp --http --metrics serves it too; over stdio --metrics is a usage error', async () => {
    const server = await startServing(dir, ['--config', config, 'mcp', '--http', '--port', '0', '--metrics'], {
      TEAMSTATE_MCP_TOKEN: token,
    });
    try {
      expect(await scrape(server.base)).toContain('teamstate_actions_total');
    } finally {
      await server.stop();
    }
    const refused = await runCli(['--config', config, 'mcp', '--metrics'], { cwd: dir });
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'error: --metrics: needs --http (stdio has no HTTP server to serve /metrics on; use TEAMSTATE_OTEL=1 for OTLP)\n',
    ]);
  });
});

describe('/metrics behind a token', () => {
  const metricsToken = randomBytes(24).toString('hex');
  it('with TEAMSTATE_METRICS_TOKEN (or server.metricsToken) answers only the bearer of that token', async () => {
    const server = await startServing(dir, ['--config', config, 'serve', '--port', '0', '--metrics'], {
      TEAMSTATE_MCP_TOKEN: token,
      TEAMSTATE_METRICS_TOKEN: metricsToken,
    });
    try {
      const anonymous = await fetch(`${server.base}/metrics`);
      expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="teamstate-metrics"']);
      expect(await anonymous.text()).not.toContain('teamstate_actions_total');
      const wrong = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${randomBytes(24).toString('hex')}` } });
      expect(wrong.status).toBe(401);
      const scraped = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('# TYPE teamstate_actions_total counter');
      expect(server.stderr()).not.toContain(metricsToken);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const configured = join(dir, 'metrics-token.config.yaml');
    writeFileSync(configured, ['database: ./teamstate.db', 'server:', `  metricsToken: \${METRICS_SECRET}`, ''].join('\n'));
    const mcp = await startServing(dir, ['--config', configured, 'mcp', '--http', '--port', '0', '--metrics'], {
      TEAMSTATE_MCP_TOKEN: token,
      METRICS_SECRET: metricsToken,
    });
    try {
      expect((await fetch(`${mcp.base}/metrics`)).status).toBe(401);
      expect((await fetch(`${mcp.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
    } finally {
      await mcp.stop();
    }
  });

  it('without a token: served on a loopback host only, never to a request a proxy forwarded, and refused at start elsewhere', async () => {
    const server = await startServing(dir, ['--config', config, 'serve', '--port', '0', '--metrics'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      expect((await fetch(`${server.base}/metrics`)).status).toBe(200);
      expect((await fetch(`${server.base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(403);
    } finally {
      await server.stop();
    }
    for (const command of [['serve'], ['mcp', '--http']]) {
      const refused = await runCli(['--config', config, ...command, '--port', '0', '--host', '0.0.0.0', '--metrics'], {
        cwd: dir,
        env: { TEAMSTATE_MCP_TOKEN: token, TEAMSTATE_METRICS_TOKEN: undefined },
      });
      expect([refused.code, refused.stderr]).toEqual([
        2,
        'error: --metrics: /metrics on --host 0.0.0.0 needs a token: set TEAMSTATE_METRICS_TOKEN or server.metricsToken in the config (Prometheus sends it as a bearer token); without one, /metrics is served only on a loopback --host such as 127.0.0.1\n',
      ]);
    }
    const short = await runCli(['--config', config, 'serve', '--port', '0', '--metrics'], {
      cwd: dir,
      env: { TEAMSTATE_MCP_TOKEN: token, TEAMSTATE_METRICS_TOKEN: 'short' },
    });
    expect([short.code, short.stderr]).toEqual([
      2,
      'error: TEAMSTATE_METRICS_TOKEN: expected at least 16 characters (e.g. the output of: openssl rand -hex 32)\n',
    ]);
  });
});

describe('TEAMSTATE_OTEL=1 (issue 22)', () => {
  it('sends the spans of a sync to the OTLP endpoint of OTEL_EXPORTER_OTLP_ENDPOINT, with the configured headers', async () => {
    const received: { path: string; authorization?: string; body: string }[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          authorization: request.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      // A subprocess: TEAMSTATE_OTEL registers OpenTelemetry's process-wide providers, once per process.
      const sync = await spawnCliAsync(['--config', config, 'sync'], {
        cwd: dir,
        env: {
          TEAMSTATE_OTEL: '1',
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer collector-key',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        },
      });
      expect(sync.code, sync.stderr).toBe(0);
      const traces = received.filter((request) => request.path === '/v1/traces');
      expect(traces.length).toBeGreaterThan(0);
      expect(traces[0]!.authorization).toBe('Bearer collector-key');
      const body = traces.map((request) => request.body).join('\n');
      expect(body).toContain('teamstate.sync');
      expect(body).toContain('"demo"');
      // The metrics reader is flushed at exit too.
      expect(received.some((request) => request.path === '/v1/metrics')).toBe(true);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it('sends the decision of approvals approve as teamstate.approval.decisions', async () => {
    const askConfig = join(dir, 'ask.config.yaml');
    writeFileSync(
      askConfig,
      [
        'database: ./ask.db',
        'connectors:',
        '  demo: {}',
        'approvals: { localTrust: true }',
        'people:',
        '  - { id: lead, name: Team Lead, email: lead@acme.example }',
        'policy:',
        '  actions:',
        '    demo.note.add: { mode: ask }',
        '',
      ].join('\n'),
    );
    expect((await runCli(['--config', askConfig, 'sync'], { cwd: dir })).code).toBe(0);
    const ts = await createTeamState({
      database: join(dir, 'ask.db'),
      connectors: [demo()],
      policy: { actions: { 'demo.note.add': { mode: 'ask' } } },
    });
    const proposed = await ts.actions.propose({
      type: 'demo.note.add',
      target: 'PAY-1',
      params: { key: 'PAY-1', text: 'checked' },
      reason: 'asked',
      requestedBy: 'assistant',
    });
    await ts.close();
    const bodies: string[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(`${request.url} ${Buffer.concat(chunks).toString('utf8')}`);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      // A subprocess, as above: OpenTelemetry's providers are process-wide.
      const approve = await spawnCliAsync(['--config', askConfig, 'approvals', 'approve', proposed.id, '--as', 'lead'], {
        cwd: dir,
        env: { TEAMSTATE_OTEL: '1', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` },
      });
      expect(approve.code, approve.stderr).toBe(0);
      const metrics = bodies.filter((body) => body.startsWith('/v1/metrics')).join('\n');
      expect(metrics).toContain('teamstate.approval.decisions');
      expect(metrics).toContain('teamstate.approval.latency');
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it('sends nothing without it', async () => {
    const sync = await runCli(['--config', config, 'sync'], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).not.toMatch(/otlp|telemetry/i);
  });
});

describe('--log-format json (issue 22)', () => {
  it('writes JSON lines with every secret the config can hold redacted', () => {
    const secrets = {
      GITHUB_TOKEN: 'ghp_githubtoken1234567890',
      GITHUB_WEBHOOK_SECRET: 'gh-webhook-secret-123',
      JIRA_EMAIL: 'bot-account@acme.example',
      JIRA_API_TOKEN: 'jira-api-token-123456',
      JIRA_WEBHOOK_SECRET: 'jira-webhook-secret-1',
      SLACK_BOT_TOKEN: 'xoxb-slack-bot-token-1',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-1',
      GITHUB_APP_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nMIIEapp-private-key\\n-----END RSA PRIVATE KEY-----',
      JIRA_PAT: 'jira-datacenter-pat-1234',
      MCP: 'mcp-token-0123456789abcdef0123456789abcdef',
    };
    const file = join(dir, 'secrets.config.yaml');
    writeFileSync(
      file,
      [
        'connectors:',
        '  github: { token: ${GITHUB_TOKEN}, repositories: [acme/api], webhookSecret: ${GITHUB_WEBHOOK_SECRET}, app: { appId: 1, privateKey: ${GITHUB_APP_KEY}, installationId: 2 } }',
        '  jira: { host: https://acme.atlassian.net, email: ${JIRA_EMAIL}, apiToken: ${JIRA_API_TOKEN}, bearerToken: ${JIRA_PAT}, projects: [PAY], webhookSecret: ${JIRA_WEBHOOK_SECRET} }',
        '  slack: { token: ${SLACK_BOT_TOKEN}, signingSecret: ${SLACK_SIGNING_SECRET} }',
        `mcp: { token: ${secrets.MCP} }`,
        '',
      ].join('\n'),
    );
    const loaded = loadConfig(file, secrets);
    expect(configSecretValues(loaded).sort()).toEqual(Object.values(secrets).sort());
    const lines: string[] = [];
    const io = { env: { TEAMSTATE_DB_AUTH_TOKEN: 'libsql-auth-token-1' }, stderr: (line: string) => lines.push(line), cwd: dir } as never;
    const log = commandLogger({ logFormat: 'json' }, io, loaded);
    const everything = [...Object.values(secrets), 'libsql-auth-token-1'].join(' ');
    log.error(`request failed: ${everything}`, { detail: everything, url: 'https://user:pass@api.example/x?token=abc' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: string; message: string; detail: string; url: string };
    expect(entry.level).toBe('error');
    expect(entry.url).toBe('https://***@api.example/x');
    for (const secret of [...Object.values(secrets), 'libsql-auth-token-1']) expect(lines[0]).not.toContain(secret);
    expect(entry.message).toMatch(/^request failed: (\*\*\* ?)+$/);
  });

  it('refuses an unknown format as a usage error', async () => {
    const refused = await runCli(['--config', config, '--log-format', 'yaml', 'mcp', '--http', '--port', '0'], { cwd: dir });
    expect([refused.code, refused.stderr]).toEqual([2, 'error: --log-format: expected text or json, got "yaml"\n']);
  });
});
