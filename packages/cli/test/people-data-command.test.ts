import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// teamstate people export|erase|opt-out|opt-in (docs/cli-governance.md#people, issue 18), the built CLI as a subprocess.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-people-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana García', email: 'ana@acme.dev', teams: ['pay'], accounts: [{ provider: 'github', id: '1001', login: 'anag' }] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Refund flow',
      state: 'open',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-11-16T09:00:00Z',
      reviews: [{ reviewer: 'ben', state: 'commented', submittedAt: '2026-11-16T15:00:00Z' }],
    },
  ],
  reports: [
    { person: 'ana', day: '2026-11-18', text: 'Shipped the refund flow.', blockers: 'Vendor sandbox' },
    { person: 'ben', day: '2026-11-18', text: 'Reviewed refunds.' },
  ],
};
let n = 0;
let db: string;
let bundleFile: string;
beforeEach(async () => {
  db = join(dir, `people-${++n}.db`);
  bundleFile = join(dir, 'team.bundle.json');
  writeFileSync(bundleFile, JSON.stringify(bundle));
  expect((await runCli(['--db', db, 'import', bundleFile])).code).toBe(0);
});

describe('teamstate people export', () => {
  it('prints everything about one person as a teamstate.bundle/v1 document on stdout', async () => {
    const result = await runCli(['--db', db, 'people', 'export', 'ana']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const exported = JSON.parse(result.stdout);
    expect(exported).toMatchObject({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'pay', name: 'Payments' }],
      people: [{ id: 'ana', email: 'ana@acme.dev', teams: ['pay'], accounts: [{ provider: 'github', id: '1001', login: 'anag' }] }],
      workItems: [{ id: 'pr-1', author: 'ana' }],
      reports: [{ person: 'ana', day: '2026-11-18', blockers: 'Vendor sandbox' }],
    });
    expect(result.stdout).not.toContain('"ben"');
    const out = join(dir, 'ana.bundle.json');
    expect((await runCli(['--db', db, 'people', 'export', 'ana', '--out', out])).stderr).toBe(
      `Wrote ana's data (1 work item, 1 report) to ${out}\n`,
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(exported);
  });

  it('names an unknown person with a suggestion', async () => {
    const result = await runCli(['--db', db, 'people', 'export', 'anna']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/person: unknown person "anna" \(did you mean "ana"\?\)/);
  });
});

describe('teamstate people erase', () => {
  it('erases a person, keeps the activity under a pseudonym, and a re-import of the same bundle does not bring them back', async () => {
    const result = await runCli(['--db', db, 'people', 'erase', 'ana']);
    expect(result.stderr).toBe('');
    const pseudonym = /kept as (erased-[0-9a-f]{12})\./.exec(result.stdout)?.[1];
    expect(result.stdout).toBe(
      `Erased ana: removed 1 report (0 earlier revisions), 0 AI feedback reports, 0 tokens and 1 account.\n` +
        `Their activity (1 work item authored, 0 reviews, 0 assignments, 1 team membership, 0 knowledge documents) is kept as ${pseudonym}.\n` +
        'What was deleted is overwritten with zeros in the database file, and its write-ahead log is emptied.\n' +
        'Backups and copies of the database made before now still hold their data.\n',
    );
    expect((await runCli(['--db', db, 'import', bundleFile])).code).toBe(0);
    const reports = JSON.parse((await runCli(['--db', db, 'report', 'list', '--json'])).stdout).reports;
    expect(reports.map((r: { person: string }) => r.person)).toEqual(['ben']);
    const ts = await createTeamState({ database: `file:${db}` });
    expect(await ts.people.get('ana')).toBeUndefined();
    expect((await ts.workItems.get('pr-1'))!.author).toBe(pseudonym);
    const [event] = await ts.audit.list({ type: 'person.erased' });
    expect(event).toMatchObject({ data: { pseudonym } });
    await ts.close();
    expect((await runCli(['--db', db, 'audit', 'verify'])).code).toBe(0);
  });

  it('lists the retention archives written before that still hold their data', async () => {
    // Its own folder: the archive is next to the database file.
    const own = mkdtempSync(join(dir, 'archived-'));
    const archived = join(own, 'teamstate.db');
    expect((await runCli(['--db', archived, 'import', bundleFile])).code).toBe(0);
    const ts = await createTeamState({
      database: `file:${archived}`,
      clock: () => new Date('2026-11-25T12:00:00Z'),
      retention: { reports: '2d' },
    });
    const { manifest } = await ts.retention.run();
    await ts.close();
    const result = await runCli(['--db', archived, 'people', 'erase', 'ana']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '1 retention archive written before still holds their data (teamstate never rewrites an archive: delete it, or keep it only as long as your retention rules allow):\n' +
        `  ${manifest} (reports.jsonl.gz)\n`,
    );
    const json = JSON.parse((await runCli(['--db', archived, '--json', 'people', 'erase', 'ben'])).stdout);
    expect(json.archives).toEqual([{ manifest, files: ['reports.jsonl.gz'] }]);
  });

  it('refuses --now and an unknown person, changing nothing', async () => {
    const now = await runCli(['--db', db, '--now', '2026-11-20T00:00:00Z', 'people', 'erase', 'ana']);
    expect(now.code).not.toBe(0);
    expect(now.stderr).toMatch(/--now: people erase records what happens at the real time/);
    const unknown = await runCli(['--db', db, 'people', 'erase', 'anna']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/person: unknown person "anna" \(did you mean "ana"\?\)/);
    expect(JSON.parse((await runCli(['--db', db, 'people', 'export', 'ana'])).stdout).reports).toHaveLength(1);
  });
});

