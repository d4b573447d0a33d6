import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { github } from '@teamstate/connectors/github';
import { createTeamState, hmacSha256Hex } from '@teamstate/core';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, runInTerminal } from './pty.js';
import { demoDatabase, runCli } from './run-cli.js';

// Issue 17: tables fit the terminal (its width on a terminal, else COLUMNS): long text columns are cut with "…",
// and columns are dropped by each table's priorities only when cutting is not enough; the identifying column stays.
// Piped or redirected (no terminal) with no COLUMNS, nothing is fitted: every cell whole, every column shown.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-width-'));
const db = join(dir, 'demo.db');
const NOW = '2026-11-23T09:30:00Z';
const DELIVERY = '9c0d3b1e-2a4f-11f1-8f6e-6b2d1c0a9e77';
const SECRET = 'whsec_table_width_test_secret';
// No COLUMNS (empty) and no terminal: natural width.
const cli = (args: string[], columns = '') => runCli(['--db', db, '--now', NOW, ...args], { env: { COLUMNS: columns } });
/** What a terminal shows of each line: escape sequences take no room, wide characters take two columns. */
const widths = (text: string) => text.split(/\r?\n/).map((line) => stringWidth(stripVTControlCharacters(line)));
const widest = (text: string) => Math.max(...widths(text));
const headingLine = (text: string, first: string) => text.split(/\r?\n/).find((line) => line.startsWith(first)) ?? '';
/** The table's lines: from its heading line to the first empty line. */
function tableLines(text: string, first: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(first));
  const end = lines.findIndex((line, i) => i > start && line.trim() === '');
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

let approvalId: string;
let tokenId: string;

