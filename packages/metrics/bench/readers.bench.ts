import { createTeamState, type TeamState } from '@teamstate/core';
import { largeDemo, median, NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

async function time(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The filtered readers (`ts.workItems.list`, `ts.people.list`, `ts.deployments.list`, as the MCP tools and
 * the CLI call them) on the large demo, each next to a hand-written query for the same first page of ids.
 */
export async function run(report: BenchReport): Promise<void> {
  const ts: TeamState = await createTeamState({ database: `file:${await largeDemo()}`, clock: () => NOW });
  const raw = (sql: string, args: (string | number)[]) => () => ts.store.execute(sql, ['default', ...args]);
  const team = (await ts.teams.list())[5]!.id;
  const person = (await ts.people.list({ team }))[0]!.id;
  const teamRepositories = `SELECT id FROM repositories WHERE workspace = ?1 AND team_id = ?2`;
  const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
    [
      'workItems.list({ person })',
      () => ts.workItems.list({ person }),
      raw(
        `SELECT id FROM (SELECT id, created_at FROM work_items WHERE workspace = ?1 AND author_id = ?2
           UNION SELECT w.id, w.created_at FROM work_item_assignees a JOIN work_items w ON w.workspace = a.workspace AND w.id = a.work_item_id
           WHERE a.workspace = ?1 AND a.person_id = ?2) ORDER BY created_at DESC, id DESC LIMIT 51`,
        [person],
      ),
    ],
    [
      'workItems.list({ team, kind: pull_request, state: open })',
      () => ts.workItems.list({ team, kind: 'pull_request', state: 'open' }),
      raw(
        `SELECT id FROM work_items WHERE workspace = ?1 AND kind = 'pull_request' AND state = 'open'
           AND (team_id = ?2 OR (team_id IS NULL AND repository_id IN (${teamRepositories}))) ORDER BY created_at DESC, id DESC LIMIT 51`,
        [team],
      ),
    ],
    [
      'workItems.list({ team })',
      () => ts.workItems.list({ team }),
      raw(
        `SELECT id FROM work_items WHERE workspace = ?1 AND (team_id = ?2 OR (team_id IS NULL AND repository_id IN (${teamRepositories})))
           ORDER BY created_at DESC, id DESC LIMIT 51`,
        [team],
      ),
    ],
    [
      'people.list({ team })',
      () => ts.people.list({ team }),
      raw('SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ?2 ORDER BY person_id', [team]),
    ],
    [
      'deployments.list({ team })',
      () => ts.deployments.list({ team }),
      raw(`SELECT id FROM deployments WHERE workspace = ?1 AND repository_id IN (${teamRepositories}) ORDER BY finished_at DESC LIMIT 51`, [
        team,
      ]),
    ],
  ];
  const items = Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
  report.section(`readers: large demo (${items.toLocaleString('en-US')} work items), team ${team}, person ${person}, median of 7`);
  for (const [name, reader, baseline] of cases) {
    const ms = await time(reader);
    const rawMs = await time(baseline);
    report.figure(name, ms, 'ms', `raw ids query ${rawMs.toFixed(1)} ms, ratio ${(ms / rawMs).toFixed(1)}x`);
  }
  await ts.close();
}
