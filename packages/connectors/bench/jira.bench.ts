import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockJira } from './jira-mock-server.js';
import { runJsonChild } from './json-child.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const ISSUES = 20_000;
const TRANSITIONS = 10;

/** A full Jira sync of 20,000 issues with 10 transitions each against a counting mock: requests per issue, rows/s, peak RSS. */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-jira-'));
  const mock = await startMockJira({ issues: ISSUES, transitions: TRANSITIONS });
  try {
    // Asynchronously: the mock answers the child from this process's event loop.
    const side = await runJsonChild<{ seconds: number; rows: number; workItems: number; transitions: number; maxRssMb: number }>(
      fileURLToPath(new URL('./jira-child.ts', import.meta.url)),
      [mock.url, `file:${join(dir, 'jira.db')}`],
      true,
    );
    const requests = Object.values(mock.counts).reduce((a, b) => a + b, 0);
    report.section(
      `jira sync: ${side.workItems.toLocaleString('en-US')} issues, ${side.transitions.toLocaleString('en-US')} transitions, counting mock, temp file, WAL`,
    );
    report.figure(
      'requests per 1,000 issues',
      (1000 * requests) / side.workItems,
      'req',
      `target <= 20 (0.02 per issue); ${JSON.stringify(mock.counts)}`,
    );
    report.figure(
      'rows stored per second',
      side.rows / side.seconds,
      'rows/s',
      `${side.rows.toLocaleString('en-US')} rows in ${side.seconds.toFixed(1)} s`,
    );
    report.figure('issues per second', side.workItems / side.seconds, 'issues/s');
    report.figure(
      'peak RSS of the syncing process',
      side.maxRssMb,
      'MB',
      'about 140 MB of it is jira.js and its schemas; about the same for 5,000 issues',
    );
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
