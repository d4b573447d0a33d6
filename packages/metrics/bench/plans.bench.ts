// `pnpm bench plans`: plans on the 10,000-engineer organisation of `pnpm bench scale` (400 teams, one year). A forecast
// for one team (target < 200 ms) and goals progress for the whole organisation (one goal per team for the quarter,
// linked to the team's epics and a label; target < 2 s; the numbers only) and one team's with the rows behind them
// (`explain`), each the median of 5 runs after one untimed, next to the raw scans they stand on. TEAMSTATE_SCALE=0.1 generates a tenth of the teams (a quicker run); the default is the full size.
// TEAMSTATE_SCALE_DATABASE=<file> measures a copy of a database imported before (no import). Figures, not pass/fail.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const SEED = 42;
const DAY = 86_400_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The median of 5 timed runs of `fn` after one untimed, in ms. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await fn();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

/** The organisation's bundle, generated once per seed, fraction and day into the temp directory. */
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

/** One goal per team for the quarter (its epics and the label `checkout`), and absences ahead for two people a team. */
async function plant(ts: TeamState): Promise<number> {
  const epics = (
    await ts.store.execute(`SELECT team_id AS team, key FROM work_items WHERE workspace = ? AND kind = 'epic' AND team_id IS NOT NULL`, [
      ts.workspace,
    ])
  ).rows as unknown as { team: string; key: string }[];
  const byTeam = new Map<string, string[]>();
  for (const epic of epics) byTeam.set(epic.team, [...(byTeam.get(epic.team) ?? []), epic.key]);
  const teams = await ts.teams.list();
  for (const team of teams)
    await ts.goals.add({
      id: `${team.id}-goal`,
      title: `${team.name} goal`,
      team: team.id,
      period: '2026-Q4',
      links: [...(byTeam.get(team.id) ?? []).map((ref) => ({ kind: 'epic' as const, ref })), { kind: 'label', ref: 'checkout' }],
      keyResults: [{ id: 'speed', title: 'Merge within two days', metric: { id: 'pr_cycle_time', target: 48, direction: 'down' } }],
    });
  const day = (offset: number) => new Date(NOW.getTime() + offset * DAY).toISOString().slice(0, 10);
  const members = (
    await ts.store.execute('SELECT team_id AS team, min(person_id) AS person FROM memberships WHERE workspace = ? GROUP BY team_id', [
      ts.workspace,
    ])
  ).rows as unknown as { team: string; person: string }[];
  await ts.import({
    format: 'teamstate.bundle/v1',
    absences: members.map((m) => ({ person: m.person, from: day(3), to: day(12) })),
  });
  return teams.length;
}

export async function run(report: BenchReport): Promise<void> {
  const fraction = Number(process.env.TEAMSTATE_SCALE ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-plans-'));
  try {
    report.section(`plans: the 10,000-engineer organisation × ${fraction} (seed ${SEED}, ${NOW.toISOString().slice(0, 10)})`);
    const database = join(dir, 'teamstate.db');
    const given = process.env.TEAMSTATE_SCALE_DATABASE;
    if (given) copyFileSync(given, database);
    const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW, metrics: builtinMetrics });
    try {
      if (!given) {
        const started = performance.now();
        await ts.importFile(bundleFile(fraction, report));
        report.figure('import the organisation', (performance.now() - started) / 1000, 's');
      }
      const teams = await plant(ts);
      const counts = (
        await ts.store.execute(`SELECT count(*) AS items, sum(kind = 'pull_request') AS prs FROM work_items WHERE workspace = ?`, [
          ts.workspace,
        ])
      ).rows[0] as unknown as { items: number; prs: number };
      report.figure('teams (one goal each)', teams, '');
      report.figure('work items', Number(counts.items), '', `${Number(counts.prs).toLocaleString('en-US')} pull requests`);

      // The busiest team: the forecast reads its 12 weeks of done items.
      const busiest = (
        await ts.store.execute(
          `SELECT team_id AS team FROM work_items WHERE workspace = ? AND team_id IS NOT NULL AND status_category = 'done'
           GROUP BY team_id ORDER BY count(*) DESC LIMIT 1`,
          [ts.workspace],
        )
      ).rows[0] as unknown as { team: string };
      const team = busiest.team;
      const rawDaily = await timed(() =>
        ts.store.execute(
          `SELECT (resolved_at - ?3) / 86400000, count(*) FROM work_items WHERE workspace = ?1 AND team_id = ?2 AND resolved_at >= ?3 GROUP BY 1`,
          [ts.workspace, team, NOW.getTime() - 12 * 7 * DAY],
        ),
      );
      report.figure('raw: one team’s daily done counts, 12 weeks', rawDaily, 'ms');
      let status = '';
      const forecastMs = await timed(async () => {
        const forecast = await ts.forecast({ team, items: 50 });
        status = `${forecast.status}, p85 ${forecast.percentiles[2]?.date ?? '—'}, ${forecast.backtest?.text ?? forecast.reason}`;
      });
      report.figure('forecast: 50 items for one team (10,000 runs + backtest)', forecastMs, 'ms', `target < 200 ms; ${status}`);
      const untilMs = await timed(() => ts.forecast({ team, until: new Date(NOW.getTime() + 42 * DAY).toISOString().slice(0, 10) }));
      report.figure('forecast: items done in 6 weeks for one team', untilMs, 'ms', 'target < 200 ms');

      const rawMerged = await timed(() =>
        ts.store.execute(`SELECT count(*) FROM work_items WHERE workspace = ? AND kind = 'pull_request' AND merged_at >= ?`, [
          ts.workspace,
          Date.UTC(2026, 9, 1),
        ]),
      );
      report.figure('raw: count the quarter’s merged pull requests', rawMerged, 'ms');
      let allocation = '';
      const progressMs = await timed(async () => {
        const progress = await ts.goals.progress({ period: '2026-Q4' });
        const prs = progress.allocation.mergedPullRequests;
        allocation = `${progress.goals.length} goals, ${prs.total.toLocaleString('en-US')} merged PRs, ${prs.shares.at(-1)?.count.toLocaleString('en-US')} unlinked`;
      });
      report.figure('goals progress: the whole organisation, 2026-Q4', progressMs, 'ms', `target < 2,000 ms; ${allocation}`);
      let rows = 0;
      const explainMs = await timed(async () => {
        const progress = await ts.goals.progress({ team, period: '2026-Q4', explain: true });
        const numbers = [
          ...progress.goals.flatMap((g) => [g.work.done, g.work.inProgress, g.work.left]),
          ...progress.allocation.mergedPullRequests.shares,
          ...progress.allocation.donePoints.shares,
        ];
        rows = numbers.reduce((sum, n) => sum + (n.rows?.length ?? 0), 0);
      });
      report.figure('goals progress with the rows (explain): one team', explainMs, 'ms', `${rows.toLocaleString('en-US')} rows`);
    } finally {
      await ts.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
