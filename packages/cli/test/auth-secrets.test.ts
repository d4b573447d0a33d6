import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The sign-in secret of the remote MCP endpoint is only `serve`'s (and `mcp --http`'s): left unset, it must not break
// the commands that do not sign anyone in, and where it matters the message names the variable, not an empty string.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-auth-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `database: ./team.db
server: { publicUrl: https://teamstate.acme.example }
auth:
  github: { clientId: Iv1.0123456789abcdef, clientSecret: \${GITHUB_OAUTH_CLIENT_SECRET} }
`;

beforeAll(async () => {
  writeFileSync(join(dir, 'teamstate.config.yaml'), CONFIG);
  const ts = await createTeamState({ database: join(dir, 'team.db') });
  await ts.import(demoBundle({ now: new Date('2026-03-10T12:00:00Z') }));
  await ts.close();
});

const run = (args: string[]) => runCli(args, { cwd: dir, env: { GITHUB_OAUTH_CLIENT_SECRET: undefined } });
const NAMED = 'auth.github.clientSecret: environment variable GITHUB_OAUTH_CLIENT_SECRET is not set';

describe('a config whose sign-in secret is not exported', () => {
  it.each([[['status']], [['signals']], [['approvals', 'list']]])('teamstate %j runs without it', async (args) => {
    const result = await run(args);
    expect(result.stderr).not.toMatch(/Too small|not set|problems?:/);
    expect(result.code, result.stderr).toBe(0);
  });

  it('config check names the variable and the key, not an empty value', async () => {
    const result = await run(['config', 'check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(NAMED);
    expect(result.stderr).not.toMatch(/Too small|>=1 characters/);
  });

  it('serve refuses to start, naming the variable', async () => {
    const result = await run(['serve', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(NAMED);
    expect(result.stderr).not.toMatch(/Too small|>=1 characters/);
  });
});
