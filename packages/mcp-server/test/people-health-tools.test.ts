import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connect } from './fixtures/connect.js';

// The insights toolset's pulse_results and oncall_health through the real MCP client: the same JSON as the SDK, a small
// group withheld, and person-level figures read as the caller's person.
const NOW = new Date('2026-11-23T12:00:00Z');
let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  const members = (team: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `${team}-${i}`, name: `${team} ${i}`, teams: [team] }));
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'core', name: 'Core', leads: ['lena'] },
      { id: 'edge', name: 'Edge' },
    ],
    people: [{ id: 'lena', name: 'Lena' }, ...members('core', 6), ...members('edge', 3)],
    incidents: [{ id: 'pd-1', title: 'api down', service: 'api', createdAt: '2026-11-21T23:30:00Z' }],
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
  });
  for (const person of [...members('core', 6), ...members('edge', 3)])
    await ts.pulse.answer({ round: '2026-11-23', person: person.id, answers: [4, 4, 3, 3, 5, 4, 4, 5], comment: 'ok', shareComment: true });
});
afterAll(() => ts.close());

describe('insights tools', () => {
  it('pulse_results returns the SDK JSON, withholding the small team and the total', async () => {
    const server = await connect(ts, { toolsets: ['insights'] });
    try {
      const results = await call(server.client, 'pulse_results', {});
      expect(results).toEqual(JSON.parse(JSON.stringify(await ts.pulse.results())));
      expect(results).toMatchObject({ round: '2026-11-23', withheld: true });
      expect((results.teams as { team: string; withheld?: boolean }[]).find((t) => t.team === 'edge')).toMatchObject({ withheld: true });
      expect(await callError(server.client, 'pulse_results', { round: 'nope' })).toMatch(/no pulse round nope/);
    } finally {
      await server.close();
    }
  });

  it('oncall_health reads as the caller: a member sees their own figures only', async () => {
    const owner = await connect(ts, { toolsets: ['insights'] });
    const member = await connect(ts, { toolsets: ['insights'], onBehalfOf: 'core-1' });
    try {
      const all = await call<{ people: { person: string; sleepHoursPages: number; weekendPages: number }[] }>(
        owner.client,
        'oncall_health',
        {},
      );
      expect(all.people).toEqual([expect.objectContaining({ person: 'core-0', pages: 1, sleepHoursPages: 1, weekendPages: 1 })]);
      expect((await call<{ people: unknown[] }>(member.client, 'oncall_health', {})).people).toEqual([]);
    } finally {
      await owner.close();
      await member.close();
    }
  });
});