beforeAll(async () => {
  expect((await demoDatabase(db, NOW)).code).toBe(0);
  approvalId = JSON.parse((await cli(['--json', 'approvals', 'list'])).stdout).approvals[0].id;
  // Rows with long text in every list: a report with blockers, a revoked token, an unmatched account, a webhook
  // delivery that failed (GitHub unreachable) and waits for a retry.
  const report = await runCli(
    [
      '--db',
      db,
      'report',
      'submit',
      '--as',
      'ana-garcia',
      '-m',
      'Finished the refund status API and reviewed the ledger idempotency change; pairing with Ben on the flaky settlement test',
      '--blockers',
      'Waiting on the payments provider sandbox credentials, which expire every Friday',
    ],
    { env: { COLUMNS: '' } },
  );
  expect(report.code, report.stderr).toBe(0);
  const token = await runCli(['--db', db, '--json', 'tokens', 'create', '--person', 'ana-garcia', '--scopes', 'read,propose']);
  expect(token.code, token.stderr).toBe(0);
  tokenId = JSON.parse(token.stdout).id;
  expect((await runCli(['--db', db, 'tokens', 'revoke', tokenId])).code).toBe(0);

  const body = readFileSync(new URL('../../connectors/test/__fixtures__/github/webhook-pull-request.json', import.meta.url), 'utf8');
  const ts = await createTeamState({
    database: `file:${db}`,
    connectors: [
      github({
        token: 'ghp_TableWidthTest0000000000000000000000',
        repositories: ['acme/api'],
        baseUrl: 'http://127.0.0.1:9',
        webhookSecret: SECRET,
      }),
    ],
    webhooks: { answerWithinMs: 10_000 },
  });
  try {
    await ts.resolvePeople([
      {
        provider: 'jira',
        id: '712020:0e5c1b7a-4d1f-4b6e-9f0a-3c2d1e0f9a8b',
        login: 'Ana G.',
        email: 'ana.garcia.contractor@subsidiary.acme.example',
        name: 'Ana G.',
      },
    ]);
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
  } finally {
    await ts.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each list command that prints a table: all its headings, and the identifying value a row must show whole. */
const tables = () => [
  { args: ['signals'], head: ['ID', 'Severity', 'Kind', 'Team', 'Signal', 'Since'], id: 'Signal', shows: 'deploy.failed' },
  {
    args: ['approvals', 'list'],
    head: ['ID', 'STATUS', 'TYPE', 'TARGET', 'RISK', 'REQUESTED BY', 'CREATED', 'EXPIRES'],
    id: 'ID',
    shows: approvalId,
  },
  { args: ['metrics'], head: ['metric', 'value', 'band', 'details'], id: 'metric', shows: 'failed_deployment_recovery_time' },
  { args: ['report', 'list'], head: ['Day', 'Person', 'Report', 'Blockers'], id: 'Person', shows: 'ana-garcia' },
  { args: ['report', 'search', 'settlement'], head: ['Day', 'Person', 'Report', 'Blockers'], id: 'Person', shows: 'ana-garcia' },
  { args: ['timeline', 'ana-garcia'], head: ['When', 'What', 'Item'], id: 'When', shows: 'acme/ledger#' },
  { args: ['tokens', 'list'], head: ['ID', 'PERSON', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED', 'VIA'], id: 'ID', shows: tokenId },
  {
    args: ['webhooks', 'list'],
    head: ['ID', 'PROVIDER', 'EVENT', 'STATUS', 'ATTEMPTS', 'RECEIVED', 'NEXT ATTEMPT', 'LAST ERROR'],
    id: 'ID',
    shows: DELIVERY,
  },
  {
    args: ['people', 'unmatched'],
    head: ['ACCOUNT', 'LOGIN', 'PERSON', 'EMAIL', 'NO ACCOUNT AT'],
    id: 'ACCOUNT',
    shows: 'jira:712020:0e5c1b7a-4d1f-4b6e-9f0a-3c2d1e0f9a8b',
  },
];
// tokens, report and webhooks commands read the real time: they take no --now.
const run = async (args: string[], columns: string) =>
  args.some((arg) => ['tokens', 'report', 'webhooks'].includes(arg))
    ? await runCli(['--db', db, ...args], { env: { COLUMNS: columns } })
    : await cli(args, columns);

describe('tables fit the terminal width', () => {
  it('every line of every list table fits 80 columns with COLUMNS=80, the identifying column kept', async () => {
    for (const { args, head, id, shows } of tables()) {
      const name = args.join(' ');
      const result = await run(args, '80');
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      // The rows are there (not "No reports."), with the heading line first.
      expect(headingLine(result.stdout, head[0]!), name).not.toBe('');
      expect(widest(result.stdout), name).toBeLessThanOrEqual(80);
      expect(headingLine(result.stdout, head[0]!), name).toMatch(new RegExp(`(^|\\s)${id}(\\s|$)`));
      expect(result.stdout, name).toContain(shows);
    }
    // The demo's overview: the team table too.
    const overview = (await cli(['demo'], '80')).stdout
      .split('\n')
      .filter((line) => /^(Team|Growth|Payments|Platform|PRs:|Merged,)\s/.test(line));
    expect(overview).toHaveLength(6);
    expect(widest(overview.join('\n'))).toBeLessThanOrEqual(80);
    expect((await cli(['signals'], '80')).stdout).toMatch(/^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+.*The last production deploy.*…/m);
  });

  it('cuts nothing when piped or redirected with no COLUMNS: every column, every cell whole', async () => {
    for (const { args, head, shows } of tables()) {
      const name = args.join(' ');
      const result = await run(args, '');
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(headingLine(result.stdout, head[0]!).split(/ {2,}/), name).toEqual(head);
      expect(result.stdout, name).toContain(shows);
      // A search snippet is an excerpt: its own "…" mark where the report goes on.
      if (name !== 'report search settlement') expect(result.stdout, name).not.toContain('…');
    }
    const piped = (await cli(['signals'], '')).stdout;
    expect(piped).toMatch(
      /^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+payments\s+The last production deployment of acme\/ledger failed \d+ hours ago\s+\d{4}-/m,
    );
    // The report's whole text and blockers, as submitted.
    const reports = (await run(['report', 'list'], '')).stdout;
    expect(reports).toContain('pairing with Ben on the flaky settlement test');
    expect(reports).toContain('Waiting on the payments provider sandbox credentials, which expire every Friday');
  });

  it('with COLUMNS=200 no column is dropped', async () => {
    for (const { args, head } of tables()) {
      const heading = headingLine((await run(args, '200')).stdout, head[0]!);
      expect(heading.split(/ {2,}/), args.join(' ')).toEqual(head);
    }
    const wide = (await cli(['signals'], '200')).stdout;
    expect(wide).toMatch(
      /^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+payments\s+The last production deployment of acme\/ledger failed \d+ hours ago\s+\d{4}-/m,
    );
    expect(wide).not.toContain('…');
  });

  it('follows COLUMNS when stdout is not a terminal: a narrower table still fits, its identifying column kept', async () => {
    for (const { args, head, id, shows } of tables()) {
      const table = tableLines((await run(args, '60')).stdout, head[0]!);
      expect(widest(table), args.join(' ')).toBeLessThanOrEqual(60);
      expect(headingLine(table, head[0]!), args.join(' ')).toMatch(new RegExp(`(^|\\s)${id}(\\s|$)`));
      if (id === 'ID' || id === 'ACCOUNT') expect(table, args.join(' ')).toContain(shows);
    }
  });

  it('leaves --json whole: the same document whatever the width', async () => {
    for (const { args } of tables()) {
      const narrow = await run(['--json', ...args], '40');
      expect(narrow.code, args.join(' ')).toBe(0);
      expect(narrow.stdout, args.join(' ')).toBe((await run(['--json', ...args], '250')).stdout);
    }
    const json = JSON.parse((await cli(['--json', 'signals'], '40')).stdout);
    expect(json.signals[0].title.length).toBeGreaterThan(40);
  });

  it('leaves the Team column out of signals --team (every row is that team), giving the sentence its room', async () => {
    const narrow = (await cli(['signals', '--team', 'payments'], '80')).stdout;
    expect(headingLine(narrow, 'ID  ').split(/ {2,}/)).toEqual(['ID', 'Severity', 'Kind', 'Signal']);
    expect(widest(narrow)).toBeLessThanOrEqual(80);
    // The sentence takes what Team took: at least 30 columns of it at 80, beside the short id.
    const deploy = /^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+(.+)$/m.exec(narrow)![1]!;
    expect(stringWidth(deploy)).toBeGreaterThanOrEqual(30);
    const wide = (await cli(['signals', '--team', 'payments'], '200')).stdout;
    expect(headingLine(wide, 'ID  ').split(/ {2,}/)).toEqual(['ID', 'Severity', 'Kind', 'Signal', 'Since']);
    expect(wide).toMatch(
      /^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+The last production deployment of acme\/ledger failed \d+ hours ago\s+\d{4}-/m,
    );
    // Without --team, the team stays.
    expect(headingLine((await cli(['signals'], '200')).stdout, 'ID  ').split(/ {2,}/)).toContain('Team');
  });

  // Last: the pseudo-terminal runs the built bin, and a signals refresh by other code than the last one's re-runs
  // every detector (the in-process runs above use the sources).
  it("on a terminal, follows the terminal's width rather than COLUMNS", async () => {
    // pty.ts sets the terminal to 120 columns; a stale COLUMNS of 60 is not what the person sees.
    const { code, screen } = await runInTerminal(['--db', db, '--now', NOW, 'signals'], dir, [], {
      COLUMNS: '60',
      // A shell that leaves COLUMNS as it was given (bash refreshes an exported COLUMNS after `stty cols`).
      SHELL: '/bin/sh',
    });
    expect(code).toBe(0);
    const table = tableLines(plain(screen), 'ID  ');
    expect(widest(table)).toBeGreaterThan(60);
    expect(widest(table)).toBeLessThanOrEqual(120);
    // At 60 columns Since would be the first to go.
    expect(table).toMatch(/^ID\s+Severity\s+Kind\s+Team\s+Signal\s+Since$/m);
  });
});

describe('line breaks in a daily report', () => {
  // A report with a line break in its text and in its blockers; report and timeline read the real time.
  const submitted = async () => {
    const result = await runCli([
      '--db',
      db,
      'report',
      'submit',
      '--as',
      'rosa-murphy',
      '-m',
      'Shipped retries\nNext: backfill',
      '--blockers',
      'Needs review\nand a slot',
    ]);
    expect(result.code, result.stderr).toBe(0);
  };
  /** The column where `heading` starts on the heading line starting with `first`. */
  const columnOf = (text: string, first: string, heading: string) => headingLine(text, first).indexOf(heading);

  it('shows each line of a report on its own line, under its column, in report list and timeline', async () => {
    await submitted();
    for (const columns of ['', '80']) {
      const list = await runCli(['--db', db, 'report', 'list', '--person', 'rosa-murphy'], { env: { COLUMNS: columns } });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout, columns).not.toContain('\\n');
      const report = columnOf(list.stdout, 'Day', 'Report');
      const blockers = columnOf(list.stdout, 'Day', 'Blockers');
      const lines = list.stdout.split('\n');
      const first = lines.findIndex((line) => line.includes('Shipped retries'));
      expect(lines[first]!.indexOf('Shipped retries'), columns).toBe(report);
      expect(lines[first]!.indexOf('Needs review'), columns).toBe(blockers);
      expect(lines[first + 1]!.indexOf('Next: backfill'), columns).toBe(report);
      expect(lines[first + 1]!.indexOf('and a slot'), columns).toBe(blockers);
      // The continuation line leaves the day and the person blank.
      expect(lines[first + 1]!.slice(0, report).trim(), columns).toBe('');

      const timeline = await runCli(['--db', db, 'timeline', 'rosa-murphy'], { env: { COLUMNS: columns } });
      expect(timeline.code, timeline.stderr).toBe(0);
      expect(timeline.stdout, columns).not.toContain('\\n');
      const item = columnOf(timeline.stdout, 'When', 'Item');
      const rows = timeline.stdout.split('\n');
      const at = rows.findIndex((line) => line.includes('Shipped retries'));
      expect(rows[at]!.indexOf('Shipped retries'), columns).toBe(item);
      expect(rows[at + 1], columns).toBe(`${' '.repeat(item)}Next: backfill`);
    }
  });
});
