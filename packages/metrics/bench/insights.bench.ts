// `pnpm bench insights`: allocation and capacity on the 10,000-engineer organisation of `pnpm bench scale` (400 teams,
// one year): allocation for one team over 90 days and a capacity plan for one sprint (target < 500 ms p99 each), each
// the 99th percentile of 100 runs after one untimed, next to a raw scan of what it stands on in the same run.
// TEAMSTATE_SCALE=0.1 generates a tenth of the teams (a quicker run; a team is as large as at the full size); the
// default is the full size. TEAMSTATE_SCALE_DATABASE=<file> measures a copy of a database imported before (no import).
// Figures, not pass/fail.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const SEED = 42;
const DAY = 86_400_000;
const RUNS = 100;

/** The 99th percentile of `RUNS` timed runs of `fn` after one untimed, in ms. */
async function p99(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.ceil(0.99 * runs.length) - 1]!;
}

/** The organisation's bundle, generated once per seed, fraction and day into the temp directory (shared with `plans`). */
function bundleFile(fraction: number, report: BenchReport): string {
  const file = join(tmpdir(), `teamstate-plans-${SEED}-${fraction}-${NOW.toISOString().slice(0, 10)}.json`);
  if (existsSync(file)) return file;
  const started = performance.now();
  const building = `${file}.${process.pid}.tmp`;
  writeCompanyBundle(building, { now: NOW, seed: SEED, fraction });
  renameSync(building, file);
  report.figure('generate the bundle (once, then cached)', (performance.now() - started) / 1000, 's', file);
  return file;
}

/**
 * The raw read of one team's pull requests opened or merged and reviews given in a window (?3 to ?4), its people by
 * membership (?1 the workspace, ?2 the team): the base rows the allocation reads for them, without its moves or work
 * types. `$COLUMNS` is what is selected from them.
 */
const TEAM_ACTS = `SELECT $COLUMNS FROM (
  SELECT w.author_id AS person, w.id AS item, iif(k.merged, w.merged_at, w.created_at) AS at FROM memberships m
    CROSS JOIN work_items w INDEXED BY work_items_author_idx ON w.workspace = m.workspace AND w.author_id = m.person_id
    CROSS JOIN (SELECT 0 AS merged UNION ALL SELECT 1) k
  WHERE m.workspace = ?1 AND m.team_id = ?2 AND w.kind = 'pull_request'
    AND iif(k.merged, w.merged_at, w.created_at) >= ?3 AND iif(k.merged, w.merged_at, w.created_at) < ?4
  UNION ALL SELECT r.reviewer_id, r.work_item_id, r.submitted_at FROM memberships m
    CROSS JOIN reviews r ON r.workspace = m.workspace AND r.reviewer_id = m.person_id AND r.submitted_at >= ?3 AND r.submitted_at < ?4
  WHERE m.workspace = ?1 AND m.team_id = ?2)`;

export async function run(report: BenchReport): Promise<void> {
  const fraction = Number(process.env.TEAMSTATE_SCALE ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-insights-'));
  try {
    report.section(`insights: the 10,000-engineer organisation × ${fraction} (seed ${SEED}, ${NOW.toISOString().slice(0, 10)})`);
    const database = join(dir, 'teamstate.db');
    const given = process.env.TEAMSTATE_SCALE_DATABASE;
    if (given) copyFileSync(given, database);
    const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW });
    try {
      if (!given) {
        const started = performance.now();
        await ts.importFile(bundleFile(fraction, report));
        report.figure('import the organisation', (performance.now() - started) / 1000, 's');
      }
      const w = ts.workspace;
      // The busiest team by acts in the window: the allocation's largest read.
      const from = NOW.getTime() - 90 * DAY;
      const { team, people } = (
        await ts.store.execute(
          `SELECT m.team_id AS team, count(DISTINCT m.person_id) AS people FROM memberships m WHERE m.workspace = ?
           GROUP BY m.team_id ORDER BY people DESC, team LIMIT 1`,
          [w],
        )
      ).rows[0] as unknown as { team: string; people: number };
      const rawActs = await p99(() => ts.store.execute(TEAM_ACTS.replace('$COLUMNS', 'person, item, at'), [w, team, from, NOW.getTime()]));
      const acts = (await ts.store.execute(TEAM_ACTS.replace('$COLUMNS', 'count(*) AS n'), [w, team, from, NOW.getTime()]))
        .rows[0] as unknown as { n: number };
      report.figure(
        `raw: one team's acts in 90 days (${team}, ${people} people)`,
        rawActs,
        'ms p99',
        `${Number(acts.n).toLocaleString('en-US')} acts`,
      );
      let shares = '';
      const allocationMs = await p99(async () => {
        const answer = await ts.allocation({ team, to: NOW.toISOString().slice(0, 10) });
        const t = answer.teams[0]!;
        shares = `${t.fte} FTE; ${t.types.map((x) => `${x.type} ${Math.round(x.share * 100)} %`).join(', ')}`;
      });
      report.figure('allocation: one team, 90 days', allocationMs, 'ms p99', `target < 500 ms; ${shares}`);

      const sprint = (
        await ts.store.execute(
          `SELECT id, team_id AS team, start_at FROM sprints WHERE workspace = ? AND team_id = ? ORDER BY start_at DESC LIMIT 1`,
          [w, team],
        )
      ).rows[0] as unknown as { id: string; team: string; start_at: number } | undefined;
      const rawDone = await p99(() =>
        ts.store.execute(
          `SELECT (resolved_at - ?3) / 86400000, count(*) FROM work_items WHERE workspace = ?1 AND team_id = ?2 AND resolved_at >= ?3 GROUP BY 1`,
          [w, team, NOW.getTime() - 84 * DAY],
        ),
      );
      report.figure("raw: one team's daily done counts, 12 weeks", rawDone, 'ms p99');
      const query = sprint
        ? { team, sprint: sprint.id }
        : { team, from: NOW.toISOString().slice(0, 10), to: new Date(NOW.getTime() + 13 * DAY).toISOString().slice(0, 10), scope: 40 };
      let verdict = '';
      const capacityMs = await p99(async () => {
        const plan = await ts.capacity.plan(query);
        verdict = `${plan.window.sprint ?? 'two weeks'}: ${plan.committed} committed, p50 ${plan.throughput.p50} (${plan.throughput.p15}–${plan.throughput.p85}), ${plan.verdict}`;
      });
      report.figure('capacity: one sprint (10,000 runs)', capacityMs, 'ms p99', `target < 500 ms; ${verdict}`);
    } finally {
      await ts.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
