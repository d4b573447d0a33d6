import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { isDay } from '../../kernel/model/local-day.js';
import type { Report } from '../../kernel/model/report.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { MeetingDeps } from './meeting-pack-model.js';

export const DAY = 86_400_000;

/** A bound of a window: an ISO timestamp, or a day `YYYY-MM-DD` (UTC; `to` takes the whole day). */
export function bound(field: 'from' | 'to', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isDay(value)) return Date.parse(`${value}T00:00:00Z`) + (field === 'to' ? DAY : 0);
  const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (at === undefined)
    throw new TeamStateError('invalid_argument', `${field}: expected an ISO timestamp or a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return at;
}

/** The day (`YYYY-MM-DD`, UTC) of an instant. */
export const day = (ms: number) => formatTimestamp(ms).slice(0, 10);

const personRow = columns({ id: text, name: text });
const teamRow = columns({ id: text, name: text });

/** The person of an id; refused naming the known ids when nobody has it. */
export async function requirePerson(deps: MeetingDeps, person: unknown) {
  if (typeof person !== 'string' || person === '')
    throw new TeamStateError('invalid_argument', `person: expected a person id, got ${JSON.stringify(person)}`);
  const found = personRow.first(
    (await deps.store.execute('SELECT id, name FROM people WHERE workspace = ? AND id = ?', [deps.workspace, person])).rows,
  );
  if (found) return found;
  const known = columns({ id: text })
    .all((await deps.store.execute('SELECT id FROM people WHERE workspace = ? ORDER BY id', [deps.workspace])).rows)
    .map((r) => r.id);
  throw unknownId('person', person, known, { what: 'person' });
}

/** The team of an id; refused naming the known ids when no team has it. */
export async function requireTeam(deps: MeetingDeps, team: unknown) {
  if (typeof team !== 'string' || team === '')
    throw new TeamStateError('invalid_argument', `team: expected a team id, got ${JSON.stringify(team)}`);
  const found = teamRow.first(
    (await deps.store.execute('SELECT id, name FROM teams WHERE workspace = ? AND id = ?', [deps.workspace, team])).rows,
  );
  if (found) return found;
  const known = columns({ id: text })
    .all((await deps.store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [deps.workspace])).rows)
    .map((r) => r.id);
  throw unknownId('team', team, known, { what: 'team' });
}

/** Why the viewer may not read `kind` of `subject`, or `undefined` when they may. */
export async function refusal(deps: MeetingDeps, kind: 'reports' | 'wellbeing', subject: { person?: string; team?: string }) {
  try {
    await deps.reading.check(kind, subject);
    return undefined;
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'forbidden') return error.message;
    throw error;
  }
}

/** Every report of a person or team in the window (at most about 5,000), by day and person. */
export async function allReports(
  deps: MeetingDeps,
  query: { person?: string; team?: string; from: string; to: string },
): Promise<Report[]> {
  const out: Report[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.reports.list({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < 5_000);
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.person < b.person ? -1 : 1));
}
