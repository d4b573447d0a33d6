import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServing } from './run-cli.js';

// `teamstate serve` and `teamstate mcp --http` with `auth:` (docs/remote-mcp.md): the built CLI as a subprocess
// publishes the OAuth metadata, registers clients and points a caller without a token at its metadata.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-remote-mcp-'));
const config = join(dir, 'teamstate.config.yaml');
const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f12345678';

beforeAll(async () => {
  await (await createTeamState({ database: join(dir, 'team.db') })).close();
  writeFileSync(
    config,
    [
      'database: ./team.db',
      'server:',
      '  publicUrl: https://teamstate.acme.example',
      'auth:',
      '  github:',
      '    clientId: Iv1.8a61f9b3a7aba766',
      '    clientSecret: ${GITHUB_OAUTH_CLIENT_SECRET}',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([['serve'], ['mcp', '--http']])('teamstate %s with auth:', (...command) => {
  it('publishes the OAuth metadata, registers a client, and answers /mcp without a token with resource_metadata', async () => {
    const server = await startServing(dir, ['--config', config, ...command, '--port', '0'], { GITHUB_OAUTH_CLIENT_SECRET: SECRET });
    try {
      const metadata = await (await fetch(`${server.base}/.well-known/oauth-authorization-server`)).json();
      expect(metadata).toMatchObject({
        issuer: 'https://teamstate.acme.example',
        token_endpoint: 'https://teamstate.acme.example/oauth/token',
        code_challenge_methods_supported: ['S256'],
      });
      const registered = await fetch(`${server.base}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Claude', redirect_uris: ['https://claude.ai/api/mcp/auth_callback'] }),
      });
      expect(registered.status).toBe(201);
      expect(await registered.json()).toMatchObject({ client_id: expect.stringMatching(/^tsc_/), token_endpoint_auth_method: 'none' });
      const refused = await fetch(`${server.base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain(
        'resource_metadata="https://teamstate.acme.example/.well-known/oauth-protected-resource"',
      );
      expect(server.stderr()).not.toContain(SECRET);
    } finally {
      await server.stop();
    }
  });
});
