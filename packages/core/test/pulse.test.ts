// Pulse surveys: results equal the planted answers for every group of at least minGroup people, and a smaller group is
// withheld, also against subtraction (the total is withheld when it would reveal it); comments reach leads only, and
// only when shared.
import { describe, expect, it } from 'vitest';
import { createTeamState, type PulseFigures, type TeamState } from '../src/index.js';

const NOW = new Date('2026-11-23T10:30:00Z');
const QUESTIONS = ['workload', 'focus', 'clarity', 'tooling', 'reviews', 'growth', 'safety', 'recommend'];

/** A seeded generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Teams of the given sizes, each with a lead who is not a member; everyone but the leads answers. */
async function organisation(sizes: Record<string, number>, options: { minGroup?: number } = {}) {
  const ts = await createTeamState({
    database: ':memory:',
    clock: () => NOW,
    ...(options.minGroup ? { pulse: { minGroup: options.minGroup } } : {}),
  });
  const teams = Object.keys(sizes);
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: teams.map((id) => ({ id, name: id, leads: [`${id}-lead`] })),
    people: teams.flatMap((team) => [
      { id: `${team}-lead`, name: `${team} lead` },
      ...Array.from({ length: sizes[team]! }, (_, i) => ({ id: `${team}-${i}`, name: `${team} ${i}`, teams: [team] })),
    ]),
  });
  return { ts, teams };
}

/** Plants answers for every member: the truth per team is kept for comparison. */
async function plant(ts: TeamState, round: string, sizes: Record<string, number>, seed: number) {
  const next = random(seed);
  const truth = new Map<string, number[][]>();
  for (const [team, size] of Object.entries(sizes)) {
    const rows: number[][] = [];
    for (let i = 0; i < size; i++) {
      const scores = QUESTIONS.map(() => 1 + Math.floor(next() * 5));
      rows.push(scores);
      await ts.pulse.answer({
        round,
        person: `${team}-${i}`,
        answers: Object.fromEntries(QUESTIONS.map((q, j) => [q, scores[j]!])),
        comment: `comment ${team}-${i}`,
        shareComment: i % 2 === 0,
      });
    }
    truth.set(team, rows);
  }
  return truth;
}

function expected(rows: number[][]) {
  return QUESTIONS.map((id, j) => {
    const values = rows.map((r) => r[j]!);
    const distribution = [1, 2, 3, 4, 5].map((v) => values.filter((x) => x === v).length);
    return { id, mean: Math.round((values.reduce((s, x) => s + x, 0) / values.length) * 100) / 100, distribution };
  });
}

const figures = (group: unknown) => (group as PulseFigures).questions.map(({ id, mean, distribution }) => ({ id, mean, distribution }));

