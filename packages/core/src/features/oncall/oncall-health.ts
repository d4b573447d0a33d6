import { wallClock } from '../../kernel/model/local-day.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { mayRead, type Reading } from '../../records/identity/viewer.js';
import { isWithinWorkingHours, type WorkingHours } from '../../services/working-hours/index.js';

/** `ts.oncall.health()`'s question: a team (default everyone) and a window (default the 28 days before now). */
export interface OncallHealthQuery {
  team?: string;
  /** Start of the window, inclusive (ISO timestamp or YYYY-MM-DD). */
  from?: string;
  /** End of the window, exclusive (ISO timestamp or YYYY-MM-DD). */
  to?: string;
}

/** One person's on-call load in the window. */
export interface OncallPersonHealth {
  person: string;
  /** Shifts (of any level) overlapping the window. */
  shifts: number;
  /** Incidents opened on a service while the person was its first-level on-call. */
  pages: number;
  /** Pages outside the person's working hours (`signals.workingHours`, in their time zone). */
  afterHoursPages: number;
  /** Pages from 22:00 to 07:00 in the person's time zone. */
  sleepHoursPages: number;
  /** Pages on a Saturday or Sunday in the person's time zone. */
  weekendPages: number;
  /** The longest run of consecutive weeks (Monday to Sunday, UTC) in the window with a shift. */
  consecutiveWeeks: number;
}

/** `ts.oncall.health()`'s answer. */
export interface OncallHealth {
  window: { from: string; to: string };
  team?: string;
  people: OncallPersonHealth[];
}

/** `ts.oncall`. */
export interface Oncall {
  /**
   * Who carries the pager: per person, shifts, pages and the pages that fell after hours, in sleep hours and on
   * weekends, and consecutive weeks on call. Person-level: people whose wellbeing the reader may not read are left
   * out, and a team the reader may not read is refused (`forbidden`).
   */
  health(query?: OncallHealthQuery): Promise<OncallHealth>;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 1970-01-05 00:00 UTC: weeks are counted from it. */
const MONDAY = Date.parse('1970-01-05T00:00:00Z');
/** The default window: 28 days. */
const DEFAULT_DAYS = 28;

/** An instant argument (`from`, `to`): an ISO timestamp or a day (its UTC midnight). */
function instant(argument: 'from' | 'to', value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : undefined;
  if (parsed === undefined) throw invalid(`${argument}: expected an ISO timestamp or a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return parsed;
}

/** What a page's moment is in the person's zone: after hours, in sleep hours (22:00-07:00), on a weekend. */
export function classifyPage(at: number, hours: WorkingHours): { afterHours: boolean; sleep: boolean; weekend: boolean } {
  const local = wallClock(at, hours.timeZone);
  const hour = new Date(local).getUTCHours();
  const weekday = new Date(local).getUTCDay();
  return { afterHours: !isWithinWorkingHours(at, hours), sleep: hour >= 22 || hour < 7, weekend: weekday === 0 || weekday === 6 };
}

/** The longest run of consecutive weeks covered by the shifts, within [from, to). */
function longestWeekRun(shifts: readonly { start: number; end: number }[], from: number, to: number): number {
  const weeks = new Set<number>();
  for (const s of shifts) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end <= start) continue;
    for (let w = Math.floor((start - MONDAY) / WEEK); w <= Math.floor((end - 1 - MONDAY) / WEEK); w++) weeks.add(w);
  }
  let best = 0;
  for (const w of weeks) {
    if (weeks.has(w - 1)) continue;
    let run = 1;
    while (weeks.has(w + run)) run++;
    best = Math.max(best, run);
  }
  return best;
}

/** What on-call health reads of the incidents feature (`ts.incidents.oncallLoad`): shifts and pages of a window. */
export interface OncallLoadReader {
  oncallLoad(window: { from: number; to: number; team?: string }): Promise<{
    shifts: { person: string; start: number; end: number | null }[];
    pages: { person: string; at: number; timeZone: string | null }[];
  }>;
}

/** Builds `ts.oncall` over the incidents feature's shifts and pages. */
export function createOncall(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  workingHours: WorkingHours;
  reading: Reading;
  incidents: () => OncallLoadReader;
}): Oncall {
  const { store, workspace: w } = deps;
  return {
    async health(query = {}) {
      if (typeof query !== 'object' || query === null) throw invalid('query: expected { team?, from?, to? }');
      const execute = (sql: string, args: InValue[]) => store.execute(sql, args);
      await checkKnown(execute, w, 'team', query.team);
      const now = deps.clock().getTime();
      const to = instant('to', query.to) ?? now;
      const from = instant('from', query.from) ?? to - DEFAULT_DAYS * DAY;
      if (from >= to) throw invalid(`from: must be before to (${formatTimestamp(to)})`);
      const readable =
        query.team === undefined ? await deps.reading.readable('wellbeing') : await deps.reading.check('wellbeing', { team: query.team });
      const { shifts, pages } = await deps.incidents().oncallLoad({ from, to, ...(query.team === undefined ? {} : { team: query.team }) });
      const people = new Map<string, OncallPersonHealth>();
      const spans = new Map<string, { start: number; end: number }[]>();
      const of = (person: string) => {
        let found = people.get(person);
        if (!found) {
          found = { person, shifts: 0, pages: 0, afterHoursPages: 0, sleepHoursPages: 0, weekendPages: 0, consecutiveWeeks: 0 };
          people.set(person, found);
        }
        return found;
      };
      for (const s of shifts) {
        of(s.person).shifts++;
        spans.set(s.person, [...(spans.get(s.person) ?? []), { start: s.start, end: s.end ?? to }]);
      }
      for (const p of pages) {
        const figures = of(p.person);
        const moment = classifyPage(p.at, { ...deps.workingHours, timeZone: p.timeZone ?? deps.workingHours.timeZone });
        figures.pages++;
        if (moment.afterHours) figures.afterHoursPages++;
        if (moment.sleep) figures.sleepHoursPages++;
        if (moment.weekend) figures.weekendPages++;
      }
      for (const [person, list] of spans) of(person).consecutiveWeeks = longestWeekRun(list, from, to);
      return {
        window: { from: formatTimestamp(from), to: formatTimestamp(to) },
        ...(query.team === undefined ? {} : { team: query.team }),
        people: [...people.values()]
          .filter((p) => mayRead(readable, p.person))
          .sort((a, b) => b.pages - a.pages || b.sleepHoursPages - a.sleepHoursPages || a.person.localeCompare(b.person)),
      };
    },
  };
}
