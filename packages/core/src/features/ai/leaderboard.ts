import { TeamStateError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, optional, real, text } from '../../kernel/store/row-decoder.js';
import { escapeMrkdwn } from '../../kernel/text/escape-mrkdwn.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { optedOut } from '../../services/privacy/index.js';

// `ts.leaderboard()`: who reviewed, merged and answered most in a window (docs/ai-impact.md#leaderboard). Never a
// ranking by AI usage: only the measures below are accepted. People who opted out of `leaderboard` are left out.

/** The measures a leaderboard may rank by; AI usage is deliberately not one of them. */
export const LEADERBOARD_MEASURES = ['reviews_given', 'prs_merged', 'survey_answers', 'guess_accuracy'] as const;
/** One of {@link LEADERBOARD_MEASURES}. */
export type LeaderboardMeasure = (typeof LEADERBOARD_MEASURES)[number];

/** Configuration `leaderboard:` (off unless `enabled`). */
export interface LeaderboardSettings {
  enabled?: boolean;
  /** The Slack channel it is posted to. */
  channel?: string;
  /** When `serve` posts it each week: a weekday and a UTC time, `mon 09:00`. */
  schedule?: string;
  /** The measures shown (default all of {@link LEADERBOARD_MEASURES}). */
  measures?: readonly string[];
}

/** The query of `ts.leaderboard()`. */
export interface LeaderboardQuery {
  /** Start (ISO timestamp or day, inclusive; default 7 days before `to`). */
  from?: string;
  /** End (exclusive; default now). */
  to?: string;
  /** Measures (default the configured ones). */
  measures?: readonly string[];
  /** Entries per measure (default 5). */
  top?: number;
}

/** One person's place on a measure. */
export interface LeaderboardEntry {
  person: string;
  name: string;
  value: number;
  /** For `guess_accuracy`: the guesses it is computed from. */
  of?: number;
}

/** A leaderboard: per measure, the top entries (highest first, ties by person id). */
export interface Leaderboard {
  from: string;
  to: string;
  measures: { measure: LeaderboardMeasure; entries: LeaderboardEntry[] }[];
}

const DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const nameRow = columns({ id: text, name: text });
/** A measure's row: `of` only for `guess_accuracy` (the guesses its ratio is computed from). */
const countRow = columns({ person: text, value: real, of: optional(integer) });

/** The measures, each checked: one outside the allowed list (such as an AI usage ranking) is refused by name. */
export function leaderboardMeasures(measures: readonly string[] | undefined, field = 'leaderboard.measures'): LeaderboardMeasure[] {
  if (measures === undefined) return [...LEADERBOARD_MEASURES];
  return measures.map((measure, i) => {
    if (!(LEADERBOARD_MEASURES as readonly string[]).includes(measure))
      throw new TeamStateError(
        'invalid_argument',
        `${field}[${i}]: "${measure}" is not a leaderboard measure (expected one of ${LEADERBOARD_MEASURES.join('|')}; there is never a ranking by AI usage)`,
      );
    return measure as LeaderboardMeasure;
  });
}

/** A weekly schedule `mon 09:00` (weekday, UTC time) as its weekday (0 = Sunday) and minutes of the day; anything else is refused naming the field. */
export function parseLeaderboardSchedule(schedule: string, field = 'leaderboard.schedule'): { weekday: number; minutes: number } {
  const match = /^(sun|mon|tue|wed|thu|fri|sat) ([01]\d|2[0-3]):([0-5]\d)$/.exec(schedule.trim().toLowerCase());
  if (!match)
    throw new TeamStateError(
      'invalid_config',
      `${field}: expected a weekday and a UTC time such as "mon 09:00", got ${JSON.stringify(schedule)}`,
    );
  return { weekday: WEEKDAYS.indexOf(match[1] as (typeof WEEKDAYS)[number]), minutes: Number(match[2]) * 60 + Number(match[3]) };
}

/** Checks the `leaderboard:` settings (measures and schedule), naming the field at fault. */
export function checkLeaderboardSettings(settings: LeaderboardSettings | undefined): void {
  if (!settings) return;
  leaderboardMeasures(settings.measures);
  if (settings.schedule !== undefined) parseLeaderboardSchedule(settings.schedule);
}

/**
 * The most recent scheduled time at or before `now`, as an ISO timestamp: the week's post is due once `now` passes it
 * and the week (this timestamp) has not been posted yet.
 */
export function lastScheduledAt(schedule: string, now: Date): string {
  const { weekday, minutes } = parseLeaderboardSchedule(schedule);
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let at = day - ((now.getUTCDay() - weekday + 7) % 7) * DAY + minutes * 60_000;
  if (at > now.getTime()) at -= 7 * DAY;
  return new Date(at).toISOString();
}

