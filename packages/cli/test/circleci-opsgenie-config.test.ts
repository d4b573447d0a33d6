import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// connectors.circleci and connectors.opsgenie in a config file: `config check` names a bad field and the fix, and a
// sync against a host nobody answers on fails at once, naming the connector's baseUrl (never its key).
const root = mkdtempSync(join(tmpdir(), 'teamstate-cci-og-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TOKEN = 'CCIPAT_config_check_token_0123456789';
const KEY = 'og-config-check-key-0123456789';
const write = (name: string, text: string) => {
  const path = join(root, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
};

let refused: string;
beforeAll(async () => {
  // A port that was free a moment ago: nothing listens there now.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  refused = `http://127.0.0.1:${port}`;
});

describe('connectors.circleci and connectors.opsgenie in the config', () => {
  it('config check names a bad CircleCI project slug and a bad Opsgenie baseUrl, without echoing the secrets', async () => {
    const env = { CIRCLECI_TOKEN: TOKEN, OPSGENIE_API_KEY: KEY };
    const cci = write('cci-bad', 'connectors:\n  circleci: { token: ${CIRCLECI_TOKEN}, projects: [acme/api] }\n');
    const cciCheck = await runCli(['--config', cci, 'config', 'check'], { cwd: root, env });
    expect(cciCheck.code).toBe(1);
    expect(cciCheck.stderr).toContain('connectors.circleci.projects[0]: expected a project slug such as gh/acme/api');
    const og = write('og-bad', 'connectors:\n  opsgenie: { apiKey: ${OPSGENIE_API_KEY}, baseUrl: api.opsgenie.com }\n');
    const ogCheck = await runCli(['--config', og, 'config', 'check'], { cwd: root, env });
    expect(ogCheck.code).toBe(1);
    expect(ogCheck.stderr).toContain('connectors.opsgenie.baseUrl: Invalid URL');
    for (const out of [cciCheck.stdout, cciCheck.stderr, ogCheck.stdout, ogCheck.stderr]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(KEY);
    }
  });

  it.each([
    ['circleci', `circleci: { token: \${CIRCLECI_TOKEN}, projects: [gh/acme/api], baseUrl: REFUSED }`],
    ['opsgenie', `opsgenie: { apiKey: \${OPSGENIE_API_KEY}, baseUrl: REFUSED }`],
  ])('sync with %s on a refused connection fails at once, naming its baseUrl', async (name, section) => {
    const env = { CIRCLECI_TOKEN: TOKEN, OPSGENIE_API_KEY: KEY };
    const config = write(`${name}-refused`, `connectors:\n  ${section.replace('REFUSED', refused)}\n`);
    const result = await runCli(['--config', config, '--db', join(root, `${name}.db`), '--json', 'sync'], { cwd: root, env });
    expect(result.code).toBe(1);
    const out = `${result.stdout}${result.stderr}`;
    expect(out).toContain(`connectors.${name}.baseUrl`);
    expect(out).toContain(refused.replace('http://', ''));
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(KEY);
  });
});
