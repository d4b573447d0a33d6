import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { type Bundle, createTeamState, type TeamState } from '@teamstate/core';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const PEOPLE = Number(process.env.BENCH_REPORTS_PEOPLE ?? 1_000);
const DAYS = Number(process.env.BENCH_REPORTS_DAYS ?? 365);
const TEAMS = 20;
const ANCHOR = Date.parse('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'America/Sao_Paulo'];

// A small deterministic PRNG, so every run generates the same workspace.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const VERBS = [
  'Merged',
  'Reviewed',
  'Paired on',
  'Fixed',
  'Investigated',
  'Shipped',
  'Refactored',
  'Wrote tests for',
  'Deployed',
  'Debugged',
];
const THINGS = [
  'the refund flow',
  'ledger_sync retries',
  'the vendor sandbox integration',
  'flaky checkout tests',
  'the payments-api rate limiter',
  'webhook retry backoff',
  'the onboarding docs',
  'Kafka consumer lag',
  'the invoice PDF renderer',
  'currency rounding in settlement',
  'the feature flag cleanup',
  'database migration for accounts',
  'search indexing latency',
  'the mobile login crash',
  'OAuth token refresh',
];
const BLOCKERS = ['Waiting on QA', 'Vendor sandbox credentials', 'Blocked by the platform upgrade', 'Need a review from security'];

function reportText(): string {
  const lines = [];
  for (let i = 0, n = 3 + Math.floor(random() * 5); i < n; i++)
    lines.push(`- ${pick(VERBS)} ${pick(THINGS)} (PAY-${100 + Math.floor(random() * 900)})`);
  return lines.join('\n');
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
async function timed(times: number[], fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  times.push(performance.now() - started);
}

/** People, teams and 30 days of activity (PRs with reviews, issues with transitions) before the anchor. */
function workspaceBundle(): Bundle {
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    id: `p${i}`,
    name: `Person ${i}`,
    teams: [`t${i % TEAMS}`],
    timeZone: ZONES[i % ZONES.length]!,
  }));
  const workItems: Bundle['workItems'] = [];
  for (let i = 0; i < PEOPLE; i++) {
    for (let k = 0; k < 6; k++) {
      const created = ANCHOR - Math.floor(random() * 30 * DAY_MS);
      workItems.push({
        id: `pr-${i}-${k}`,
        source: 'github',
        kind: 'pull_request',
        key: `acme/api#${i * 10 + k}`,
        title: `${pick(VERBS)} ${pick(THINGS)}`,
        state: 'merged',
        author: `p${i}`,
        createdAt: new Date(created).toISOString(),
        mergedAt: new Date(created + 6 * 3_600_000).toISOString(),
        reviews: [{ reviewer: `p${(i + 1) % PEOPLE}`, state: 'approved', submittedAt: new Date(created + 3 * 3_600_000).toISOString() }],
      });
      workItems.push({
        id: `is-${i}-${k}`,
        source: 'jira',
        kind: 'story',
        key: `PAY-${i * 10 + k}`,
        title: pick(THINGS),
        state: 'Done',
        team: `t${i % TEAMS}`,
        assignees: [`p${i}`],
        createdAt: new Date(created - DAY_MS).toISOString(),
        transitions: [
          { at: new Date(created).toISOString(), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
          {
            at: new Date(created + DAY_MS).toISOString(),
            from: 'In Progress',
            to: 'Done',
            fromCategory: 'in_progress',
            toCategory: 'done',
          },
        ],
      });
    }
  }
  return {
    format: 'teamstate.bundle/v1',
    teams: Array.from({ length: TEAMS }, (_, i) => ({ id: `t${i}`, name: `Team ${i}` })),
    people,
    workItems,
  } as Bundle;
}