function bound(name: string, value: string): number {
  const ms = parseWindowBound(value);
  if (ms === undefined)
    throw new TeamStateError('invalid_argument', `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z)`);
  return ms;
}

/** Computes the leaderboard of `[from, to)`. */
export async function leaderboard(
  deps: { store: Store; workspace: string; now: () => Date; settings?: LeaderboardSettings },
  query: LeaderboardQuery = {},
): Promise<Leaderboard> {
  const { store, workspace } = deps;
  const measures = leaderboardMeasures(query.measures ?? deps.settings?.measures, query.measures ? 'measures' : undefined);
  const top = query.top ?? 5;
  if (!Number.isInteger(top) || top < 1)
    throw new TeamStateError('invalid_argument', `top: expected a whole number of at least 1, got ${top}`);
  const to = query.to === undefined ? deps.now().getTime() : bound('to', query.to);
  const from = query.from === undefined ? to - 7 * DAY : bound('from', query.from);
  if (from >= to) throw new TeamStateError('invalid_argument', 'from: must be before to');
  const excluded = await optedOut(store, workspace, 'leaderboard');
  const names = new Map(
    nameRow.all((await store.execute('SELECT id, name FROM people WHERE workspace = ?', [workspace])).rows).map((r) => [r.id, r.name]),
  );
  const counts = async (sql: string): Promise<Map<string, { value: number; of?: number }>> => {
    const { rows } = await store.execute(sql, [workspace, from, to]);
    return new Map(countRow.all(rows).map((r) => [r.person, { value: r.value, of: r.of }]));
  };
  const sql: Record<LeaderboardMeasure, string> = {
    reviews_given: `SELECT r.reviewer_id AS person, COUNT(*) AS value FROM reviews r
      WHERE r.workspace = ? AND r.submitted_at >= ? AND r.submitted_at < ? GROUP BY r.reviewer_id`,
    prs_merged: `SELECT w.author_id AS person, COUNT(*) AS value FROM work_items w
      WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.merged_at >= ? AND w.merged_at < ? AND w.author_id IS NOT NULL GROUP BY w.author_id`,
    survey_answers: `SELECT s.person_id AS person, COUNT(*) AS value FROM survey_responses s
      WHERE s.workspace = ? AND s.responded_at >= ? AND s.responded_at < ? GROUP BY s.person_id`,
    guess_accuracy: `SELECT r.person_id AS person,
        SUM(CASE WHEN (r.guess = 1) = (a.assisted != 'none') THEN 1 ELSE 0 END) * 1.0 / COUNT(*) AS value, COUNT(*) AS of
      FROM survey_responses r JOIN survey_responses a
        ON a.workspace = r.workspace AND a.pull_request_id = r.pull_request_id AND a.role = 'author'
      WHERE r.workspace = ? AND r.role = 'reviewer' AND r.guess IS NOT NULL AND a.assisted IS NOT NULL
        AND r.responded_at >= ? AND r.responded_at < ? GROUP BY r.person_id`,
  };
  const result: Leaderboard['measures'] = [];
  for (const measure of measures) {
    const entries = [...(await counts(sql[measure]))]
      .filter(([person, { value }]) => !excluded.has(person) && value > 0)
      .map(([person, { value, of }]) => ({
        person,
        name: names.get(person) ?? person,
        value: measure === 'guess_accuracy' ? Math.round(value * 10_000) / 10_000 : value,
        ...(of === undefined ? {} : { of }),
      }))
      .sort((a, b) => b.value - a.value || (a.person < b.person ? -1 : a.person > b.person ? 1 : 0))
      .slice(0, top);
    result.push({ measure, entries });
  }
  return { from: formatTimestamp(from), to: formatTimestamp(to), measures: result };
}

/** The leaderboard as Slack mrkdwn text (names, escaped, and numbers only). */
export function leaderboardText(board: Leaderboard): string {
  const label: Record<LeaderboardMeasure, string> = {
    reviews_given: 'Reviews given',
    prs_merged: 'PRs merged',
    survey_answers: 'Survey answers',
    guess_accuracy: 'Guess accuracy',
  };
  const lines = [`*Leaderboard* ${board.from.slice(0, 10)} to ${board.to.slice(0, 10)}`];
  for (const { measure, entries } of board.measures) {
    lines.push('', `*${label[measure]}*`);
    if (entries.length === 0) lines.push('_nobody yet_');
    entries.forEach((e, i) =>
      lines.push(
        `${i + 1}. ${escapeMrkdwn(e.name)}: ${measure === 'guess_accuracy' ? `${Math.round(e.value * 100)}% of ${e.of}` : e.value}`,
      ),
    );
  }
  return lines.join('\n');
}
