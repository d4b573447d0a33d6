import { isDay } from '../../kernel/model/local-day.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { mayRead, type Reading } from '../../records/identity/viewer.js';
import { currentSprint, dayOf, membersOf, type Query, sprintById, sprintWindow } from './capacity-facts.js';
import type { Throughput, Verdict } from './capacity-model.js';
import { planFigures } from './capacity-plan.js';

/** `ts.capacity.plan()`'s query: a team and its sprint (default the active one) or a window, and a scenario. */
export interface CapacityQuery {
  team: string;
  /** A sprint of the team: its start and end days, and its committed items. */
  sprint?: string;
  /** Without a sprint: the first and last day (`YYYY-MM-DD`, both included). */
  from?: string;
  to?: string;
  /** Items planned: instead of the sprint's committed items. */
  scope?: number;
  /** What if these people were not there (person ids). */
  without?: string | readonly string[];
  /** What if this many more people joined, each available every weekday. */
  add?: number;
  /** Simulated runs (default 10,000). */
  simulations?: number;
  /** The random seed: one seed, one answer (default 1). */
  seed?: number;
}

/** `ts.capacity.plan()`'s answer (docs/allocation.md#capacity). */
export interface CapacityPlan {
  team: string;
  window: { from: string; to: string; weekdays: number; sprint?: string };
  /** Each member's weekdays in the window minus their absence weekdays (only those the reader may see). */
  people: { person: string; availableDays: number }[];
  /** People left out of `people` because the reader may not see their absences. */
  withheldPeople?: number;
  /** Items the team finishes in the window: the 15th, 50th and 85th percentiles of the simulated runs. */
  throughput: Throughput;
  committed: number;
  verdict: Verdict;
  /** The history the throughput is drawn from: the 12 weeks before the window. */
  basis: { from: string; to: string; items: number };
  simulations: number;
  seed: number;
  /** With `without`/`add`: what changed, and the plan without the change. */
  scenario?: { without: string[]; add: number; baseline: { throughput: Throughput; verdict: Verdict; availableDays: number } };
}

/** `ts.capacity`. */
export interface CapacityApi {
  /**
   * Available days per person (weekdays minus absences), a Monte Carlo of the items the team finishes in the sprint
   * (p15/p50/p85) against what is committed, and a verdict; with `without`/`add`, a what-if beside the baseline.
   * @example const plan = await ts.capacity.plan({ team: 'payments', sprint: 'pay-42', without: 'ana' })
   */
  plan(query: CapacityQuery): Promise<CapacityPlan>;
}

/** What the api reads through. */
export interface CapacityDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  reading: Reading;
  /** The clock the team's days follow: the workspace's `signals.workingHours.timeZone`, else UTC. */
  timeZone: string;
}

const whole = (field: string, value: unknown, min: number, max: number, fallback: number) => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(`${field}: expected a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${JSON.stringify(value)}`);
  return value;
};

/** The window and committed items a query names: its sprint's, or `from`/`to` with `scope`. */
async function windowOf(query: Query, deps: CapacityDeps, q: CapacityQuery) {
  if (q.sprint !== undefined || (q.from === undefined && q.to === undefined)) {
    if (q.sprint !== undefined && typeof q.sprint !== 'string') throw invalid('sprint: expected a sprint id');
    const sprint =
      q.sprint === undefined ? await currentSprint(query, deps.workspace, q.team) : await sprintById(query, deps.workspace, q.sprint);
    if (!sprint)
      throw invalid(
        q.sprint === undefined
          ? `sprint: team ${q.team} has no active or future sprint; give --sprint <id> or --from/--to`
          : `sprint: no sprint "${q.sprint}" in this workspace (teamstate sprint lists them)`,
      );
    if (sprint.team !== q.team) throw invalid(`sprint: ${sprint.id} belongs to team ${sprint.team}, not ${q.team}`);
    const { from, to } = sprintWindow(sprint, deps.timeZone);
    return { from, to, sprint: sprint.id, committed: sprint.committed };
  }
  for (const field of ['from', 'to'] as const)
    if (!isDay(q[field])) throw invalid(`${field}: expected a day (YYYY-MM-DD) with both from and to, got ${JSON.stringify(q[field])}`);
  const [from, to] = [q.from as string, q.to as string];
  if (from > to) throw invalid(`from: ${from} is after to (${to}); give a from on or before the to`);
  return { from, to, committed: 0 };
}

/** Plans a team's capacity (docs/allocation.md#capacity). */
export async function planCapacity(deps: CapacityDeps, q: CapacityQuery): Promise<CapacityPlan> {
  if (typeof q !== 'object' || q === null) throw invalid('query: expected { team, sprint? | from, to, without?, add? }');
  const query: Query = async (text, args) => (await deps.store.execute(text, args)).rows;
  if (q.team === undefined) throw invalid('team: expected a team id (teamstate teams list)');
  await checkKnown((text, args) => deps.store.execute(text, args), deps.workspace, 'team', q.team);
  const window = await windowOf(query, deps, q);
  const without = q.without === undefined ? [] : typeof q.without === 'string' ? [q.without] : [...q.without];
  const members = await membersOf(query, deps.workspace, q.team);
  for (const person of without)
    if (!members.includes(person))
      throw invalid(`without: ${JSON.stringify(person)} is not a member of ${q.team} (members: ${members.join(', ')})`);
  const add = whole('add', q.add, 0, 100, 0);
  const committed = whole('scope', q.scope, 0, 100_000, window.committed);
  const simulations = whole('simulations', q.simulations, 100, 100_000, 10_000);
  const seed = whole('seed', q.seed, 0, 2 ** 32 - 1, 1);
  const figures = await planFigures(query, deps.workspace, {
    team: q.team,
    from: window.from,
    to: window.to,
    committed,
    without,
    add,
    simulations,
    seed,
    today: dayOf(deps.clock().getTime(), deps.timeZone),
    timeZone: deps.timeZone,
  });
  const readable = await deps.reading.readable('wellbeing');
  const people = figures.people.filter((p) =>
    p.person.startsWith('new-') && !members.includes(p.person) ? true : mayRead(readable, p.person),
  );
  const withheld = figures.people.length - people.length;
  return {
    team: q.team,
    window: { from: window.from, to: window.to, weekdays: figures.weekdays, ...(window.sprint ? { sprint: window.sprint } : {}) },
    people,
    ...(withheld > 0 ? { withheldPeople: withheld } : {}),
    throughput: figures.throughput,
    committed,
    verdict: figures.verdict,
    basis: figures.basis,
    simulations,
    seed,
    ...(figures.baseline ? { scenario: { without, add, baseline: figures.baseline } } : {}),
  };
}
