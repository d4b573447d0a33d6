import type { TeamState } from '@teamstate/core';

const DAY = 86_400_000;

/** A seeded generator (mulberry32): the demo's answers are the same on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A score around `centre` (1-5): most answers within one point of it. */
const around = (next: () => number, centre: number) => Math.min(5, Math.max(1, Math.round(centre + (next() + next() - 1) * 1.4)));

/**
 * Two pulse rounds for the demo organisation (this week's Monday and two weeks before), as if answered in Slack: most
 * members answer; the last team has only four answers this round, so `teamstate pulse results` withholds it (and the
 * organisation's total, which would reveal it). Workload and focus dip this round where the on-call load is.
 */
export async function plantDemoPulse(ts: TeamState): Promise<void> {
  const now = ts.now().getTime();
  const monday = now - (now % DAY) - ((new Date(now).getUTCDay() + 6) % 7) * DAY;
  const rounds = [new Date(monday - 14 * DAY).toISOString().slice(0, 10), new Date(monday).toISOString().slice(0, 10)];
  const teams = await ts.teams.list();
  const next = seeded(7);
  for (const [r, round] of rounds.entries()) {
    for (const [t, team] of teams.entries()) {
      const members = await ts.people.list({ team: team.id });
      const small = t === teams.length - 1 && r === 1;
      for (const person of members) await ts.pulse.recordSent(round, person.id);
      const answering = members.slice(0, small ? Math.min(4, members.length) : Math.max(0, members.length - 1));
      for (const person of answering) {
        const strain = r === 1 && t === 1 ? 0.9 : 0;
        const centres = [3.6 - strain, 3.3 - strain, 3.9, 3.1, 3.5, 3.7, 4.1, 3.8];
        await ts.pulse.answer({
          round,
          person: person.id,
          answers: centres.map((c) => around(next, c)),
          ...(next() < 0.2 ? { comment: 'Fewer pages at night would help the whole team.', shareComment: true } : {}),
        });
      }
    }
  }
}
