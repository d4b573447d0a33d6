import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, runInTerminal } from './pty.js';
import { demoDatabase, runCli } from './run-cli.js';

// Reports are written at the real time (report submit takes no --now), so the demo is anchored on today too.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-report-'));
const db = join(dir, 'teamstate.db');
const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) => runCli(['--db', db, ...args], options);
const localToday = () => new Date().toISOString().slice(0, 10);
const ESC = String.fromCharCode(27);

beforeAll(async () => {
  const demo = await demoDatabase(db);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate report submit', () => {
  it('files a report as --as, records the OS user on the audit ledger, and the same day again replaces the text', async () => {
    const first = await cli(['report', 'submit', '-m', 'Merged the ledger_sync retry.', '--as', 'ana-garcia']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^Filed ana-garcia's report for ${localToday()} \\(rep_[0-9a-f]+\\)\\.$`, 'm'));
    const again = JSON.parse(
      (await cli(['--json', 'report', 'submit', '-m', 'Merged the ledger_sync retry; paired on refunds.', '--as', 'ana-garcia'])).stdout,
    );
    expect(again.report).toMatchObject({
      person: 'ana-garcia',
      day: localToday(),
      source: 'cli',
      text: 'Merged the ledger_sync retry; paired on refunds.',
    });
    const ts = await createTeamState({ database: db });
    try {
      const entries = (await ts.audit.list({})).filter((entry) => entry.type === 'report.submitted');
      expect(entries.at(-1)).toMatchObject({ actor: 'ana-garcia', data: { person: 'ana-garcia', day: localToday(), source: 'cli' } });
      expect(typeof (entries.at(-1)!.data as { submittedBy?: unknown }).submittedBy).toBe('string');
      expect((await ts.audit.verify()).ok).toBe(true);
    } finally {
      await ts.close();
    }
  });

  it('says when it replaced a report filed for that day, and when nothing changed', async () => {
    // A weekend day of last week: the demo's people write reports on working days only.
    let back = 3;
    while (![0, 6].includes(new Date(Date.now() - back * 86_400_000).getUTCDay())) back++;
    const day = new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    const args = (text: string) => ['report', 'submit', '-m', text, '--as', 'femi-santos', '--day', day];
    const filed = await cli(args('First take.'));
    expect(filed.stdout).toMatch(new RegExp(`^Filed femi-santos's report for ${day} \\(rep_[0-9a-f]+\\)\\.\n$`));
    const replaced = await cli(args('Second take, with the refund retry.'));
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toBe(`Replaced femi-santos's report for ${day} (the earlier text is kept as a revision).\n`);
    const same = await cli(args('Second take, with the refund retry.'));
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(`femi-santos's report for ${day} already says that; nothing changed.\n`);
  });

  it('takes the text from a file or standard input, with blockers', async () => {
    const file = join(dir, 'report.md');
    writeFileSync(file, '# Tuesday\n\n- Reviewed PAY-12\n');
    const fromFile = JSON.parse(
      (await cli(['--json', 'report', 'submit', '--file', file, '--as', 'ben-tanaka', '--blockers', 'Waiting on QA'])).stdout,
    );
    expect(fromFile.report).toMatchObject({ person: 'ben-tanaka', text: '# Tuesday\n\n- Reviewed PAY-12\n', blockers: 'Waiting on QA' });
    const fromStdin = await cli(['--json', 'report', 'submit', '--file', '-', '--as', 'ben-tanaka'], { input: 'From stdin' });
    expect(JSON.parse(fromStdin.stdout).report.text).toBe('From stdin');
  });

  it('refuses bad input with one message naming the field, and writes nothing', async () => {
    const count = async () => {
      const ts = await createTeamState({ database: db });
      try {
        return (await ts.reports.list({ limit: 500 })).items.length;
      } finally {
        await ts.close();
      }
    };
    const before = await count();
    const cases: [string[], number, RegExp][] = [
      [['report', 'submit', '-m', 'x'], 2, /^error: --as: who is this report from\? give --as <person>/],
      [['--now', '2026-03-10T12:00:00Z', 'report', 'submit', '-m', 'x', '--as', 'ana-garcia'], 2, /^error: --now: report submit records/],
      [['report', 'submit', '-m', '  ', '--as', 'ana-garcia'], 1, /^error: text: must not be empty/],
      [
        ['report', 'submit', '-m', 'x', '--as', 'ana-garcai'],
        1,
        /^error: person: unknown person "ana-garcai" \(did you mean "ana-garcia"\?\)/,
      ],
      [['report', 'submit', '-m', 'x', '--as', 'ana-garcia', '--day', '2999-01-01'], 1, /^error: day: 2999-01-01 is in the future/],
      [['report', 'submit', '-m', 'x', '--as', 'ana-garcia', '--day', 'yesterday'], 1, /^error: day: /],
      [
        ['report', 'submit', '-m', 'x', '--as', 'ana-garcia', '--day', '2000-01-03'],
        1,
        /^error: day: 2000-01-03 is more than 30 days back/,
      ],
      [
        ['report', 'submit', '-m', 'x', '--file', 'a.md', '--as', 'ana-garcia'],
        2,
        /^error: give the text once: -m <text> or --file <path>/,
      ],
      [['report', 'submit', '--as', 'ana-garcia'], 2, /^error: -m <text> or --file <path> is required when not on a terminal/],
      [['report', 'submit', '-m', 'x'.repeat(20_001), '--as', 'ana-garcia'], 1, /^error: text: 20,001 characters, at most 20,000/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(args);
      expect([result.code, result.stderr], args.join(' ').slice(0, 80)).toEqual([code, expect.stringMatching(message)]);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    expect(await count()).toBe(before);
  });

  it('opens $EDITOR with the draft on a terminal and files what the person saved', async () => {
    const editor = join(dir, 'editor.sh');
    // The "person" keeps the draft and adds a line.
    writeFileSync(editor, '#!/bin/sh\nprintf "\\nAlso: paired with Ben on refunds.\\n" >> "$1"\n');
    chmodSync(editor, 0o755);
    const { code, screen } = await runInTerminal(['--db', db, 'report', 'submit', '--as', 'chloe-eze'], dir, [], { EDITOR: editor });
    expect(code, plain(screen)).toBe(0);
    expect(plain(screen)).toMatch(/Filed chloe-eze's report for/);
    const ts = await createTeamState({ database: db });
    try {
      const [report] = (await ts.reports.list({ person: 'chloe-eze' })).items;
      expect(report!.text).toContain('Also: paired with Ben on refunds.');
      expect(report!.text).not.toMatch(/<!--/);
    } finally {
      await ts.close();
    }
  });
});

describe('teamstate report list, search, draft and timeline', () => {
  it('lists newest first with filters, and one JSON document', async () => {
    await cli(['report', 'submit', '-m', `Red ${ESC}[31malert${ESC}[0m text`, '--as', 'dmitri-costa']);
    const json = JSON.parse((await cli(['--json', 'report', 'list', '--person', 'ana-garcia'])).stdout);
    const listed = json.reports as { person: string; day: string }[];
    expect(listed.length).toBeGreaterThan(1);
    expect(new Set(listed.map((r) => r.person))).toEqual(new Set(['ana-garcia']));
    expect(listed.map((r) => r.day)).toEqual(
      listed
        .map((r) => r.day)
        .sort()
        .reverse(),
    );
    const table = await cli(['report', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Day\s+Person\s+Report/m);
    expect(table.stdout).toContain('Red alert text');
    expect(table.stdout).not.toContain(ESC);
  });

  it('searches with snippets; any text is words, never search syntax', async () => {
    const json = JSON.parse((await cli(['--json', 'report', 'search', 'ledger_sync'])).stdout);
    expect(json.reports[0]).toMatchObject({ report: { person: 'ana-garcia' } });
    expect(json.reports[0].snippet).toContain('**ledger_sync**');
    // (A query that starts with "-" goes after "--", as for any command-line argument.)
    for (const query of ['"unclosed', 'NEAR(a b', 'x OR', 'team:payments AND *'])
      expect((await cli(['report', 'search', query])).code).toBe(0);
    expect((await cli(['report', 'search', '--', '-foo:bar'])).code).toBe(0);
    expect((await cli(['report', 'search', 'no-such-words-anywhere'])).stdout).toBe('No reports match.\n');
  });

  it('shows the matched words of a snippet in bold on a terminal and as plain words otherwise, never with **', async () => {
    const piped = await cli(['report', 'search', 'ledger_sync']);
    expect(piped.stdout).toMatch(/^\S+\s+ana-garcia\s+.*\bledger_sync\b/m);
    expect(piped.stdout).not.toContain('**');
    const { code, screen } = await runInTerminal(['--db', db, 'report', 'search', 'ledger_sync'], dir, []);
    expect(code, plain(screen)).toBe(0);
    expect(screen).toContain(`${ESC}[1mledger_sync${ESC}[22m`);
    expect(screen).not.toContain('**');
  });

  it("drafts a person's day from their activity and shows their timeline", async () => {
    const draft = await cli(['report', 'draft', '--person', 'ana-garcia']);
    expect(draft.code, draft.stderr).toBe(0);
    const json = JSON.parse((await cli(['--json', 'report', 'draft', '--person', 'ana-garcia'])).stdout);
    expect(json).toMatchObject({ person: 'ana-garcia', day: localToday() });
    expect(draft.stdout).toBe(`${json.text.trimEnd()}\n`);
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const timeline = JSON.parse((await cli(['--json', 'timeline', 'ana-garcia', '--from', from])).stdout);
    expect(timeline.items.some((entry: { kind: string }) => entry.kind === 'report')).toBe(true);
    expect(timeline.items.some((entry: { kind: string }) => entry.kind.startsWith('pr.'))).toBe(true);
    const human = await cli(['timeline', 'ana-garcia', '--from', from]);
    expect(human.stdout).toMatch(/^When\s+What\s+Item/m);
    expect((await cli(['timeline', 'nobody'])).stderr).toMatch(/^error: person: unknown person/);
  });
});
