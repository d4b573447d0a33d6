import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { DEFAULT_INTERVALS, hubIntervals, syncIntervalOf } from '../src/server/hub-schedule.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

describe('schedule: and connectors.<name>.syncEvery (issue 50)', () => {
  it('reads the intervals, with their defaults, and a connector interval that wins over schedule.sync', () => {
    const path = configFile(
      'good',
      'database: t.db\nschedule: { sync: 30m, signals: 2m, riskDigest: 14d, alerts: 2m, leaseTtl: 20s }\nconnectors:\n  demo: { syncEvery: 5m }\n  github: { token: t, org: acme }\n',
    );
    const { config } = loadConfig(path, {});
    const intervals = hubIntervals(config);
    expect(intervals).toEqual({
      sync: 1_800_000,
      signals: 120_000,
      nudges: 600_000,
      retention: 86_400_000,
      riskDigest: 14 * 86_400_000,
      alerts: 120_000,
      leaseTtl: 20_000,
    });
    expect(syncIntervalOf(config, 'demo', intervals)).toBe(300_000);
    expect(syncIntervalOf(config, 'github', intervals)).toBe(1_800_000);
    expect(hubIntervals(undefined)).toEqual(DEFAULT_INTERVALS);
  });

  it('refuses an interval that is not a duration, naming the key and the fix', async () => {
    const path = configFile('bad', 'database: t.db\nschedule: { sync: 15 minutes }\nconnectors:\n  demo: { syncEvery: often }\n');
    const result = await runCli(['--config', path, 'config', 'check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('schedule.sync: expected an interval such as 30s, 15m, 1h or 1d');
    expect(result.stderr).toContain('connectors.demo.syncEvery: expected an interval such as 30s, 15m, 1h or 1d');
  });

  it('refuses a server.publicUrl that is not an http(s) URL', async () => {
    const path = configFile('url', 'database: t.db\nserver: { publicUrl: "ftp://teamstate.acme.dev" }\n');
    const result = await runCli(['--config', path, 'config', 'check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('server.publicUrl: expected the public origin, e.g. https://teamstate.acme.example');
  });
});
