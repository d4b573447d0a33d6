import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// Finding 6: an erased person's activity is kept under a pseudonym that is both their id and their name; a person
// is shown as "name (id)", which gave "erased-… (erased-…)". Such a person is shown once, as the pseudonym.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-erased-'));
const db = join(dir, 'demo.db');
const cli = (args: string[]) => runCli(['--db', db, ...args]);
let pseudonym: string;

beforeAll(async () => {
  expect((await demoDatabase(db, '2026-11-23T09:30:00Z')).code).toBe(0);
  const erased = await cli(['--json', 'people', 'erase', 'elif-fischer']);
  expect(erased.code, erased.stderr).toBe(0);
  pseudonym = JSON.parse(erased.stdout).pseudonym;
  expect(pseudonym).toMatch(/^erased-[0-9a-f]+$/);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an erased person', () => {
  it('is shown once, as their pseudonym, by knowledge who-knows; others as name (id)', async () => {
    const people = (await cli(['--now', '2026-11-23T09:30:00Z', 'knowledge', 'who-knows', 'ledger', '--limit', '20'])).stdout;
    expect(people).toMatch(new RegExp(`^\\d+\\. ${pseudonym}, score `, 'm'));
    expect(people).not.toContain(`${pseudonym} (${pseudonym})`);
    expect(people).toMatch(/^\d+\. Grace Kim \(grace-kim\), score /m);
  });
});
