import { addDays } from '../../kernel/model/local-day.js';
import { absentDays, daysBetween, doneEachDay, HISTORY_DAYS, isWeekday, membersOf, type Query } from './capacity-facts.js';
import { ratesOf, simulateThroughput, type Throughput, type Verdict, verdictOf } from './capacity-model.js';

// A plan from the facts: each person's available days, the throughput the team's history gives those days, and the
// verdict for what is committed; with a scenario, the same for the team changed, beside the unchanged baseline.

/** What a plan is computed for. */
export interface PlanInput {
  team: string;
  from: string;
  to: string;
  committed: number;
  without: readonly string[];
  add: number;
  simulations: number;
  seed: number;
  /** Today: the history ends before the window or today, whichever is first (only what happened is read). */
  today: string;
  /** The clock the team's days follow (the workspace's working-hours zone); default UTC. */
  timeZone?: string;
}

/** A plan's figures. */
export interface PlanFigures {
  people: { person: string; availableDays: number }[];
  weekdays: number;
  throughput: Throughput;
  verdict: Verdict;
  /** Items finished in the history, and its first and last day. */
  basis: { from: string; to: string; items: number };
  baseline?: { throughput: Throughput; verdict: Verdict; availableDays: number };
}

/** Runs the plan for `input` over the facts `query` reads. */
export async function planFigures(query: Query, workspace: string, input: PlanInput): Promise<PlanFigures> {
  const members = await membersOf(query, workspace, input.team);
  // Days compare as text (YYYY-MM-DD): the earlier of the two.
  const [historyEnd] = [input.from, input.today].sort() as [string, string];
  const historyFrom = addDays(historyEnd, -HISTORY_DAYS);
  const away = await absentDays(query, workspace, members, historyFrom, input.to);
  const windowDays = daysBetween(input.from, input.to).filter(isWeekday);
  const historyDays = daysBetween(historyFrom, addDays(historyEnd, -1));
  const done = await doneEachDay(query, workspace, input.team, historyFrom, HISTORY_DAYS, input.timeZone);
  const presentOn = (day: string, people: readonly string[]) => people.filter((p) => !away.get(p)?.has(day)).length;
  const weekdayIndexes = historyDays.flatMap((day, i) => (isWeekday(day) ? [i] : []));
  const rates = ratesOf(
    weekdayIndexes.map((i) => done[i]!),
    weekdayIndexes.map((i) => presentOn(historyDays[i]!, members)),
  );
  const run = (people: readonly string[], extra: number) => {
    const throughput = simulateThroughput(
      rates,
      windowDays.map((day) => presentOn(day, people) + extra),
      input.simulations,
      input.seed,
    );
    return { throughput, verdict: verdictOf(input.committed, throughput) };
  };
  const availableOf = (person: string) => windowDays.filter((day) => !away.get(person)?.has(day)).length;
  const kept = members.filter((person) => !input.without.includes(person));
  const people = [
    ...kept.map((person) => ({ person, availableDays: availableOf(person) })),
    ...Array.from({ length: input.add }, (_, i) => ({ person: `new-${i + 1}`, availableDays: windowDays.length })),
  ];
  const changed = run(kept, input.add);
  const basis = { from: historyFrom, to: addDays(historyEnd, -1), items: done.reduce((a, b) => a + b, 0) };
  if (input.without.length === 0 && input.add === 0) return { people, weekdays: windowDays.length, ...changed, basis };
  const baseline = run(members, 0);
  return {
    people,
    weekdays: windowDays.length,
    ...changed,
    basis,
    baseline: { ...baseline, availableDays: members.reduce((sum, person) => sum + availableOf(person), 0) },
  };
}