/** Reports of every person for every day before the anchor, imported a month at a time. */
async function importReports(ts: TeamState): Promise<number> {
  let count = 0;
  for (let start = 1; start <= DAYS; start += 30) {
    const reports = [];
    for (let d = start; d < Math.min(start + 30, DAYS + 1); d++) {
      for (let i = 0; i < PEOPLE; i++) {
        reports.push({
          person: `p${i}`,
          day: day(ANCHOR - d * DAY_MS),
          text: reportText(),
          ...(random() < 0.1 ? { blockers: pick(BLOCKERS) } : {}),
        });
      }
    }
    await ts.import({ format: 'teamstate.bundle/v1', reports } as Bundle);
    count += reports.length;
  }
  return count;
}

const QUERIES = [
  ...THINGS.map((thing) => thing.split(' ').slice(-2).join(' ')),
  'ledger_sync',
  'vendor sandbox',
  'flaky',
  'rate limiter',
  'PAY-123',
  'webhook',
  'refund',
  'Kafka lag',
  'OAuth',
  'migration accounts',
  'invoice',
  'settlement rounding',
  'login crash',
  'QA',
  'security review',
  'platform upgrade',
  'deployed',
  'debugging',
  'tests',
  'docs onboarding',
  'feature flag',
  'search latency',
  'checkout',
  'currency',
  'renderer PDF',
  'refactored',
  'paired',
  'shipped refund',
  'investigated lag',
  'token refresh',
  'api',
  'payments',
  'mobile',
  'retries',
  'backoff',
].slice(0, 50);

interface RetentionRun {
  seconds: number;
  rows: number;
  maxRssMb: number;
  rssBeforeMb: number;
  archiveBytes: number;
}

