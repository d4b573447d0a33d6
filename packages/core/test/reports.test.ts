import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError, type TeamStateOptions } from '../src/index.js';

// Daily reports through the SDK (docs/daily-reports.md, issue 18), on a real libSQL file with an injected clock.
let folder: string;
let ts: TeamState;
let now: number;

async function open(options: TeamStateOptions = {}) {
  ts = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now), ...options });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'ben', name: 'Ben', teams: ['payments'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
  });
  // Ana works in Tokyo (UTC+9); Ben and Cleo have no time zone (UTC).
  await ts.store.execute("UPDATE people SET time_zone = 'Asia/Tokyo' WHERE id = 'ana'");
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-reports-'));
  now = Date.parse('2026-03-18T23:30:00Z');
  await open();
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}
const count = async (table: string) => Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe('ts.reports.submit', () => {
  it("files the report under the person's local day from the clock and their time zone, UTC when they have none", async () => {
    const ana = await ts.reports.submit({ person: 'ana', text: 'Shipped the **refund** flow', source: 'mcp' });
    expect(ana).toEqual({
      id: expect.stringMatching(/^rep_[0-9a-f]{16}$/),
      person: 'ana',
      day: '2026-03-19',
      text: 'Shipped the **refund** flow',
      source: 'mcp',
      createdAt: '2026-03-18T23:30:00.000Z',
      updatedAt: '2026-03-18T23:30:00.000Z',
    });
    const ben = await ts.reports.submit({ person: 'ben', text: 'Reviews', blockers: 'Waiting on the vendor sandbox', source: 'cli' });
    expect(ben).toMatchObject({ day: '2026-03-18', blockers: 'Waiting on the vendor sandbox', source: 'cli' });
  });

  it('replaces the text of a day submitted again and keeps the earlier text as a revision', async () => {
    const first = await ts.reports.submit({ person: 'ben', day: '2026-03-17', text: 'First take', blockers: 'CI is red', source: 'slack' });
    now += 3_600_000;
    const second = await ts.reports.submit({ person: 'ben', day: '2026-03-17', text: 'Better take', source: 'api' });
    expect(second).toEqual({
      id: first.id,
      person: 'ben',
      day: '2026-03-17',
      text: 'Better take',
      source: 'api',
      createdAt: first.createdAt,
      updatedAt: '2026-03-19T00:30:00.000Z',
    });
    expect((await ts.reports.list({ person: 'ben' })).items).toEqual([second]);
    const revisions = await ts.store.execute(
      'SELECT report_id, seq, text, blockers, source, created_at, replaced_at FROM report_revisions',
    );
    expect(revisions.rows.map((row) => ({ ...row }))).toEqual([
      {
        report_id: first.id,
        seq: 1,
        text: 'First take',
        blockers: 'CI is red',
        source: 'slack',
        created_at: Date.parse(first.updatedAt),
        replaced_at: now,
      },
    ]);
  });

  it('refuses bad input with one message naming the field and the fix, and writes nothing', async () => {
    await ts.reports.submit({ person: 'ben', day: '2026-03-10', text: 'Kept', source: 'api' });
    const before = { reports: await count('reports'), revisions: await count('report_revisions') };
    const cases: [unknown, RegExp][] = [
      [{ person: 'ben', text: '', source: 'api' }, /^text: must not be empty/],
      [{ person: 'ben', text: '  \n ', source: 'api' }, /^text: must not be empty/],
      [{ person: 'ben', text: 'x'.repeat(20_001), source: 'api' }, /^text: 20,001 characters, at most 20,000 allowed/],
      [{ person: 'ben', text: 'ok', blockers: 'x'.repeat(20_001), source: 'api' }, /^blockers: 20,001 characters, at most 20,000 allowed/],
      [
        { person: 'ben', day: '2026-3-1', text: 'ok', source: 'api' },
        /^day: expected a day as YYYY-MM-DD, e.g. 2026-03-18, got "2026-3-1"/,
      ],
      [{ person: 'ben', day: '2026-02-30', text: 'ok', source: 'api' }, /^day: expected a day as YYYY-MM-DD/],
      [
        { person: 'ben', day: '2026-03-19', text: 'ok', source: 'api' },
        /^day: 2026-03-19 is in the future for ben \(today is 2026-03-18 in UTC\)/,
      ],
      [
        { person: 'ana', day: '2026-03-20', text: 'ok', source: 'api' },
        /^day: 2026-03-20 is in the future for ana \(today is 2026-03-19 in Asia\/Tokyo\)/,
      ],
      [
        { person: 'ben', day: '2026-02-15', text: 'ok', source: 'api' },
        /^day: 2026-02-15 is more than 30 days back \(the earliest is 2026-02-16\)/,
      ],
      [{ person: 'benn', text: 'ok', source: 'api' }, /^person: unknown person "benn" \(did you mean "ben"\?\); known: ana, ben, cleo/],
      [{ person: 'ben', text: 'ok', source: 'email' }, /^source: unknown source "email" \(expected one of mcp, cli, slack, api, import\)/],
      [{ person: 'ben', text: 'ok' }, /^source: required \(one of mcp, cli, slack, api, import\)/],
      [{ person: 'ben', txt: 'ok', source: 'api' }, /^txt: unknown field \(did you mean "text"\?\)/],
      ['ben: did stuff', /^report: expected \{ person, text, source, day\?, blockers\? \}/],
    ];
    for (const [input, message] of cases) {
      const error = await failure(ts.reports.submit(input as never));
      expect(error.code, String(message)).toBe('invalid_argument');
      expect(error.message).toMatch(message);
      expect(error.message.split('\n')).toHaveLength(1);
    }
    expect({ reports: await count('reports'), revisions: await count('report_revisions') }).toEqual(before);
    // The limits themselves are allowed: 20,000 characters, today, and exactly 30 days back.
    await ts.reports.submit({ person: 'ben', text: 'x'.repeat(20_000), source: 'api' });
    await ts.reports.submit({ person: 'ben', day: '2026-02-16', text: 'ok', source: 'api' });
    await ts.reports.submit({ person: 'ana', day: '2026-03-19', text: 'ok', source: 'api' });
  });

  it('takes how far back a report may go from createTeamState options', async () => {
    await ts.close();
    await open({ reports: { maxDaysBack: 7 } });
    const error = await failure(ts.reports.submit({ person: 'ben', day: '2026-03-10', text: 'ok', source: 'api' }));
    expect(error.message).toMatch(/^day: 2026-03-10 is more than 7 days back \(the earliest is 2026-03-11\)/);
    await ts.reports.submit({ person: 'ben', day: '2026-03-11', text: 'ok', source: 'api' });
    await ts.close();
    const bad = await failure(open({ reports: { maxDaysBack: -1 } }));
    expect(bad.code).toBe('invalid_config');
    expect(bad.message).toMatch(/^reports\.maxDaysBack: expected a whole number of days from 0/);
    await open();
  });
});