describe('teamstate people opt-out|opt-in', () => {
  it('stores an opt-out in the database and takes it back', async () => {
    expect((await runCli(['--db', db, 'people', 'opt-out', 'ana', 'wellbeing'])).stdout).toBe(
      'ana opted out of wellbeing. Opted out of: wellbeing.\n',
    );
    expect(JSON.parse((await runCli(['--db', db, '--json', 'people', 'opt-out', 'ana', 'surveys'])).stdout)).toMatchObject({
      person: 'ana',
      optOuts: [
        { kind: 'surveys', source: 'person' },
        { kind: 'wellbeing', source: 'person' },
      ],
    });
    const ts = await createTeamState({ database: `file:${db}` });
    expect((await ts.people.optOuts({ person: 'ana' })).map((o) => o.kind)).toEqual(['surveys', 'wellbeing']);
    await ts.close();
    expect((await runCli(['--db', db, 'people', 'opt-in', 'ana', 'wellbeing'])).stdout).toBe(
      'ana opted back in to wellbeing. Opted out of: surveys.\n',
    );
  });

  it('refuses an unknown kind or person with one clear message', async () => {
    const kind = await runCli(['--db', db, 'people', 'opt-out', 'ana', 'emails']);
    expect(kind.code).not.toBe(0);
    expect(kind.stderr).toMatch(/<what>: expected one of reminders, surveys, wellbeing, leaderboard, got "emails"/);
    const person = await runCli(['--db', db, 'people', 'opt-out', 'anna', 'wellbeing']);
    expect(person.stderr).toMatch(/person: unknown person "anna" \(did you mean "ana"\?\)/);
  });

  it('takes opt-outs from the config (people[].optOut), stored in the database; the CLI shows every other wellbeing signal', async () => {
    // Both last reported on Wednesday the 18th: by Tuesday the 24th, three working days without one.
    const noReports = async (args: string[]) =>
      JSON.parse(
        (await runCli([...args, '--now', '2026-11-24T12:00:00Z', '--json', 'signals', '--kind', 'person.no_reports'])).stdout,
      ).signals.map((s: { subject: { id: string } }) => s.subject.id);
    expect(await noReports(['--db', db])).toEqual(['ana', 'ben']);
    const config = join(dir, `teamstate-${n}.config.yaml`);
    writeFileSync(config, `database: file:${db}\npeople:\n  - { id: ben, name: Ben, optOut: [wellbeing] }\n`);
    expect(await noReports(['--config', config])).toEqual(['ana']);
    const ts = await createTeamState({ database: `file:${db}` });
    expect(await ts.people.optOuts()).toMatchObject([{ person: 'ben', kind: 'wellbeing', source: 'config' }]);
    await ts.close();
    expect((await runCli(['--config', config, 'people', 'opt-in', 'ben', 'wellbeing'])).stderr).toMatch(
      /ben's opt-out of wellbeing is declared in the config \(people\[\]\.optOut\); remove it there/,
    );
    writeFileSync(config, `database: file:${db}\npeople:\n  - { id: ben, name: Ben, optOut: [holidays] }\n`);
    expect((await runCli(['--config', config, 'signals'])).stderr).toMatch(/people\[0\]\.optOut\[0\]/);
  });
});