/** One side of the retention measurement (retention-child.ts), in its own process so its peak RSS is its own. */
function retentionChild(args: string[]): RetentionRun {
  const child = fileURLToPath(new URL('./retention-child.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`retention bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as RetentionRun;
}

/**
 * Daily reports at the scale of 1,000 engineers × 365 days: submit, search (against the same FTS5 query through
 * the raw driver), a person's 30-day timeline, the database size per 100k reports, and a retention run archiving
 * and purging the oldest month (against a raw DELETE of the same rows on a copy of the database).
 */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-reports-'));
  // BENCH_REPORTS_DB keeps the generated database there (and reuses it), to study the queries.
  const file = process.env.BENCH_REPORTS_DB ?? join(dir, 'team.db');
  try {
    let now = ANCHOR;
    const ts = await createTeamState({ database: `file:${file}`, clock: () => new Date(now) });
    await ts.import(workspaceBundle());
    const sizeBefore = statSync(file).size + statSync(`${file}-wal`, { throwIfNoEntry: false })!.size;
    const importStarted = performance.now();
    const reports = await importReports(ts);
    const importSeconds = (performance.now() - importStarted) / 1000;
    await ts.close();
    const compact = createClient({ url: `file:${file}` });
    await compact.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    compact.close();
    const perHundredK = ((statSync(file).size - sizeBefore) / reports) * 100_000;

    const reopened = await createTeamState({ database: `file:${file}`, clock: () => new Date(now) });
    const submits: number[] = [];
    for (let i = 0; i < 500; i++) {
      now = ANCHOR + i;
      await timed(submits, () => reopened.reports.submit({ person: `p${(i * 7) % PEOPLE}`, text: reportText(), source: 'api' }));
    }
    const searches: number[] = [];
    for (const query of QUERIES) await timed(searches, () => reopened.reports.search(query, { limit: 20 }));
    const filtered: number[] = [];
    for (const [i, query] of QUERIES.entries())
      await timed(filtered, () => reopened.reports.search(query, { team: `t${i % TEAMS}`, limit: 20 }));
    const timelines: number[] = [];
    for (let i = 0; i < 100; i++) {
      await timed(timelines, () =>
        reopened.timeline(`p${(i * 13) % PEOPLE}`, { from: day(ANCHOR - 30 * DAY_MS), to: day(ANCHOR), limit: 500 }),
      );
    }
    await reopened.close();

    const raw = createClient({ url: `file:${file}` });
    const rawSearches: number[] = [];
    for (const query of QUERIES) {
      const match = query
        .split(/\s+/)
        .map((word) => `"${word.replaceAll('"', '""')}"`)
        .join(' ');
      await timed(rawSearches, () =>
        raw.execute({
          sql: 'SELECT rowid, bm25(reports_fts) AS rank FROM reports_fts WHERE reports_fts MATCH ? ORDER BY rank LIMIT 20',
          args: [match],
        }),
      );
    }
    raw.close();

    // Retention: the oldest 30 days expire. teamstate archives (gzip JSON Lines, fsync) and deletes them; the
    // baseline deletes the same rows with a plain DELETE on a copy of the same database file.
    const checkpoint = createClient({ url: `file:${file}` });
    await checkpoint.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    const rawCopy = join(dir, 'raw-retention.db');
    copyFileSync(file, rawCopy);
    const period = `${DAYS - 30}d`;
    const anchorIso = new Date(ANCHOR).toISOString();
    const rawRetention = retentionChild(['raw', rawCopy, anchorIso, period]);
    const retention = retentionChild(['teamstate', file, join(dir, 'archive'), anchorIso, period]);

    report.section(
      `daily reports: ${PEOPLE.toLocaleString('en-US')} engineers × ${DAYS} days = ${reports.toLocaleString('en-US')} reports, with 30 days of activity, temp file`,
    );
    report.figure(
      'import of the reports (bundle, FTS index included)',
      reports / importSeconds,
      'reports/s',
      `${importSeconds.toFixed(1)} s`,
    );
    report.figure('database size per 100k reports (text + FTS index)', perHundredK / 1024 / 1024, 'MB');
    report.figure('ts.reports.submit p50', percentile(submits, 0.5), 'ms');
    report.figure('ts.reports.submit p99', percentile(submits, 0.99), 'ms', 'target < 20 ms');
    report.figure('ts.reports.search p50 (50 queries)', percentile(searches, 0.5), 'ms');
    report.figure('ts.reports.search p99 (50 queries)', percentile(searches, 0.99), 'ms', 'target < 100 ms');
    report.figure('ts.reports.search with a team filter p99', percentile(filtered, 0.99), 'ms');
    report.figure('raw FTS5 MATCH … ORDER BY rank LIMIT 20 p50', percentile(rawSearches, 0.5), 'ms', 'same queries, same table');
    report.figure('raw FTS5 p99', percentile(rawSearches, 0.99), 'ms');
    report.figure('ratio search / raw, p50', percentile(searches, 0.5) / percentile(rawSearches, 0.5), 'x', 'target <= 2x');
    report.figure('ratio search / raw, p99', percentile(searches, 0.99) / percentile(rawSearches, 0.99), 'x', 'target <= 2x');
    report.figure("ts.timeline of one person's 30 days p99", percentile(timelines, 0.99), 'ms', 'target < 50 ms');
    report.figure(
      'ts.retention.run, the oldest month (archive + delete)',
      retention.rows / retention.seconds,
      'rows/s',
      `${retention.rows.toLocaleString('en-US')} rows in ${retention.seconds.toFixed(2)} s; archive ${(retention.archiveBytes / 1024 / 1024).toFixed(1)} MB`,
    );
    report.figure(
      'raw DELETE of the same rows (FTS triggers included)',
      rawRetention.rows / rawRetention.seconds,
      'rows/s',
      `${rawRetention.rows.toLocaleString('en-US')} rows in ${rawRetention.seconds.toFixed(2)} s, no archive`,
    );
    report.figure('ratio retention run / raw DELETE, time', retention.seconds / rawRetention.seconds, 'x');
    report.figure(
      'peak RSS of the retention run',
      retention.maxRssMb,
      'MB',
      `${retention.rssBeforeMb.toFixed(0)} MB before it started; raw DELETE: ${rawRetention.maxRssMb.toFixed(0)} MB peak`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
