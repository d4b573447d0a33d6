import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Issue 17: tables fit the terminal (80 columns unless told otherwise): long text columns are cut with "…",
// and columns are dropped from the right only when cutting is not enough; the first, identifying column stays.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-width-'));
const db = join(dir, 'demo.db');
const NOW = '2026-11-23T09:30:00Z';
// No COLUMNS (empty) and no terminal: 80.
const cli = (args: string[], columns = '') => runCli(['--db', db, '--now', NOW, ...args], { env: { COLUMNS: columns } });
const widest = (text: string) => Math.max(...text.split('\n').map((line) => Array.from(line).length));

beforeAll(() => {
  expect(cli(['demo']).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tables fit the terminal width', () => {
  const commands = [['signals'], ['approvals', 'list'], ['metrics'], ['report', 'list'], ['webhooks', 'list']];

  it('every line fits 80 columns by default (not a terminal, no COLUMNS), the first column kept', () => {
    for (const args of commands) {
      const result = cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(widest(result.stdout), args.join(' ')).toBeLessThanOrEqual(80);
    }
    // The demo's overview: the team table too.
    const overview = cli(['demo'])
      .stdout.split('\n')
      .filter((line) => /^(Team|Growth|Payments|Platform|PRs:|Merged,)\s/.test(line));
    expect(overview).toHaveLength(6);
    expect(widest(overview.join('\n'))).toBeLessThanOrEqual(80);
    expect(cli(['signals']).stdout).toMatch(/^Severity\s+Kind/m);
    expect(cli(['signals']).stdout).toMatch(/^critical\s+deploy\.failed\s+\S+\s+The last production deploy.*…/m);
  });

  it('follows COLUMNS: narrower still fits, wider shows everything', () => {
    expect(widest(cli(['signals'], '60').stdout)).toBeLessThanOrEqual(60);
    const wide = cli(['signals'], '250').stdout;
    expect(wide).toMatch(
      /^critical\s+deploy\.failed\s+payments\s+The last production deployment of acme\/ledger failed \d+ hours ago\s+\d{4}-/m,
    );
    expect(wide).not.toContain('…');
  });

  it('leaves --json whole', () => {
    const json = JSON.parse(cli(['--json', 'signals'], '40').stdout);
    expect(json.signals[0].title.length).toBeGreaterThan(40);
  });
});
