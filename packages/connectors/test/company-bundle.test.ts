import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState, parseBundle, type TeamState } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-company-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date('2026-11-21T10:00:00Z');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function rows(ts: TeamState): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of RECORD_TABLES) {
    const result = (await ts.store.execute(`SELECT * FROM ${table}`)).rows.map((r) => ({ ...r }));
    // Reports imported without an id get a generated one (and their full-text row number); the rest is identical.
    out[table] = result.map(({ id, doc_id, ...rest }) => JSON.stringify(table === 'reports' ? rest : { id, doc_id, ...rest })).sort();
  }
  return out;
}

describe('writeCompanyBundle (the 10,000-engineer organisation, streamed to a file)', () => {
  it('is reproducible for a seed and day, and another seed gives another organisation', () => {
    const [a, b, c] = ['a.json', 'b.json', 'c.json'].map((name) => join(dir, name));
    const counts = writeCompanyBundle(a!, { now, fraction: 0.0025 });
    expect(writeCompanyBundle(b!, { now, fraction: 0.0025 })).toEqual(counts);
    expect(sha(b!)).toBe(sha(a!));
    writeCompanyBundle(c!, { now, fraction: 0.0025, seed: 7 });
    expect(sha(c!)).not.toBe(sha(a!));
    expect(() => writeCompanyBundle(c!, { now, fraction: 0 })).toThrow(/fraction: expected a number in \(0, 1\]/);
  });

  it('has the organisation’s proportions: per 25 engineers a year, ~3,750 PRs, ~5,000 issues, ~125 deployments, ~6,250 reports', () => {
    const file = join(dir, 'two-teams.json');
    const counts = writeCompanyBundle(file, { now, fraction: 0.005 });
    const bundle = parseBundle(JSON.parse(readFileSync(file, 'utf8')));
    expect(counts).toMatchObject({ teams: 2, people: 50, repositories: 4 });
    const prs = bundle.workItems.filter((item) => item.kind === 'pull_request');
    const issues = bundle.workItems.filter((item) => item.source === 'jira');
    // 400 teams: ~1.5 million PRs, ~2 million issues, ~50,000 deployments, ~2.5 million reports.
    expect(prs.length * 200).toBeGreaterThan(1_350_000);
    expect(prs.length * 200).toBeLessThan(1_650_000);
    expect(issues.length * 200).toBeGreaterThan(1_800_000);
    expect(issues.length * 200).toBeLessThan(2_200_000);
    expect(counts.deployments * 200).toBeGreaterThan(40_000);
    expect(counts.deployments * 200).toBeLessThan(60_000);
    expect(counts.reports * 200).toBeGreaterThan(2_300_000);
    expect(counts.reports * 200).toBeLessThan(2_700_000);
    expect(prs.filter((pr) => (pr.reviews ?? []).length > 0).length / prs.length).toBeGreaterThan(0.8);
    expect(issues.filter((issue) => (issue.transitions ?? []).length > 1).length / issues.length).toBeGreaterThan(0.5);
    expect(new Set(bundle.people.map((person) => person.timeZone)).size).toBeGreaterThan(1);
    expect(bundle.sprints.length).toBeGreaterThan(50);
  });

  it('imports streamed from the file into the same rows as the in-memory import of the same document', async () => {
    const file = join(dir, 'one-team.json');
    writeCompanyBundle(file, { now, fraction: 0.0025 });
    const streamed = await createTeamState({ database: `file:${join(dir, 'streamed.db')}`, clock: () => now });
    const inMemory = await createTeamState({ database: `file:${join(dir, 'memory.db')}`, clock: () => now });
    const fromFile = await streamed.importFile(file);
    expect(await inMemory.import(JSON.parse(readFileSync(file, 'utf8')))).toEqual(fromFile);
    expect(await rows(streamed)).toEqual(await rows(inMemory));
    await Promise.all([streamed.close(), inMemory.close()]);
  });
});
