import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { github } from '@teamstate/connectors/github';
import { createTeamState, hmacSha256Hex } from '@teamstate/core';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Finding 6: `webhooks list` cut LAST ERROR short, the very text `webhooks retry` says to read. `webhooks show <id>`
// prints one delivery with its last error whole (wrapped to the width), `list` says so when it had to cut one, and a
// retry that fails again shows the delivery that way.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-webhooks-show-'));
const db = join(dir, 'team.db');
const DELIVERY = '9c0d3b1e-2a4f-11f1-8f6e-6b2d1c0a9e77';
const SECRET = 'whsec_webhooks_show_test_secret';
const TOKEN = 'ghp_WebhooksShowTest00000000000000000000';
const env = { GITHUB_TOKEN: TOKEN, GITHUB_WEBHOOK_SECRET: SECRET, COLUMNS: '' };
const cli = (args: string[], columns = '') => runCli(args, { cwd: dir, env: { ...env, COLUMNS: columns } });
const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(stripVTControlCharacters(line))));
const words = (text: string) => text.split(/\s+/).filter(Boolean);

let lastError: string;
beforeAll(async () => {
  // GitHub unreachable: the delivery's processing fails and it waits for a retry, with the reason stored.
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: http://127.0.0.1:9, webhookSecret: \${GITHUB_WEBHOOK_SECRET} }
teams:
  - { id: payments, name: Payments, repositories: [acme/api] }
`,
  );
  const body = readFileSync(new URL('../../connectors/test/__fixtures__/github/webhook-pull-request.json', import.meta.url), 'utf8');
  const ts = await createTeamState({
    database: `file:${db}`,
    connectors: [github({ token: TOKEN, repositories: ['acme/api'], baseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET })],
    webhooks: { answerWithinMs: 10_000 },
  });
  try {
    await ts.resolvePeople([{ provider: 'github', id: '1', login: 'anag', name: 'Ana G.' }]);
    const answer = await ts.webhooks.receive('github', {
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': DELIVERY,
        'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
      },
      rawBody: Buffer.from(body),
    });
    expect(answer.status).toBe(202);
    await ts.webhooks.idle();
    lastError = (await ts.webhooks.list())[0]!.lastError!;
  } finally {
    await ts.close();
  }
  // Long enough that a table of 80 columns cannot show it whole.
  expect(lastError.length).toBeGreaterThan(40);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate webhooks show <id>', () => {
  it('prints the delivery with its last error whole, wrapped to 80 columns', async () => {
    const shown = await cli(['webhooks', 'show', DELIVERY]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^${DELIVERY}  retrying$`, 'm'));
    expect(shown.stdout).toMatch(/^ {2}provider +github$/m);
    expect(shown.stdout).toMatch(/^ {2}event +pull_request$/m);
    expect(shown.stdout).toMatch(/^ {2}attempts +1$/m);
    expect(shown.stdout).toMatch(/^ {2}received +\d{4}-\d\d-\d\dT/m);
    expect(shown.stdout).toMatch(/^ {2}next attempt +\d{4}-\d\d-\d\dT/m);
    expect(widest(shown.stdout)).toBeLessThanOrEqual(80);
    const error = /^ {2}last error +([\s\S]*)$/m.exec(shown.stdout)![1]!;
    expect(words(error)).toEqual(words(lastError));
    expect(shown.stdout).not.toContain('…');
    expect(shown.stdout).not.toContain(TOKEN);
  });

  it('--json prints { delivery }, the same as the list has', async () => {
    const json = JSON.parse((await cli(['webhooks', 'show', DELIVERY, '--json'])).stdout);
    const listed = JSON.parse((await cli(['webhooks', 'list', '--json'])).stdout).deliveries[0];
    expect(json).toEqual({ delivery: listed });
  });

  it('refuses an id that is not stored, and a provider that did not send it', async () => {
    const unknown = await cli(['webhooks', 'show', 'no-such-delivery']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: webhook delivery "no-such-delivery" is not stored (see teamstate webhooks list for the ids)\n');
    const other = await cli(['webhooks', 'show', DELIVERY, '--provider', 'jira']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`webhook delivery "${DELIVERY}" of jira is not stored`);
  });

  it('webhooks list says where to read an error it cut; wide or piped, it cuts none and says nothing', async () => {
    const narrow = await cli(['webhooks', 'list'], '80');
    expect(narrow.stdout).toContain('LAST ERROR cut to fit: teamstate webhooks show <id> prints it whole.');
    for (const columns of ['400', '']) {
      const whole = await cli(['webhooks', 'list'], columns);
      expect(whole.stdout).toContain(lastError);
      expect(whole.stdout).not.toContain('webhooks show');
    }
  });

  it('a retry that fails again shows the delivery with its last error whole, and says where it is', async () => {
    const retried = await cli(['webhooks', 'retry', DELIVERY]);
    expect(retried.code).toBe(1);
    expect(retried.stdout).toMatch(new RegExp(`^${DELIVERY}  retrying$`, 'm'));
    expect(retried.stdout).toMatch(/^ {2}attempts +2$/m);
    expect(widest(retried.stdout)).toBeLessThanOrEqual(80);
    const error = /^ {2}last error +([\s\S]*)$/m.exec(retried.stdout)![1]!;
    expect(error).not.toContain('…');
    expect(retried.stderr).toContain(`Delivery ${DELIVERY} (github pull_request) failed again (attempt 2); its last error is above.`);
    expect(retried.stderr).not.toContain(TOKEN);
  });
});
