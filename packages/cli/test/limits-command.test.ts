import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServing } from './run-cli.js';

// The policy's limits at the terminal: proposals_per_hour refusing a caller's proposal, config check naming a bad value.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-limits-'));
const db = join(dir, 'teamstate.db');
const config = join(dir, 'teamstate.config.yaml');
const cli = (args: string[]) =>
  runCli(['--db', db, '--config', config, ...args], { cwd: dir, env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir } });

beforeAll(async () => {
  writeFileSync(config, 'policy:\n  limits:\n    proposals_per_hour: 3\n    max_monthly_cost_usd: 200\n');
  const demo = await cli(['demo']);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const addRisk = (title: string) =>
  cli(['risks', 'add', '--team', 'payments', '--title', title, '--severity', 'low', '--as', 'ana-garcia', '--json']);

describe('limits at the terminal', () => {
  it('refuses the 4th proposal of the hour: --json { ok: false, error: { code: rate_limited, retryAfter } }, audited', async () => {
    for (const title of ['One', 'Two', 'Three']) {
      const added = await addRisk(title);
      expect(added.code, added.stderr).toBe(0);
    }
    const refused = await addRisk('Four');
    expect(refused.code).toBe(1);
    const answer = JSON.parse(refused.stdout);
    // Writes run at the real time: the first proposal leaves the hour in a little under an hour.
    expect(answer).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfter: expect.any(Number) } });
    expect(answer.error.retryAfter).toBeGreaterThan(3000);
    expect(answer.error.retryAfter).toBeLessThanOrEqual(3600);
    expect(answer.error.message).toContain('retryAfter');
    const ts = await createTeamState({ database: db });
    try {
      expect(await ts.audit.list({ type: 'proposal.rate_limited' })).toMatchObject([
        { actor: 'ana-garcia', data: { type: 'risk.create' } },
      ]);
    } finally {
      await ts.close();
    }
  });

  it('config check names a bad limit value and the fix', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'teamstate.config.yaml'), 'policy:\n  limits:\n    proposals_per_hour: -3\n    max_monthly_cost_usd: 200\n');
    const checked = await runCli(['config', 'check'], { cwd: bad });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(
      'limits.proposals_per_hour: expected a whole number of proposals per caller per hour, at least 1 (e.g. 60), got -3',
    );
    writeFileSync(join(bad, 'teamstate.config.yaml'), 'policy:\n  limits:\n    max_monthly_cost_usd: lots\n');
    expect((await runCli(['config', 'check'], { cwd: bad })).stderr).toContain(
      'limits.max_monthly_cost_usd: expected a number, got "lots"',
    );
  });

  it("status shows the month's spend: --json { spend: { month, usd, capUsd } } and a line of text; /metrics exports it", async () => {
    // Two paid calls this month and one the month before, as the embedder and an action would record them.
    for (const [at, usd] of [
      ['2026-02-27T10:00:00Z', 50],
      ['2026-03-02T10:00:00Z', 12.25],
      ['2026-03-09T10:00:00Z', 150],
    ] as const) {
      const ts = await createTeamState({ database: db, clock: () => new Date(at) });
      try {
        await ts.spend.record({ kind: 'embedding', source: 'text-embedding-3-small', units: 1000, usd });
      } finally {
        await ts.close();
      }
    }
    const json = await cli(['--now', '2026-03-10T12:00:00Z', 'status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).spend).toEqual({ month: '2026-03', usd: 162.25, capUsd: 200 });
    const text = await cli(['--now', '2026-03-10T12:00:00Z', 'status']);
    expect(text.stdout).toContain('Spend 2026-03: $162.25 of the $200 cap (81 %)');

    const serving = join(dir, 'serving.yaml');
    writeFileSync(serving, `database: ${JSON.stringify(db)}\npolicy:\n  limits:\n    max_monthly_cost_usd: 200\n`);
    const server = await startServing(dir, ['--config', serving, '--now', '2026-03-10T12:00:00Z', 'serve', '--port', '0', '--metrics'], {
      TEAMSTATE_MCP_TOKEN: 'limits-test-token-0123456789abcdefghijklmnop',
    });
    try {
      const scraped = await (await fetch(`${server.base}/metrics`)).text();
      expect(scraped).toContain('# TYPE teamstate_spend_usd gauge');
      expect(scraped).toMatch(/^teamstate_spend_usd\{[^}]*month="2026-03"[^}]*\} 162\.25$/m);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
