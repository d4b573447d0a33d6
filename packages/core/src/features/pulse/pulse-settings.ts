import { TeamStateError } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';

/** A pulse question: a statement answered on a 1 (disagree) to 5 (agree) scale. */
export interface PulseQuestion {
  id: string;
  text: string;
}

/**
 * Pulse surveys (config `pulse:`, docs/people-health.md#pulse-surveys): a round every `every` (default `2w`) on `day`
 * (default `monday`) from `time` (default `10:00`, in the workspace's `signals.workingHours.timeZone`, else UTC), by Slack DM to the members of `teams` (default every team);
 * `questions` replace the eight built-in ones; no group with fewer than `minGroup` (default 5) answers is shown.
 */
export interface PulseSettings {
  every?: string;
  day?: string;
  time?: string;
  questions?: readonly (PulseQuestion | string)[];
  minGroup?: number;
  teams?: readonly string[];
}

/** The eight built-in questions (1-5, disagree to agree). */
export const BUILTIN_PULSE_QUESTIONS: readonly PulseQuestion[] = [
  { id: 'workload', text: 'My workload is sustainable.' },
  { id: 'focus', text: 'I get enough uninterrupted time to focus.' },
  { id: 'clarity', text: 'I know what is expected of me and why it matters.' },
  { id: 'tooling', text: 'Our tools and build pipeline help me more than they get in my way.' },
  { id: 'reviews', text: 'My changes get reviewed quickly and helpfully.' },
  { id: 'growth', text: 'I am learning and growing in my role.' },
  { id: 'safety', text: 'I feel safe to speak up in my team.' },
  { id: 'recommend', text: 'I would recommend my team as a place to work.' },
];

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ID = /^[a-z][a-z0-9_-]{0,39}$/;

/** The settings checked, with their defaults: one message naming the setting and the fix. */
export function resolvePulseSettings(settings: PulseSettings | undefined) {
  const fail = (message: string) => new TeamStateError('invalid_config', `pulse.${message}`);
  const s = settings ?? {};
  const every = s.every ?? '2w';
  const weeks = typeof every === 'string' ? /^([1-9]\d?)w$/.exec(every) : null;
  const everyMs = weeks ? Number(weeks[1]) * 7 * 86_400_000 : typeof every === 'string' ? parseDuration(every) : undefined;
  if (everyMs === undefined || everyMs <= 0) throw fail(`every: expected a duration such as 2w, 7d or 24h, got ${JSON.stringify(s.every)}`);
  const weekday = DAYS.indexOf((s.day ?? 'monday').toLowerCase());
  if (weekday < 0) throw fail(`day: expected a weekday (${DAYS.join(', ')}), got ${JSON.stringify(s.day)}`);
  const time = TIME.exec(s.time ?? '10:00');
  if (!time) throw fail(`time: expected HH:MM, e.g. 10:00, got ${JSON.stringify(s.time)}`);
  const minGroup = s.minGroup ?? 5;
  if (!Number.isInteger(minGroup) || minGroup < 2 || minGroup > 1000)
    throw fail(`minGroup: expected a whole number from 2 to 1000, got ${JSON.stringify(s.minGroup)}`);
  const questions = (s.questions ?? BUILTIN_PULSE_QUESTIONS).map((q, i): PulseQuestion => {
    const question = typeof q === 'string' ? { id: `q${i + 1}`, text: q } : q;
    if (typeof question?.text !== 'string' || question.text.trim() === '' || question.text.length > 150)
      throw fail(`questions[${i}]: expected a statement of at most 150 characters, or { id, text }`);
    if (typeof question.id !== 'string' || !ID.test(question.id))
      throw fail(`questions[${i}].id: expected a short id of lower-case letters, digits, - and _, got ${JSON.stringify(question.id)}`);
    return { id: question.id, text: question.text.trim() };
  });
  if (questions.length === 0 || questions.length > 10) throw fail(`questions: expected 1 to 10 questions, got ${questions.length}`);
  if (new Set(questions.map((q) => q.id)).size !== questions.length) throw fail('questions: two questions share an id');
  return { everyMs, weekday, minute: Number(time[1]) * 60 + Number(time[2]), minGroup, questions, teams: s.teams };
}

/** The resolved settings. */
export type ResolvedPulseSettings = ReturnType<typeof resolvePulseSettings>;
