import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The policy's limits at the terminal: proposals_per_hour refusing a caller's proposal, config check naming a bad value.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-limits-'));
const db = join(dir, 'teamstate.db');
const config = join(dir, 'teamstate.config.yaml');
const cli = (args: string[]) =>
  runCli(['--db', db, '--config', config, ...args], { cwd: dir, env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir } });

beforeAll(async () => {
  writeFileSync(config, 'policy:\n  limits:\n    proposals_per_hour: 3\n');
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
    expect(refused.stderr).toContain('rate_limited');
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
});
