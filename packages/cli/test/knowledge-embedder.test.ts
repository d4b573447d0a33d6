import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEmbedder } from '@teamstate/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// `knowledge.embedder` in the config (issue 19): the CLI, as a subprocess, embeds passages through an
// OpenAI-compatible /v1/embeddings endpoint (served here, answering like Ollama does) with the API key from ${ENV}.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-embedder-'));
const API_KEY = 'sk-test-embeddings-0123456789abcdef';
const model = testEmbedder({ dimensions: 64 });
const authorizations: (string | undefined)[] = [];
let refuse = false;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', async () => {
      authorizations.push(request.headers.authorization);
      if (refuse || request.url !== '/v1/embeddings') {
        response.writeHead(refuse ? 401 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `invalid key ${API_KEY}` } }));
        return;
      }
      const { input, model: name } = JSON.parse(body) as { input: string[]; model: string };
      const data = (await model.embed(input, {})).map((embedding, index) => ({ object: 'embedding', embedding, index }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data, model: name, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  mkdirSync(join(dir, 'docs'));
  writeFileSync(
    join(dir, 'docs', 'database.md'),
    '# Database\n\n## Pooling\n\nEvery service connects through PgBouncer.\n\n## Backups\n\nNightly.\n',
  );
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: k.db\nknowledge:\n  local: { paths: [./docs] }\n  embedder: { url: ${url}, model: all-minilm, apiKey: \${EMBEDDINGS_API_KEY}, dimensions: 64 }\n`,
  );
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { EMBEDDINGS_API_KEY: API_KEY } });

describe('knowledge.embedder in the config', () => {
  it('embeds every passage at sync with the key from the environment, and search finds by vector', async () => {
    const sync = await cli(['knowledge', 'sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/knowledge local: 1 added.*\(2 passages written, 2 embedded\)/);
    expect(authorizations.every((header) => header === `Bearer ${API_KEY}`)).toBe(true);
    // No word of "pgbounce" is in the index; its character trigrams are.
    const search = await cli(['knowledge', 'search', 'pgbounce', '--json']);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).passages[0].headingPath).toEqual(['Database', 'Pooling']);
  });

  it('a refused key fails the sync naming the embedder, never printing the key; config check masks it', async () => {
    writeFileSync(join(dir, 'docs', 'oncall.md'), '# On-call\n\nPage the secondary after 15 minutes.\n');
    refuse = true;
    try {
      const sync = await cli(['knowledge', 'sync']);
      expect(sync.code).toBe(1);
      expect(sync.stdout).toMatch(
        /✗ knowledge local: .*embedder "all-minilm": POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings answered 401: invalid key \*\*\*/,
      );
      expect(`${sync.stdout}${sync.stderr}`).not.toContain(API_KEY);
    } finally {
      refuse = false;
    }
    const check = await cli(['config', 'check', '--json']);
    expect(`${check.stdout}${check.stderr}`).not.toContain(API_KEY);
  });

  it('refuses a bad embedder config naming the field', async () => {
    const other = join(dir, 'bad.yaml');
    writeFileSync(other, 'knowledge:\n  local: { paths: [./docs] }\n  embedder: { url: localhost:11434, model: m, dimensions: 0 }\n');
    const result = await runCli(['knowledge', 'sync', '--config', other], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/knowledge\.embedder\.url: expected the API's URL/);
    expect(result.stderr).toMatch(/knowledge\.embedder\.dimensions/);
  });
});
