import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { type BuildInput, type BundleInput, createTeamState } from '@teamstate/core';
import { detectorContract, metricContract } from '@teamstate/core/testing';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { afterAll, expect } from 'vitest';

// Every built-in metric and detector runs the conformance suites of @teamstate/core/testing on the demo
// workspace, like a third party's would.
const now = new Date('2026-11-21T10:00:00Z');
const window = { from: '2026-08-23T00:00:00Z', to: '2026-11-21T00:00:00Z' };

// The demo is synced once into a file (no metrics or detectors configured, so no signals stored yet), and each suite
// opens a copy of it: the same data as its own sync of the demo would give, without syncing it some forty times.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let synced: Promise<string> | undefined;
let copies = 0;
async function demoDatabase(): Promise<string> {
  synced ??= (async () => {
    const file = join(dir, 'demo.db');
    const ts = await createTeamState({ database: file, connectors: [demo()], clock: () => now });
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.overview()).totals).toMatchObject({ teams: 3, people: 20, repositories: 5 });
    await ts.close();
    return file;
  })();
  const file = await synced;
  const copy = join(dir, `suite-${++copies}.db`);
  // The write-ahead log too, should closing have left one.
  for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
  return copy;
}

for (const calculator of builtinMetrics) {
  metricContract({ calculator, database: demoDatabase, clock: () => now, window });
}

/** Runs of one job on one commit of the demo's payments API, one per conclusion in order (attempt 1, 2, …). */
function attempts(commit: string, day: string, conclusions: BuildInput['conclusion'][]): BuildInput[] {
  const start = Date.parse(`${day}T09:00:00Z`);
  return conclusions.map((conclusion, i) => ({
    id: `acme/payments-api-ci-test-${commit}-${i + 1}`,
    repository: 'acme/payments-api',
    workflow: 'CI',
    job: 'test',
    commit,
    status: 'completed',
    conclusion,
    startedAt: new Date(start + i * 600_000).toISOString(),
    completedAt: new Date(start + i * 600_000 + 300_000).toISOString(),
    attempt: i + 1,
  }));
}

// The demo syncs no CI builds and no risk register: the payments API's test job failed and then passed on a rerun of
// the same commit twice this month (and once for real), and a risk of the payments team is past its review day.
const extra: Record<string, BundleInput> = {
  'ci.flaky': {
    format: 'teamstate.bundle/v1',
    builds: [
      ...attempts('a1b2c3d', '2026-11-10', ['failure', 'success']),
      ...attempts('b2c3d4e', '2026-11-12', ['success']),
      ...attempts('c3d4e5f', '2026-11-17', ['timed_out', 'success']),
      ...attempts('d4e5f60', '2026-11-19', ['failure', 'failure']),
    ],
  },
  'risk.review_due': {
    format: 'teamstate.bundle/v1',
    risks: [
      {
        id: 'risk-card-processor',
        team: 'payments',
        title: 'The new card processor’s sandbox may not be ready before the migration deadline',
        severity: 'high',
        likelihood: 'medium',
        status: 'mitigating',
        reviewBy: '2026-11-14',
        createdAt: '2026-10-20T10:00:00Z',
      },
    ],
  },
};

// The demo organisation's daily reports give the report-based wellbeing detectors something to find.
for (const detector of builtinSignals) {
  detectorContract({ detector, database: demoDatabase, now, ...(extra[detector.kind] ? { bundle: extra[detector.kind] } : {}) });
}
