import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// teamstate oncall, pulse results and alerts off|on as a subprocess, on an imported organisation.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-people-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'team.db');
const NOW = '2026-11-23T12:00:00Z';
const teamstate = (...args: string[]) => runCli(['--db', db, '--now', NOW, ...args], { cwd: dir });

const members = (team: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${team}-${i}`, name: `${team} ${i}`, teams: [team] }));

beforeAll(async () => {
  const file = join(dir, 'bundle.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'core', name: 'Core' },
        { id: 'edge', name: 'Edge' },
      ],
      people: [...members('core', 5), ...members('edge', 2)],
      incidents: [
        { id: 'pd-1', title: 'api down', service: 'api', createdAt: '2026-11-21T23:30:00Z' },
        { id: 'pd-2', title: 'api slow', service: 'api', createdAt: '2026-11-18T10:00:00Z' },
      ],
      oncalls: [
        {
          source: 'pagerduty',
          escalationPolicy: 'P1',
          level: 1,
          service: 'api',
          person: 'core-0',
          start: '2026-11-16T00:00:00Z',
          end: '2026-11-23T00:00:00Z',
        },
      ],
    }),
  );
  expect((await runCli(['--db', db, 'import', file], { cwd: dir })).code).toBe(0);
});

describe('people-health commands', () => {
  it('teamstate oncall --json prints the load per person; the table names the figures', async () => {
    const json = await teamstate('oncall', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      window: { from: '2026-10-26T12:00:00.000Z', to: '2026-11-23T12:00:00.000Z' },
      people: [{ person: 'core-0', shifts: 1, pages: 2, afterHoursPages: 1, sleepHoursPages: 1, weekendPages: 1, consecutiveWeeks: 1 }],
    });
    const text = await teamstate('oncall', '--team', 'core');
    expect(text.stdout).toContain('Sleep hours');
    expect(text.stdout).toContain('core-0');
    const bad = await teamstate('oncall', '--from', 'soon');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('from: expected an ISO timestamp or a day');
  });

  it('teamstate pulse results withholds a small team and the total that would reveal it', async () => {
    expect((await teamstate('pulse', 'results')).stderr).toContain('no round yet');
    // Answers arrive by Slack in practice; here through the SDK on the same file.
    const { createTeamState } = await import('@teamstate/core');
    const ts = await createTeamState({ database: db, clock: () => new Date(NOW) });
    for (const person of [...members('core', 5), ...members('edge', 2)])
      await ts.pulse.answer({ round: '2026-11-23', person: person.id, answers: [4, 4, 3, 3, 5, 4, 4, 2] });
    await ts.close();
    const json = await teamstate('pulse', 'results', '--json');
    expect(json.code).toBe(0);
    const results = JSON.parse(json.stdout);
    expect(results).toMatchObject({ round: '2026-11-23', withheld: true });
    expect(results.teams[0]).toMatchObject({ team: 'core', invited: 5, responses: 5 });
    expect(results.teams[0].questions[0]).toEqual({
      id: 'workload',
      text: 'My workload is sustainable.',
      mean: 4,
      distribution: [0, 0, 0, 5, 0],
      trend: null,
    });
    expect(results.teams[1]).toMatchObject({ team: 'edge', withheld: true });
    const text = await teamstate('pulse', 'results', '--team', 'core');
    expect(text.stdout).toContain('5 of 5 answered');
  });

  it('teamstate alerts off|on --person stores the choice', async () => {
    expect(JSON.parse((await teamstate('alerts', 'off', '--person', 'core-1', '--json')).stdout)).toEqual({
      person: 'core-1',
      alerts: 'off',
    });
    expect((await teamstate('alerts', 'on', '--person', 'core-1')).stdout).toBe('alerts on for core-1\n');
    const unknown = await teamstate('alerts', 'off', '--person', 'nobody');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('person');
  });
});
