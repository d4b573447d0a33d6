import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}
interface Side {
  seconds: number;
  rows: number;
  workItems: number;
  maxRssMb: number;
  bundleRssMb: number;
}

function side(mode: 'teamstate' | 'raw', dir: string): Side {
  const child = fileURLToPath(new URL('./import-child.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${mode} import failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Side;
}

/** Import of the large demo bundle vs raw multi-row INSERTs of the same rows (same run, same machine). */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-import-'));
  try {
    const ours = side('teamstate', dir);
    const raw = side('raw', dir);
    report.section(
      `bundle import: large demo (${ours.workItems.toLocaleString('en-US')} work items, ${ours.rows.toLocaleString('en-US')} rows), temp file, WAL`,
    );
    report.figure('teamstate ts.import() (validate + refs + upsert)', ours.rows / ours.seconds, 'rows/s', `${ours.seconds.toFixed(2)} s`);
    report.figure('raw @libsql/client multi-row INSERT, same rows', raw.rows / raw.seconds, 'rows/s', `${raw.seconds.toFixed(2)} s`);
    report.figure('ratio teamstate / raw', raw.seconds / ours.seconds, 'x', 'target >= 0.5x');
    report.figure(
      'peak RSS of the importing process',
      ours.maxRssMb,
      'MB',
      `target < 512 MB; ${ours.bundleRssMb.toFixed(0)} MB of it is the generated bundle`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
