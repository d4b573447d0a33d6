import type { InValue } from '../../kernel/store/driver.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { timeZoneOffset } from '../../services/working-hours/index.js';
import { type Act, type AllocationDeps, actsOf, membersOf, type TypedItem, typesOf } from './allocation-reads.js';
import { DAY_MS, type DayWindow, dayOf, dayWindow, periodEnd, periodOf, weekdaysBetween } from './allocation-window.js';
import { BUILTIN_WORK_TYPES, type CompiledRule } from './work-types.js';

/** `ts.allocation()`'s query: a team (default every team), a window of days (default the last 90), periods (`by`). */
export interface AllocationQuery {
  team?: string;
  /** First day (`YYYY-MM-DD`), included; default 89 days before `to`. */
  from?: string;
  /** Last day, included; default today. */
  to?: string;
  /** Also split the window into weeks (starting Monday) or calendar months. */
  by?: 'week' | 'month';
}

/** One work type's part of a team's effort. */
export interface AllocationType {
  type: string;
  /** Full-time equivalents: its people-days over the window's weekdays (2 decimals). */
  fte: number;
  /** Its share of the team's people-days, 0–1 (4 decimals; 0 without any). */
  share: number;
  /** Issues (and other items that are not pull requests) touched. */
  items: number;
  /** Pull requests touched. */
  prs: number;
}

/** A team's effort in the window (or one period of it). */
export interface AllocationPart {
  /** People-days with activity over the weekdays (2 decimals). */
  fte: number;
  types: AllocationType[];
}

/** One period of a team's window (`by`). */
export interface AllocationPeriod extends AllocationPart {
  from: string;
  to: string;
  weekdays: number;
}

/** `ts.allocation()`'s answer (docs/allocation.md). */
export interface Allocation {
  window: { from: string; to: string; weekdays: number; by?: 'week' | 'month' };
  teams: (AllocationPart & { team: string; periods?: AllocationPeriod[] })[];
  /** The effort on items no rule classified (counted as `feature`): its share of every team's people-days together. */
  unclassified: { fte: number; share: number; items: number; prs: number };
}

const idRow = columns({ id: text });
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** People-days per type, and the items and pull requests behind each. */
interface Tally {
  days: Map<string, number>;
  items: Map<string, Set<string>>;
  total: number;
}

const emptyTally = (): Tally => ({ days: new Map(), items: new Map(), total: 0 });

/** An act on the acting person's own date (`YYYY-MM-DD` in their time zone). */
interface DatedAct {
  person: string;
  item: string;
  day: string;
}

/** Splits each person-day over the items touched that day and adds each part to its item's type. */
function tallyPersonDays(
  acts: readonly DatedAct[],
  types: ReadonlyMap<string, TypedItem>,
  key: (item: TypedItem) => string,
  into: (day: string) => Tally[],
) {
  const days = new Map<string, Set<string>>();
  for (const act of acts) {
    const day = `${act.person}\u0000${act.day}`;
    const items = days.get(day) ?? new Set<string>();
    items.add(act.item);
    days.set(day, items);
  }
  for (const [personDay, items] of days) {
    const tallies = into(personDay.slice(personDay.indexOf('\u0000') + 1));
    const part = 1 / items.size;
    for (const id of items) {
      const typed = types.get(id);
      if (!typed) continue;
      const type = key(typed);
      for (const tally of tallies) {
        tally.days.set(type, (tally.days.get(type) ?? 0) + part);
        const touched = tally.items.get(type) ?? new Set<string>();
        touched.add(id);
        tally.items.set(type, touched);
      }
    }
    for (const tally of tallies) tally.total += 1;
  }
}

/** A tally as the answer shows it: every known type (zero ones included), then any other in name order. */
function partOf(tally: Tally, weekdays: number, known: readonly string[], types: ReadonlyMap<string, TypedItem>): AllocationPart {
  const names = [...known, ...[...tally.days.keys()].filter((t) => !known.includes(t)).sort()];
  const counted = (type: string, pullRequests: boolean) =>
    [...(tally.items.get(type) ?? [])].filter((id) => types.get(id)?.pullRequest === pullRequests).length;
  return {
    fte: weekdays === 0 ? 0 : round(tally.total / weekdays, 2),
    types: names.map((type) => {
      const days = tally.days.get(type) ?? 0;
      return {
        type,
        fte: weekdays === 0 ? 0 : round(days / weekdays, 2),
        share: tally.total === 0 ? 0 : round(days / tally.total, 4),
        items: counted(type, false),
        prs: counted(type, true),
      };
    }),
  };
}