describe('ts.reports.list', () => {
  it('lists reports newest day first, filtered by person, team and days, one page at a time', async () => {
    for (const [person, day] of [
      ['ana', '2026-03-16'],
      ['ben', '2026-03-16'],
      ['cleo', '2026-03-16'],
      ['ana', '2026-03-17'],
      ['ben', '2026-03-18'],
    ] as const)
      await ts.reports.submit({ person, day, text: `${person} on ${day}`, source: 'api' });
    const days = (page: { items: { person: string; day: string }[] }) => page.items.map((r) => `${r.person} ${r.day}`);

    const all = await ts.reports.list();
    expect(days(all)).toHaveLength(5);
    expect(days(all).slice(0, 2)).toEqual(['ben 2026-03-18', 'ana 2026-03-17']);
    expect(all.nextCursor).toBeUndefined();

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ts.reports.list({ team: 'payments', limit: 2, cursor });
      seen.push(...days(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    // Two pages, no report twice; reports of one day come in a stable order (by id).
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 2)).toEqual(['ben 2026-03-18', 'ana 2026-03-17']);
    expect(new Set(seen)).toEqual(new Set(['ben 2026-03-18', 'ana 2026-03-17', 'ana 2026-03-16', 'ben 2026-03-16']));

    expect(days(await ts.reports.list({ person: 'ana' }))).toEqual(['ana 2026-03-17', 'ana 2026-03-16']);
    expect(days(await ts.reports.list({ from: '2026-03-17', to: '2026-03-17' }))).toEqual(['ana 2026-03-17']);
    expect(days(await ts.reports.list({ team: 'growth' }))).toEqual(['cleo 2026-03-16']);
  });

  it('refuses unknown filters and foreign cursors with a fix', async () => {
    expect((await failure(ts.reports.list({ team: 'paymnets' }))).message).toMatch(
      /^team: unknown team "paymnets" \(did you mean "payments"\?\)/,
    );
    expect((await failure(ts.reports.list({ person: 'anna' }))).message).toMatch(/^person: unknown person "anna" \(did you mean "ana"\?\)/);
    expect((await failure(ts.reports.list({ from: '18.03.2026' }))).message).toMatch(/^from: expected a day as YYYY-MM-DD/);
    expect((await failure(ts.reports.list({ cursor: 'abc' }))).message).toMatch(/^cursor: not a cursor returned by a previous page/);
    expect((await failure(ts.reports.list({ limit: 0 }))).message).toMatch(/^limit: expected a whole number from 1 to 500/);
  });
});

