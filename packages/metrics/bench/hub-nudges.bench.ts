// `pnpm bench hub-nudges`: a working agreements nudges pass over the 10,000-engineer organisation (issue 50) next to
// one signals refresh of the same database in the same run (target: a pass costs at most 2 refreshes).
// TEAMSTATE_SCALE=0.1 generates a tenth of the teams (a quicker run); the default is the full size. The bundle and
// the imported database are made once per seed, size and day in the temp directory and reused (copied per run);
// TEAMSTATE_SCALE_DATABASE=<file> measures a copy of a database imported before instead (the file is never written).
// Each team's first member is made its lead (for the escalations) in the copy.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const SEED = 42;
const HOUR = 3_600_000;
/** A Monday, 10:00 UTC: working hours in Europe, early morning in the Americas (their nudges wait: quiet hours). */
const MONDAY = Date.parse('2026-11-23T10:00:00Z');

/** The organisation imported into a database file, once per seed, size and day; each run measures a copy. */
async function organisation(fraction: number, report: BenchReport): Promise<string> {
  const day = NOW.toISOString().slice(0, 10);
  const database = join(tmpdir(), `teamstate-hub-nudges-${SEED}-${fraction}-${day}.db`);
  if (existsSync(database)) return database;
  const bundle = join(tmpdir(), `teamstate-hub-nudges-${SEED}-${fraction}-${day}.json`);
  let started = performance.now();
  if (!existsSync(bundle)) {
    writeCompanyBundle(`${bundle}.${process.pid}.tmp`, { now: NOW, seed: SEED, fraction });
    renameSync(`${bundle}.${process.pid}.tmp`, bundle);
    report.figure('generate the bundle (once, then cached)', (performance.now() - started) / 1000, 's');
  }
  started = performance.now();
  const building = `${database}.${process.pid}.tmp`;
  const ts = await createTeamState({ database: `file:${building}`, clock: () => NOW });
  await ts.importFile(bundle);
  // Everything into the file before it is renamed (a write-ahead log left behind would be lost with it).
  await ts.store.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await ts.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  renameSync(building, database);
  report.figure('import the organisation (once, then cached)', (performance.now() - started) / 1000, 's');
  return database;
}

/** One lead per team (its first member), for the escalations. */
async function appointLeads(file: string): Promise<number> {
  const ts = await createTeamState({ database: `file:${file}`, clock: () => NOW });
  try {
    const { rows } = await ts.store.execute(
      'SELECT t.id, t.name, min(m.person_id) AS lead FROM teams t JOIN memberships m ON m.workspace = t.workspace AND m.team_id = t.id GROUP BY t.id',
    );
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: rows.map((r) => ({ id: String(r.id), name: String(r.name), leads: [String(r.lead)] })),
    });
    return rows.length;
  } finally {
    await ts.close();
  }
}

export async function run(report: BenchReport): Promise<void> {
  const fraction = Number(process.env.TEAMSTATE_SCALE ?? '1');
  report.section(
    `hub: working agreement nudges (${process.env.TEAMSTATE_SCALE_DATABASE ? 'TEAMSTATE_SCALE_DATABASE' : `TEAMSTATE_SCALE=${fraction}`})`,
  );
  const given = process.env.TEAMSTATE_SCALE_DATABASE;
  const source = given ?? (await organisation(fraction, report));
  const database = join(tmpdir(), `teamstate-hub-nudges-run-${process.pid}.db`);
  let started = performance.now();
  copyFileSync(source, database);
  if (given) report.figure('database copied from TEAMSTATE_SCALE_DATABASE', (performance.now() - started) / 1000, 's', given);
  started = performance.now();
  const teams = await appointLeads(database);
  report.figure('teams given a lead (their first member)', teams, 'teams', `${((performance.now() - started) / 1000).toFixed(1)} s`);
  let now = MONDAY;
  const ts = await createTeamState({
    database: `file:${database}`,
    clock: () => new Date(now),
    signals: builtinSignals,
    // The real Slack connector for its action types; under `ask` a nudge is a pending proposal, so nothing is sent
    // (a person, or serve's approvals watch once approved, sends it): the pass itself is what is measured.
    connectors: [slack({ token: 'xoxb-bench', signingSecret: 'bench', apiUrl: 'http://127.0.0.1:9/api/', approvalRequests: false })],
    policy: {
      actions: { 'slack.dm.send': { mode: 'ask' } },
      agreements: [
        {
          id: 'review-within-a-day',
          signal: 'pr.awaiting_review',
          after: '2h',
          notify: 'author',
          escalate: { after: '3h', notify: 'leads' },
        },
        { id: 'unblock', signal: 'item.blocked', after: '2h', notify: 'assignee' },
      ],
    },
  });
  try {
    const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
      const started = performance.now();
      const result = await fn();
      return [performance.now() - started, result];
    };
    // The signals open at 10:00; four hours later both stages are due.
    const [firstRefresh, opened] = await time(() => ts.signals.refresh({ full: true }));
    now = MONDAY + 4 * HOUR;
    const [refresh] = await time(() => ts.signals.refresh({ full: true }));
    const [firstPass, round] = await time(() => ts.agreements.nudge());
    const [steadyPass, steady] = await time(() => ts.agreements.nudge());
    const [incremental] = await time(() => ts.signals.refresh());
    const open = await ts.store.execute(
      "SELECT count(*) AS n FROM signals WHERE status = 'open' AND kind IN ('pr.awaiting_review', 'item.blocked')",
    );
    report.figure('open signals (all kinds)', opened.open, 'signals');
    report.figure('open signals the agreements cover', Number(open.rows[0]!.n), 'signals');
    report.figure('signals refresh, first (full)', firstRefresh, 'ms');
    report.figure('signals refresh, full, 4 h later', refresh, 'ms', 'the baseline');
    report.figure('signals refresh, incremental', incremental, 'ms');
    report.figure(
      'nudges pass, first (everything due proposed)',
      firstPass,
      'ms',
      `${round.sent.length} proposed, ${round.deferred} wait for working hours, ${round.skipped.length} skipped`,
    );
    report.figure('nudges pass, steady (nothing new)', steadyPass, 'ms', `${steady.sent.length} proposed, ${steady.deferred} waiting`);
    report.figure('ratio first pass / full refresh', firstPass / refresh, '×', 'target ≤ 2');
    report.figure('ratio steady pass / full refresh', steadyPass / refresh, '×', 'target ≤ 2');
    report.figure('load average', loadavg()[0]!, '', 'a shared machine');
  } finally {
    await ts.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  }
}