describe('pulse survey results', () => {
  it('equal the planted answers for groups of 5 or more, and withhold a group of 4 and the total that would reveal it', async () => {
    const sizes = { alpha: 8, beta: 6, gamma: 4 };
    const { ts } = await organisation(sizes);
    const truth = await plant(ts, '2026-11-23', sizes, 1);
    const results = await ts.pulse.results();
    expect(results.round).toBe('2026-11-23');
    const team = (id: string) => results.teams?.find((t) => t.team === id);
    expect(figures(team('alpha'))).toEqual(expected(truth.get('alpha')!));
    expect(figures(team('beta'))).toEqual(expected(truth.get('beta')!));
    expect(team('alpha')).toMatchObject({ invited: 8, responses: 8 });
    expect(team('gamma')).toEqual({ team: 'gamma', withheld: true, reason: expect.stringContaining('fewer than 5 answers') });
    // Published total minus alpha and beta would be gamma: the total is withheld too.
    expect(results).toMatchObject({ withheld: true, reason: expect.stringContaining('subtracting') });
    expect(results).not.toHaveProperty('questions');
    expect(results).not.toHaveProperty('responses');
    expect(JSON.stringify(results)).not.toContain('gamma-');
    // Asked alone, the small team is withheld as well.
    expect(await ts.pulse.results({ team: 'gamma' })).toMatchObject({ team: 'gamma', withheld: true });
    await ts.close();
  });

  it('publishes the total when the withheld groups together are at least minGroup, and honours a configured minGroup', async () => {
    const sizes = { alpha: 6, gamma: 4, delta: 3 };
    const { ts } = await organisation(sizes);
    const truth = await plant(ts, 'r1', sizes, 2);
    const results = await ts.pulse.results({ round: 'r1' });
    expect(figures(results)).toEqual(expected([...truth.values()].flat()));
    expect(results).toMatchObject({ responses: 13, invited: 13 });
    expect(results.teams?.filter((t) => 'withheld' in t).map((t) => t.team)).toEqual(['delta', 'gamma']);
    await ts.close();

    const small = await organisation({ alpha: 6, gamma: 4 }, { minGroup: 3 });
    const planted = await plant(small.ts, 'r1', { alpha: 6, gamma: 4 }, 3);
    const gamma = await small.ts.pulse.results({ team: 'gamma' });
    expect(figures(gamma)).toEqual(expected(planted.get('gamma')!));
    await small.ts.close();
  });

  it('shows shared comments to the team lead only, and the trend since the previous round', async () => {
    const sizes = { alpha: 6, beta: 5 };
    const { ts } = await organisation(sizes);
    const first = await plant(ts, '2026-11-09', sizes, 4);
    const second = await plant(ts, '2026-11-23', sizes, 5);
    const lead = await ts.as('alpha-lead').pulse.results({ team: 'alpha' });
    expect((lead as PulseFigures).comments?.sort()).toEqual(['comment alpha-0', 'comment alpha-2', 'comment alpha-4']);
    expect(await ts.as('alpha-1').pulse.results({ team: 'alpha' })).not.toHaveProperty('comments');
    expect(await ts.as('beta-lead').pulse.results({ team: 'alpha' })).not.toHaveProperty('comments');
    const mean = (rows: number[][], j: number) => Math.round((rows.reduce((s, r) => s + r[j]!, 0) / rows.length) * 100) / 100;
    const alpha = (await ts.pulse.results({ team: 'alpha' })) as PulseFigures;
    alpha.questions.forEach((q, j) => {
      expect(q.trend).toBeCloseTo(mean(second.get('alpha')!, j) - mean(first.get('alpha')!, j), 2);
    });
    await ts.close();
  });

  it('refuses a score outside 1-5 or an unknown question naming the field, and stores nothing', async () => {
    const { ts } = await organisation({ alpha: 5 });
    const answers = Object.fromEntries(QUESTIONS.map((q) => [q, 3]));
    await expect(ts.pulse.answer({ round: 'r1', person: 'alpha-0', answers: { ...answers, focus: 6 } })).rejects.toThrow(
      /answers\.focus: expected a whole number from 1 to 5, got 6/,
    );
    await expect(ts.pulse.answer({ round: 'r1', person: 'alpha-0', answers: { ...answers, mood: 2 } })).rejects.toThrow(/answers\.mood/);
    await expect(ts.pulse.answer({ round: 'r1', person: 'nobody', answers })).rejects.toThrow(/person/);
    await expect(ts.pulse.results()).rejects.toThrow(/no round yet/);
    expect(await ts.pulse.answer({ round: 'r1', person: 'alpha-0', answers: QUESTIONS.map(() => 4) })).toEqual({ status: 'recorded' });
    expect(await ts.pulse.answer({ round: 'r1', person: 'alpha-0', answers })).toEqual({ status: 'replaced' });
    await ts.close();
  });

  it('refuses wrong settings when teamstate opens, naming the setting', async () => {
    await expect(createTeamState({ database: ':memory:', pulse: { minGroup: 1 } })).rejects.toThrow(
      /pulse\.minGroup: expected a whole number from 2/,
    );
    await expect(createTeamState({ database: ':memory:', pulse: { every: 'fortnightly' } })).rejects.toThrow(/pulse\.every/);
    await expect(createTeamState({ database: ':memory:', pulse: { day: 'funday' } })).rejects.toThrow(/pulse\.day/);
    await expect(createTeamState({ database: ':memory:', alerts: { reviewRequested: { after: 'soon' } } })).rejects.toThrow(
      /alerts\.reviewRequested\.after/,
    );
  });
});
