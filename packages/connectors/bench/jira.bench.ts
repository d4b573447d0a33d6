import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockJira } from './jira-mock-server.js';

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
    const child = fileURLToPath(new URL('./jira-child.ts', import.meta.url));
    // Asynchronously: the mock answers the child from this process's event loop.
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const proc = spawn(process.execPath, [child, mock.url, `file:${join(dir, 'jira.db')}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      proc.on('error', reject);
      proc.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    if (result.status !== 0) throw new Error(`jira sync failed: ${result.stderr}`);
    const side = JSON.parse(result.stdout) as { seconds: number; rows: number; workItems: number; transitions: number; maxRssMb: number };
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