describe('ts.reports.search', () => {
  beforeEach(async () => {
    await ts.reports.submit({
      person: 'ana',
      day: '2026-03-16',
      text: 'Deploying the ledger; the retry_backoff fix is in review',
      blockers: 'Waiting on the vendor sandbox',
      source: 'mcp',
    });
    await ts.reports.submit({ person: 'ben', day: '2026-03-17', text: 'Vendor call. Vendor docs. Vendor vendor vendor.', source: 'cli' });
    await ts.reports.submit({ person: 'cleo', day: '2026-03-17', text: 'Growth experiments with the vendor', source: 'slack' });
  });

  it('finds a report the moment submit returns, also from another instance on the same file', async () => {
    const other = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now) });
    const fresh = await ts.reports.submit({ person: 'ben', text: 'Paired on the flaky_test runner', source: 'api' });
    expect((await ts.reports.search('flaky_test')).map((hit) => hit.report)).toEqual([fresh]);
    expect((await other.reports.search('flaky_test')).map((hit) => hit.report.id)).toEqual([fresh.id]);
    // A day submitted again is found by its new text only.
    await ts.reports.submit({ person: 'ben', text: 'Rewrote the scheduler', source: 'api' });
    expect(await ts.reports.search('flaky_test')).toEqual([]);
    expect((await other.reports.search('scheduler')).map((hit) => hit.report.id)).toEqual([fresh.id]);
    await other.close();
  });

  it('ranks by BM25 over text and blockers, with the matched words marked ** in a snippet', async () => {
    const hits = await ts.reports.search('vendor');
    expect(hits.map((hit) => hit.report.person)).toEqual(['ben', 'cleo', 'ana']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[1]!.snippet).toBe('Growth experiments with the **vendor**');
    expect(hits[2]!.snippet).toBe('Waiting on the **vendor** sandbox');
    // Stemmed words, whole snake_case identifiers, every word required.
    expect((await ts.reports.search('deploy')).map((hit) => hit.report.person)).toEqual(['ana']);
    expect((await ts.reports.search('retry_backoff')).map((hit) => hit.snippet)).toEqual([
      'Deploying the ledger; the **retry_backoff** fix is in review',
    ]);
    expect((await ts.reports.search('vendor growth')).map((hit) => hit.report.person)).toEqual(['cleo']);
  });

  it('treats the query as words, never as search syntax', async () => {
    for (const query of [
      '"',
      '""vendor',
      'vendor*',
      'NEAR(vendor sandbox)',
      'vendor OR zebra',
      '-vendor',
      'text:vendor',
      'AND',
      '^vendor',
      '(',
      '{text}: x',
    ]) {
      await expect(ts.reports.search(query), query).resolves.toBeInstanceOf(Array);
    }
    // OR, NOT and column filters are plain words: no report says "zebra" or "or zebra", none says "text vendor".
    expect(await ts.reports.search('vendor OR zebra')).toEqual([]);
    expect(await ts.reports.search('vendor NOT sandbox')).toEqual([]);
    expect(await ts.reports.search('blockers:vendor')).toEqual([]);
    // A trailing * is not a prefix search; a leading - is not a negation.
    expect(await ts.reports.search('vend*')).toEqual([]);
    expect((await ts.reports.search('-sandbox')).map((hit) => hit.report.person)).toEqual(['ana']);
    expect((await ts.reports.search('"vendor sandbox"')).map((hit) => hit.report.person)).toEqual(['ana']);
  });

  it('names the column when the store holds a value of another type, rather than answering with a wrong one', async () => {
    await ts.store.execute("UPDATE reports SET created_at = 'monday' WHERE person_id = 'cleo'");
    expect((await failure(ts.reports.search('growth'))).message).toMatch(
      /^column "createdAt": expected a number, the database returned string "monday"/,
    );
    expect((await ts.reports.search('sandbox')).map((hit) => hit.report.person)).toEqual(['ana']);
  });

  it('filters by team, person and days, and refuses a query without words', async () => {
    const people = async (options: Parameters<TeamState['reports']['search']>[1]) =>
      (await ts.reports.search('vendor', options)).map((hit) => hit.report.person);
    expect(await people({ team: 'payments' })).toEqual(['ben', 'ana']);
    expect(await people({ person: 'cleo' })).toEqual(['cleo']);
    expect(await people({ from: '2026-03-17', to: '2026-03-17' })).toEqual(['ben', 'cleo']);
    expect(await people({ limit: 1 })).toEqual(['ben']);
    // A filtered report ranked below many better matches of others is still found (the ranking is redone with the filter).
    await ts.import({
      format: 'teamstate.bundle/v1',
      reports: Array.from({ length: 30 }, (_, i) => ({
        person: 'cleo',
        day: `2026-02-${String(i + 1).padStart(2, '0')}`.replace('2026-02-29', '2026-01-29').replace('2026-02-30', '2026-01-30'),
        text: 'vendor vendor vendor vendor',
      })),
    });
    expect(await people({ person: 'ana', limit: 1 })).toEqual(['ana']);
    expect(await people({ team: 'payments', limit: 2 })).toEqual(['ben', 'ana']);
    expect((await ts.reports.search('vendor', { limit: 5 })).map((hit) => hit.report.person)).toEqual([
      'cleo',
      'cleo',
      'cleo',
      'cleo',
      'cleo',
    ]);
    expect((await failure(ts.reports.search('   '))).message).toMatch(/^query: give at least one word to search for/);
    expect((await failure(ts.reports.search(42 as never))).message).toMatch(/^query: expected the words to search for as a string/);
    expect((await failure(ts.reports.search('x'.repeat(1001)))).message).toMatch(/^query: at most 1,000 characters/);
    expect((await failure(ts.reports.search('vendor', { team: 'grwth' }))).message).toMatch(
      /^team: unknown team "grwth" \(did you mean "growth"\?\)/,
    );
  });
});