/** The periods of a window, each cut to the window. */
function periodsOf(window: DayWindow, by: 'week' | 'month'): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let first = periodOf(window.from, by); first <= window.to; ) {
    const last = periodEnd(first, by);
    // Days compare as text (YYYY-MM-DD): the period cut to the window.
    const [from] = [first, window.from].sort().slice(-1);
    const [to] = [last, window.to].sort();
    out.push({ from: from!, to: to! });
    first = dayOf(Date.parse(`${last}T00:00:00Z`) + 86_400_000);
  }
  return out;
}

/**
 * The acts dated on their person's own calendar, kept when that date is in the window: a working day in Sydney or
 * Los Angeles spans two UTC dates, and counting those would make one day of work two person-days.
 */
function datedActs(acts: readonly Act[], zones: ReadonlyMap<string, string>, window: DayWindow): DatedAct[] {
  const out: DatedAct[] = [];
  for (const act of acts) {
    const day = dayOf(act.at + timeZoneOffset(zones.get(act.person) ?? 'UTC', act.at));
    if (day >= window.from && day <= window.to) out.push({ person: act.person, item: act.item, day });
  }
  return out;
}

/** Checks a query; the teams it covers. */
async function checkQuery(deps: AllocationDeps, query: AllocationQuery): Promise<string[]> {
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { team?, from?, to?, by? }');
  if (query.by !== undefined && query.by !== 'week' && query.by !== 'month')
    throw invalid(`by: expected week or month, got ${JSON.stringify(query.by)}`);
  const execute = (sql: string, args: InValue[]) => deps.store.execute(sql, args);
  if (query.team !== undefined) {
    await checkKnown(execute, deps.workspace, 'team', query.team);
    return [query.team];
  }
  const { rows } = await deps.store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [deps.workspace]);
  return idRow.all(rows).map((row) => row.id);
}

/**
 * Where a team's effort went in a window (docs/allocation.md): each person-day with activity (a date in the person's
 * time zone) split equally over the items the person touched that day, summed per work type; FTE is people-days over
 * the window's weekdays.
 */
export async function allocation(
  deps: AllocationDeps,
  rules: readonly CompiledRule[],
  configured: readonly string[],
  query: AllocationQuery = {},
): Promise<Allocation> {
  const teams = await checkQuery(deps, query);
  const window = dayWindow(query.from, query.to, deps.clock(), 90);
  const { members, zones } = await membersOf(deps, teams);
  const people = [...new Set([...members.values()].flat())];
  const acts = datedActs(await actsOf(deps, people, window.start - DAY_MS, window.end + DAY_MS), zones, window);
  const types = await typesOf(deps, rules, [...new Set(acts.map((a) => a.item))]);
  const known = [...BUILTIN_WORK_TYPES, ...configured.filter((t) => !(BUILTIN_WORK_TYPES as readonly string[]).includes(t))];
  const periods = query.by ? periodsOf(window, query.by) : [];
  const byPerson = new Map<string, DatedAct[]>();
  for (const act of acts) {
    const list = byPerson.get(act.person);
    if (list) list.push(act);
    else byPerson.set(act.person, [act]);
  }
  const unclassified = emptyTally();
  let allDays = 0;
  const answer = teams.map((team) => {
    const teamActs = (members.get(team) ?? []).flatMap((person) => byPerson.get(person) ?? []);
    const whole = emptyTally();
    const parts = periods.map(emptyTally);
    tallyPersonDays(
      teamActs,
      types,
      (t) => t.type,
      (day) => {
        const i = periods.findIndex((p) => p.from <= day && day <= p.to);
        return i < 0 ? [whole] : [whole, parts[i]!];
      },
    );
    tallyPersonDays(
      teamActs,
      types,
      (t) => (t.matched ? 'classified' : 'unclassified'),
      () => [unclassified],
    );
    allDays += whole.total;
    return {
      team,
      ...partOf(whole, window.weekdays, known, types),
      ...(query.by
        ? {
            periods: periods.map((p, i) => {
              const weekdays = weekdaysBetween(p.from, p.to);
              return { from: p.from, to: p.to, weekdays, ...partOf(parts[i]!, weekdays, known, types) };
            }),
          }
        : {}),
    };
  });
  const loose = partOf(unclassified, window.weekdays, ['unclassified'], types).types[0]!;
  return {
    window: { from: window.from, to: window.to, weekdays: window.weekdays, ...(query.by ? { by: query.by } : {}) },
    teams: answer,
    unclassified: {
      fte: loose.fte,
      share: allDays === 0 ? 0 : round((unclassified.days.get('unclassified') ?? 0) / allDays, 4),
      items: loose.items,
      prs: loose.prs,
    },
  };
}
