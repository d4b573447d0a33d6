import { TeamStateError } from '../../kernel/errors.js';
import { localDay, wallClock } from '../../kernel/model/local-day.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import type { Reading } from '../../records/identity/viewer.js';
import {
  bySubtraction,
  figuresOf,
  type PulseAnswerRow,
  type PulseFigures,
  type PulseWithheld,
  publishable,
  tooFew,
} from './pulse-results.js';
import { type PulseQuestion, type PulseSettings, type ResolvedPulseSettings, resolvePulseSettings } from './pulse-settings.js';

/** `ts.pulse.answer()`'s input: a person's scores (by question id, or in question order), a comment, whether leads may read it. */
export interface PulseAnswerInput {
  round: string;
  person: string;
  answers: Record<string, number> | readonly number[];
  comment?: string;
  shareComment?: boolean;
}

/** `ts.pulse.results()`'s answer for the whole organisation (with each team) or for one team. */
export type PulseResults = { round: string; team?: string } & (PulseFigures | PulseWithheld) & {
    teams?: ({ team: string } & (PulseFigures | PulseWithheld))[];
  };

/** A round due to be sent: its id, questions, and the people to ask with their Slack user. */
export interface PulseRoundDue {
  round: string;
  questions: PulseQuestion[];
  people: { person: string; slackUser?: string }[];
}

/** `ts.pulse`. */
export interface Pulse {
  /** The questions rounds ask (the configured ones, else the eight built-in). */
  questions(): PulseQuestion[];
  /**
   * The round to send now and who is still to be asked: when the schedule (`pulse.every`, `day`, `time`) says a round
   * starts, or always with `force` (`teamstate pulse send`: today's round). Never a person opted out of surveys.
   */
  due(options?: { force?: boolean }): Promise<PulseRoundDue | undefined>;
  /** Claims an invitation before its message is sent: `false` when this person was already asked in this round. */
  recordSent(round: string, person: string): Promise<boolean>;
  /**
   * Stores a person's answer to a round (a second one replaces the first): every question scored 1 to 5, an optional
   * comment (at most 2,000 characters) read by leads only when `shareComment` is true.
   */
  answer(input: PulseAnswerInput): Promise<{ status: 'recorded' | 'replaced' }>;
  /**
   * Means, distributions and trend per question for a round (default the latest), of a team or of everyone with each
   * team; a group under `minGroup` answers, or one a subtraction would reveal, is `{ withheld: true, reason }`.
   */
  results(query?: { team?: string; round?: string }): Promise<PulseResults>;
}

const DAY = 86_400_000;
const roundRow = columns({ id: text, started_at: integer, questions: text });
const answerRow = columns({ person: text, teams: nullable(text), answers: text, comment: nullable(text), share: integer });
const personRow = columns({ person: text, slack: nullable(text) });
const teamRow = columns({ id: text });
const invitedRow = columns({ person: text, teams: nullable(text) });

/**
 * The round the schedule says is on at `now`: the latest if it started today, else today's once `pulse.day` and `time`
 * have come and `every` (less a day, so a round that started late keeps its day) has passed since the latest. The day
 * and time are the workspace's wall clock, so a round keeps its local hour across daylight saving time.
 */
function scheduledRound(
  settings: ResolvedPulseSettings,
  zone: string,
  now: number,
  latest: { id: string; started_at: number } | undefined,
): string | undefined {
  const date = new Date(wallClock(now, zone));
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  const scheduled = date.getUTCDay() === settings.weekday && minute >= settings.minute;
  if (latest && localDay(latest.started_at, zone) === localDay(now, zone)) return latest.id;
  if (scheduled && (!latest || now - latest.started_at >= settings.everyMs - DAY)) return localDay(now, zone);
  return undefined;
}