// Ana's 2026-03-18 in Tokyo is [2026-03-17T15:00Z, 2026-03-18T15:00Z).
const activity = {
  format: 'teamstate.bundle/v1',
  repositories: [{ id: 'acme/api', team: 'payments' }],
  workItems: [
    {
      id: 'pr-41',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#41',
      title: 'Add refund endpoint',
      state: 'open',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-18T01:00:00+09:00',
    },
    {
      id: 'pr-40',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#40',
      title: 'Ledger rounding',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-10T09:00:00Z',
      mergedAt: '2026-03-18T02:00:00Z',
    },
    {
      id: 'pr-43',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#43',
      title: 'Retry webhooks',
      state: 'open',
      repository: 'acme/api',
      author: 'ben',
      createdAt: '2026-03-15T09:00:00Z',
      reviews: [
        { reviewer: 'ana', state: 'commented', submittedAt: '2026-03-18T01:00:00Z' },
        { reviewer: 'ana', state: 'approved', submittedAt: '2026-03-18T03:00:00Z' },
        { reviewer: 'ben', state: 'commented', submittedAt: '2026-03-18T03:30:00Z' },
      ],
    },
    {
      id: 'pr-44',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#44',
      title: 'Tomorrow in Tokyo',
      state: 'open',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-18T16:00:00Z',
      // Ana answering comments on her own pull request is not reviewing.
      reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-03-18T06:00:00Z' }],
    },
    {
      id: 'pay-17',
      source: 'jira',
      kind: 'story',
      key: 'PAY-17',
      title: 'Refund flow\n## not a heading',
      state: 'Done',
      assignees: ['ana'],
      createdAt: '2026-03-01T09:00:00Z',
      transitions: [
        { at: '2026-03-17T10:00:00Z', from: null, to: 'To Do', fromCategory: null, toCategory: 'todo' },
        { at: '2026-03-18T04:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
        { at: '2026-03-18T08:00:00Z', from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done' },
      ],
    },
    {
      id: 'pay-18',
      source: 'jira',
      kind: 'bug',
      key: 'PAY-18',
      title: 'Ben moves this',
      state: 'Done',
      assignees: ['ben'],
      createdAt: '2026-03-01T09:00:00Z',
      transitions: [{ at: '2026-03-18T04:30:00Z', from: 'To Do', to: 'Done', fromCategory: 'todo', toCategory: 'done' }],
    },
  ],
  deployments: [
    {
      id: 'dep-1',
      repository: 'acme/api',
      environment: 'production',
      status: 'success',
      finishedAt: '2026-03-18T05:00:00Z',
      pullRequests: ['pr-40'],
    },
    {
      id: 'dep-2',
      repository: 'acme/api',
      environment: 'staging',
      status: 'success',
      finishedAt: '2026-03-18T04:45:00Z',
      pullRequests: ['pr-40'],
    },
    {
      id: 'dep-3',
      repository: 'acme/api',
      environment: 'production',
      status: 'failure',
      finishedAt: '2026-03-18T05:30:00Z',
      pullRequests: ['pr-40'],
    },
    {
      id: 'dep-4',
      repository: 'acme/api',
      environment: 'production',
      status: 'success',
      finishedAt: '2026-03-18T06:30:00Z',
      pullRequests: ['pr-43'],
    },
  ],
};

describe('ts.reports.draft and ts.timeline', () => {
  beforeEach(async () => {
    now = Date.parse('2026-03-18T09:00:00Z');
    await ts.import(activity);
  });

  it("drafts editable markdown of the person's local day: PRs opened, merged and reviewed, issues moved", async () => {
    const draft = await ts.reports.draft('ana', '2026-03-18');
    expect(draft).toMatchObject({ person: 'ana', day: '2026-03-18', timeZone: 'Asia/Tokyo' });
    expect(draft.text).toBe(
      [
        '### Pull requests opened',
        '- acme/api#41 Add refund endpoint',
        '',
        '### Pull requests merged',
        '- acme/api#40 Ledger rounding',
        '',
        '### Reviews',
        '- acme/api#43 Retry webhooks (commented, approved)',
        '',
        '### Issues moved',
        '- PAY-17 Refund flow ## not a heading: To Do → In Progress → Done',
        '',
      ].join('\n'),
    );
    // The draft is a start: it submits as it is.
    await ts.reports.submit({ person: 'ana', day: draft.day, text: draft.text, source: 'api' });
    const quiet = await ts.reports.draft('cleo', '2026-03-18');
    expect(quiet.text).toBe('_No pull requests, reviews or issue changes found for 2026-03-18: write what you worked on._\n');
    expect((await failure(ts.reports.draft('ana', 'yesterday'))).message).toMatch(/^day: expected a day as YYYY-MM-DD/);
    expect((await failure(ts.reports.draft('anna', '2026-03-18'))).message).toMatch(
      /^person: unknown person "anna" \(did you mean "ana"\?\)/,
    );
  });

  it('merges reports and activity in time order, one page at a time', async () => {
    const report = await ts.reports.submit({ person: 'ana', text: 'Refunds', source: 'mcp' });
    const summary = (entries: { at: string; kind: string; workItem?: { key: string }; deployment?: { id: string } }[]) =>
      entries.map((e) => `${e.at.slice(11, 16)} ${e.kind} ${e.workItem?.key ?? e.deployment?.id ?? ''}`.trim());
    const expected = [
      '16:00 pr.opened acme/api#41',
      '01:00 pr.reviewed acme/api#43',
      '02:00 pr.merged acme/api#40',
      '03:00 pr.reviewed acme/api#43',
      '04:00 issue.moved PAY-17',
      // dep-2 went to staging and dep-3 failed; dep-4 (06:30) shipped Ben's pull request, not Ana's.
      '05:00 deployment.shipped dep-1',
      '08:00 issue.moved PAY-17',
      '09:00 report',
    ];
    const whole = await ts.timeline('ana', { from: '2026-03-18', to: '2026-03-18' });
    expect(summary(whole.items)).toEqual(expected);
    expect(whole.nextCursor).toBeUndefined();
    expect(whole.items.at(-1)).toEqual({ at: report.createdAt, kind: 'report', report });
    expect(whole.items[4]).toEqual({
      at: '2026-03-18T04:00:00.000Z',
      kind: 'issue.moved',
      workItem: { id: 'pay-17', key: 'PAY-17', title: 'Refund flow\n## not a heading', kind: 'story' },
      from: 'To Do',
      to: 'In Progress',
      fromCategory: 'todo',
      toCategory: 'in_progress',
    });
    expect(whole.items[5]).toEqual({
      at: '2026-03-18T05:00:00.000Z',
      kind: 'deployment.shipped',
      deployment: { id: 'dep-1', repository: 'acme/api', environment: 'production' },
      pullRequests: [{ id: 'pr-40', key: 'acme/api#40', title: 'Ledger rounding', kind: 'pull_request' }],
    });
    expect(whole.items[3]).toMatchObject({ kind: 'pr.reviewed', review: { state: 'approved' } });

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ts.timeline('ana', { from: '2026-03-17T15:00:00Z', to: '2026-03-18T15:00:00Z', limit: 3, cursor });
      paged.push(...summary(page.items));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected);

    expect((await failure(ts.timeline('ana', { from: '2026-03-18' } as never))).message).toMatch(/^to: required/);
    expect((await failure(ts.timeline('ana', { from: '2026-03-19', to: '2026-03-18' }))).message).toMatch(/^to: must be after from/);
    expect((await failure(ts.timeline('ana', { from: 'last week', to: '2026-03-18' }))).message).toMatch(
      /^from: expected a day \(YYYY-MM-DD\) or an ISO timestamp/,
    );
    expect((await failure(ts.timeline('ben', { from: '2026-03-18', to: '2026-03-18', cursor: 'x' }))).message).toMatch(/^cursor: /);
  });
});

describe('bundle v1: reports and people[].timeZone', () => {
  const bundle = {
    format: 'teamstate.bundle/v1',
    people: [{ id: 'dana', name: 'Dana', timeZone: 'America/New_York' }],
    reports: [
      // Older than 30 days: the limit is submit's, never import's.
      { person: 'dana', day: '2025-12-01', text: 'Migrated the **ledger**', blockers: 'Waiting on DBA' },
      { id: 'rep_imported', person: 'ana', day: '2026-03-02', text: 'Refunds', createdAt: '2026-03-02T18:00:00+09:00' },
      {
        person: 'ben',
        day: '2026-03-03',
        text: 'Reviews',
        createdAt: '2026-03-03T17:00:00Z',
        updatedAt: '2026-03-04T08:00:00Z',
      },
    ],
  };

  it('imports reports with source import (createdAt defaults to the import, updatedAt to createdAt) and time zones', async () => {
    const result = await ts.import(bundle);
    expect(result.records).toMatchObject({ people: 1, reports: 3 });
    expect((await ts.people.get('dana'))?.timeZone).toBe('America/New_York');
    const reports = (await ts.reports.list()).items;
    expect(reports).toEqual([
      {
        id: expect.stringMatching(/^rep_/),
        person: 'ben',
        day: '2026-03-03',
        text: 'Reviews',
        source: 'import',
        createdAt: '2026-03-03T17:00:00.000Z',
        updatedAt: '2026-03-04T08:00:00.000Z',
      },
      {
        id: 'rep_imported',
        person: 'ana',
        day: '2026-03-02',
        text: 'Refunds',
        source: 'import',
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
      },
      {
        id: expect.stringMatching(/^rep_/),
        person: 'dana',
        day: '2025-12-01',
        text: 'Migrated the **ledger**',
        blockers: 'Waiting on DBA',
        source: 'import',
        createdAt: '2026-03-18T23:30:00.000Z',
        updatedAt: '2026-03-18T23:30:00.000Z',
      },
    ]);
    expect((await ts.reports.search('ledger')).map((hit) => hit.report.person)).toEqual(['dana']);
  });

  it('is idempotent, and a re-imported day with a new text keeps the earlier one as a revision', async () => {
    await ts.import(bundle);
    now += 86_400_000;
    expect((await ts.import(bundle)).changes).toBe(0);
    expect(await count('report_revisions')).toBe(0);
    const edited = { format: 'teamstate.bundle/v1', reports: [{ person: 'ana', day: '2026-03-02', text: 'Refunds, v2' }] };
    expect((await ts.import(edited)).changes).toBe(1);
    expect((await ts.reports.list({ person: 'ana' })).items[0]).toMatchObject({ id: 'rep_imported', text: 'Refunds, v2' });
    expect(await count('report_revisions')).toBe(1);
    // A person listed without a time zone keeps the stored one (a sync of people never clears it).
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'dana', name: 'Dana R.' }] });
    expect(await ts.people.get('dana')).toMatchObject({ name: 'Dana R.', timeZone: 'America/New_York' });
  });

  it('round-trips: export, import into a fresh database, export again gives the same document', async () => {
    await ts.import(bundle);
    await ts.reports.submit({ person: 'ana', text: 'Submitted, then exported', source: 'mcp' });
    const first = await ts.export();
    expect(first.reports).toHaveLength(4);
    expect(first.people.find((p) => p.id === 'ana')?.timeZone).toBe('Asia/Tokyo');
    expect(first.reports.find((r) => r.person === 'dana')).toEqual({
      id: expect.stringMatching(/^rep_/),
      person: 'dana',
      day: '2025-12-01',
      text: 'Migrated the **ledger**',
      blockers: 'Waiting on DBA',
      createdAt: '2026-03-18T23:30:00.000Z',
      updatedAt: '2026-03-18T23:30:00.000Z',
    });
    const fresh = await createTeamState({ database: join(folder, 'fresh.db'), clock: () => new Date(now + 3_600_000) });
    await fresh.import(first);
    expect(await fresh.export()).toEqual(first);
    expect((await fresh.import(first)).changes).toBe(0);
    await fresh.close();
  });

  it('refuses a bad bundle with every problem located and writes nothing', async () => {
    const before = { reports: await count('reports'), people: await count('people') };
    await ts.reports.submit({ person: 'ben', day: '2026-03-10', text: 'Stored', source: 'api' });
    const stored = (await ts.reports.list({ person: 'ben' })).items[0]!;
    const error = await failure(
      ts.import({
        format: 'teamstate.bundle/v1',
        people: [
          { id: 'eve', name: 'Eve', timeZone: 'Mars/Olympus_Mons' },
          { id: 'finn', name: 'Finn', timeZone: '+01:00' },
        ],
        reports: [
          { person: 'eve', day: '2026-03-02', text: '' },
          { person: 'eve', day: '2026-3-2', text: 'ok' },
          { person: 'nobody', day: '2026-03-02', text: 'ok' },
          { person: 'finn', day: '2026-03-02', text: 'x'.repeat(20_001) },
          { person: 'finn', day: '2026-03-03', text: 'ok', source: 'mcp' },
          { person: 'ana', day: '2026-03-04', text: 'once' },
          { person: 'ana', day: '2026-03-04', text: 'twice' },
          { id: 'rep_other', person: 'ben', day: '2026-03-10', text: 'another id for a stored day' },
          { id: stored.id, person: 'ben', day: '2026-03-11', text: 'a stored id for another day' },
        ],
      }),
    );
    expect(error.code).toBe('invalid_bundle');
    const problems = (error as unknown as { issues: { path: string; message: string }[] }).issues;
    expect(problems.map((p) => p.path)).toEqual([
      'people[0].timeZone',
      'people[1].timeZone',
      'reports[0].text',
      'reports[1].day',
      'reports[3].text',
      'reports[4].source',
      'reports[6]',
      'reports[2].person',
      'reports[7].id',
      'reports[8].id',
    ]);
    expect(problems.find((p) => p.path === 'people[0].timeZone')?.message).toMatch(/expected an IANA time zone, e.g. Europe\/Berlin/);
    expect(problems.find((p) => p.path === 'reports[6]')?.message).toMatch(/second report of ana for 2026-03-04 \(first at reports\[5\]\)/);
    expect(problems.find((p) => p.path === 'reports[2].person')?.message).toMatch(
      /person "nobody" is not defined in the bundle or the store/,
    );
    expect(problems.find((p) => p.path === 'reports[7].id')?.message).toMatch(
      new RegExp(`ben's report for 2026-03-10 is stored as "${stored.id}"`),
    );
    expect(problems.find((p) => p.path === 'reports[8].id')?.message).toMatch(/"rep_[0-9a-f]+" is ben's report for 2026-03-10/);
    expect({ reports: await count('reports'), people: await count('people') }).toEqual({
      reports: before.reports + 1,
      people: before.people,
    });
  });
});