/** Builds `ts.pulse`. */
export function createPulse(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  settings?: PulseSettings;
  /** The workspace's time zone (`signals.workingHours.timeZone`): `pulse.day` and `time` are its wall clock. */
  timeZone?: string;
  reading: Reading;
}): Pulse {
  const { store, workspace: w } = deps;
  const settings = resolvePulseSettings(deps.settings);
  const zone = deps.timeZone ?? 'UTC';
  const rounds = async () =>
    roundRow.all(
      (await store.execute('SELECT id, started_at, questions FROM pulse_rounds WHERE workspace = ? ORDER BY started_at DESC, id DESC', [w]))
        .rows,
    );
  const ensureRound = async (id: string, at: number) => {
    await store.execute('INSERT INTO pulse_rounds (workspace, id, started_at, questions) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      w,
      id,
      at,
      JSON.stringify(settings.questions),
    ]);
  };
  const answersOf = (round: string) => roundAnswers(store, w, round);
  const invitedOf = (round: string) => roundInvited(store, w, round);

  return {
    questions: () => settings.questions.map((q) => ({ ...q })),

    async due(options = {}) {
      const now = deps.clock().getTime();
      const latest = (await rounds())[0];
      const round = options.force ? localDay(now, zone) : scheduledRound(settings, zone, now, latest);
      if (round === undefined) return undefined;
      await ensureRound(round, now);
      const people = await uninvited(store, w, round, settings.teams);
      const stored = (await rounds()).find((r) => r.id === round);
      return {
        round,
        questions: stored ? (JSON.parse(stored.questions) as PulseQuestion[]) : settings.questions,
        people: people.map((p) => ({ person: p.person, ...(p.slack ? { slackUser: p.slack } : {}) })),
      };
    },

    async recordSent(round, person) {
      const result = await store.execute(
        'INSERT INTO pulse_invites (workspace, round_id, person_id, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [w, round, person, deps.clock().getTime()],
      );
      return result.rowsAffected === 1;
    },

    async answer(input) {
      if (typeof input !== 'object' || input === null)
        throw invalid('answer: expected { round, person, answers, comment?, shareComment? }');
      if (typeof input.round !== 'string' || !/^[\w.:-]{1,40}$/.test(input.round))
        throw invalid(`round: expected a round id such as 2026-11-23, got ${JSON.stringify(input.round)}`);
      await checkKnown((sql, args) => store.execute(sql, args), w, 'person', input.person);
      const now = deps.clock().getTime();
      const stored = (await rounds()).find((r) => r.id === input.round);
      const questions = stored ? (JSON.parse(stored.questions) as PulseQuestion[]) : settings.questions;
      const scores = scoresOf(questions, input.answers);
      if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.length > 2000))
        throw invalid('comment: expected text of at most 2,000 characters');
      if (input.shareComment !== undefined && typeof input.shareComment !== 'boolean')
        throw invalid('shareComment: expected true or false');
      return store.write(async (tx) => {
        if (!stored)
          await tx.execute({
            sql: 'INSERT INTO pulse_rounds (workspace, id, started_at, questions) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            args: [w, input.round, now, JSON.stringify(questions)],
          });
        const comment = input.comment?.trim() || null;
        const before = await tx.execute({
          sql: 'SELECT 1 FROM pulse_answers WHERE workspace = ? AND round_id = ? AND person_id = ?',
          args: [w, input.round, input.person],
        });
        await tx.execute({
          sql: `INSERT INTO pulse_answers (workspace, round_id, person_id, answers, comment, share_comment, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace, round_id, person_id) DO UPDATE SET answers = excluded.answers, comment = excluded.comment,
                  share_comment = excluded.share_comment, answered_at = excluded.answered_at`,
          args: [
            w,
            input.round,
            input.person,
            JSON.stringify(scores),
            comment,
            input.shareComment === true && comment !== null ? 1 : 0,
            now,
          ],
        });
        return { status: before.rows.length > 0 ? ('replaced' as const) : ('recorded' as const) };
      });
    },

    async results(query = {}) {
      if (typeof query !== 'object' || query === null) throw invalid('query: expected { team?, round? }');
      await checkKnown((sql, args) => store.execute(sql, args), w, 'team', query.team);
      const all = await rounds();
      const index = query.round === undefined ? 0 : all.findIndex((r) => r.id === query.round);
      const round = all[index];
      if (!round) {
        if (query.round === undefined)
          throw new TeamStateError('not_found', 'pulse: no round yet; send one with teamstate pulse send, or wait for the schedule');
        throw new TeamStateError(
          'not_found',
          `round: no pulse round ${query.round}; known rounds: ${all.map((r) => r.id).join(', ') || 'none'}`,
        );
      }
      const questions = JSON.parse(round.questions) as PulseQuestion[];
      const teams = teamRow.all((await store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [w])).rows).map((r) => r.id);
      const viewer = await deps.reading.viewer();
      const leads = viewer === undefined ? undefined : new Set(viewer.lead);
      const answers = await answersOf(round.id);
      const invited = await invitedOf(round.id);
      const shown = publishable(answers, teams, settings.minGroup);
      const previous = all[index + 1];
      const before = previous ? await answersOf(previous.id) : [];
      const shownBefore = previous ? publishable(before, teams, settings.minGroup) : undefined;
      const means = (rows: PulseAnswerRow[]) => new Map(figuresOf(questions, rows, undefined).map((q) => [q.id, q.mean]));
      const group = (team: string | undefined): PulseFigures | PulseWithheld => {
        const inGroup = (teams: readonly string[]) => team === undefined || teams.includes(team);
        const mine = answers.filter((a) => inGroup(a.teams));
        const ok = team === undefined ? shown.total : shown.teams.has(team);
        if (!ok) return { withheld: true, reason: mine.length < settings.minGroup ? tooFew(settings.minGroup) : bySubtraction };
        const wasShown = shownBefore && (team === undefined ? shownBefore.total : shownBefore.teams.has(team));
        const trendFrom = wasShown ? means(before.filter((a) => inGroup(a.teams))) : undefined;
        const comments = mine.flatMap((a) => (a.sharedComment ? [a.sharedComment] : []));
        const mayReadComments = leads === undefined || (team === undefined ? false : leads.has(team));
        return {
          invited: invited.filter((i) => inGroup(i.teams ? (JSON.parse(i.teams) as string[]) : [])).length,
          responses: mine.length,
          questions: figuresOf(questions, mine, trendFrom),
          ...(mayReadComments && comments.length > 0 ? { comments } : {}),
        };
      };
      if (query.team !== undefined) return { round: round.id, team: query.team, ...group(query.team) };
      return { round: round.id, ...group(undefined), teams: teams.map((team) => ({ team, ...group(team) })) };
    },
  };
}

/** The scores of an answer by question id, checked: every question of the round scored 1 to 5, nothing else. */
function scoresOf(questions: readonly PulseQuestion[], given: PulseAnswerInput['answers']): Record<string, number> {
  const scores: Record<string, number> = {};
  if (Array.isArray(given)) {
    if (given.length !== questions.length)
      throw invalid(
        `answers: expected ${questions.length} scores in question order (${questions.map((q) => q.id).join(', ')}), got ${given.length}`,
      );
    questions.forEach((q, i) => {
      scores[q.id] = given[i] as number;
    });
  } else if (typeof given === 'object' && given !== null) {
    const unknown = Object.keys(given).find((id) => !questions.some((q) => q.id === id));
    if (unknown !== undefined) throw invalid(`answers.${unknown}: not a question of this round (${questions.map((q) => q.id).join(', ')})`);
    for (const q of questions) scores[q.id] = (given as Record<string, number>)[q.id] as number;
  } else throw invalid('answers: expected { questionId: 1-5 } or an array of scores in question order');
  for (const q of questions)
    if (!Number.isInteger(scores[q.id]) || scores[q.id]! < 1 || scores[q.id]! > 5)
      throw invalid(`answers.${q.id}: expected a whole number from 1 to 5, got ${JSON.stringify(scores[q.id])}`);
  return scores;
}

/** A round's answers, each with its author's teams and the comment they shared (if any). */
const roundAnswers = async (store: Store, w: string, round: string): Promise<PulseAnswerRow[]> =>
  answerRow
    .all(
      (
        await store.execute(
          `SELECT a.person_id AS person, (SELECT json_group_array(team_id) FROM memberships m WHERE m.workspace = a.workspace AND m.person_id = a.person_id) AS teams,
             a.answers, a.comment, a.share_comment AS share
           FROM pulse_answers a WHERE a.workspace = ? AND a.round_id = ? ORDER BY a.answered_at, a.person_id`,
          [w, round],
        )
      ).rows,
    )
    .map((r) => ({
      person: r.person,
      teams: r.teams ? (JSON.parse(r.teams) as string[]) : [],
      answers: JSON.parse(r.answers) as Record<string, number>,
      ...(r.share === 1 && r.comment ? { sharedComment: r.comment } : {}),
    }));
/** Who a round asked (or who answered it unasked), with their teams as JSON. */
const roundInvited = async (store: Store, w: string, round: string) =>
  invitedRow.all(
    (
      await store.execute(
        `SELECT person_id AS person, (SELECT json_group_array(team_id) FROM memberships m WHERE m.workspace = i.workspace AND m.person_id = i.person_id) AS teams
         FROM (SELECT workspace, person_id FROM pulse_invites WHERE workspace = ?1 AND round_id = ?2
               UNION SELECT workspace, person_id FROM pulse_answers WHERE workspace = ?1 AND round_id = ?2) i`,
        [w, round],
      )
    ).rows,
  );

/** The members of `teams` (default every team) not asked in `round` yet, never one opted out of surveys, with their Slack user. */
async function uninvited(store: Store, w: string, round: string, only: readonly string[] | undefined) {
  const teams = only ? JSON.stringify(only) : null;
  return personRow.all(
    (
      await store.execute(
        `SELECT p.id AS person,
           (SELECT min(external_id) FROM accounts c WHERE c.workspace = ?1 AND c.person_id = p.id AND c.provider = 'slack') AS slack
         FROM people p
         WHERE p.workspace = ?1 AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace = ?1 AND m.person_id = p.id
             AND (?3 IS NULL OR m.team_id IN (SELECT value FROM json_each(?3))))
           AND NOT EXISTS (SELECT 1 FROM pulse_invites i WHERE i.workspace = ?1 AND i.round_id = ?2 AND i.person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM person_opt_outs o WHERE o.workspace = ?1 AND o.person_id = p.id AND o.kind = 'surveys')
         ORDER BY p.id`,
        [w, round, teams],
      )
    ).rows,
  );
}
