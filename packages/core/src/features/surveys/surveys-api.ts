import { createHash } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { wallClock } from '../../kernel/model/local-day.js';
import type { SurveyAssisted, SurveyRole } from '../../kernel/model/survey.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, type RowDecoder, text, textOf } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import { invalid } from '../../records/arguments.js';
import { updateWorkItemAi } from '../../records/store/work-item-ai.js';
import { urlColumn } from '../../records/store/work-item-url.js';
import { withSurveyAnswer } from '../../services/ai-evidence/index.js';
import { surveyResponseToRow } from './survey-rows.js';
import { surveyResponsesSpec } from './table-specs.js';

/**
 * Pull request surveys (config `surveys:`, docs/ai-impact.md). Off unless `enabled`; only for the listed teams
 * when `teams` is given; `sample` (0–1, default 1) picks PRs by a hash of their id, so every process picks the same;
 * no message in a person's `quietHours` (their local time, e.g. `20:00-08:00`); answers close after `expireAfter`
 * (default `7d`).
 */
export interface SurveySettings {
  enabled?: boolean;
  teams?: readonly string[];
  sample?: number;
  quietHours?: string;
  expireAfter?: string;
}

/** A survey to send: who is asked about which merged pull request, and their Slack account when they have one. */
export interface DueSurvey {
  pullRequest: { id: string; key: string; title: string; url?: string; author?: string };
  person: string;
  role: SurveyRole;
  /** The person's Slack user id, where an account links them. */
  slackUser?: string;
  /** When answers stop being accepted. */
  expiresAt: string;
}

/** A reviewer who answered a PR whose author answered too: they learn whether their guess was right. */
export interface DueReveal {
  pullRequest: { id: string; key: string; title: string; url?: string };
  reviewer: string;
  slackUser?: string;
  /** What the reviewer guessed (true: AI helped), if they guessed. */
  guess?: boolean;
  /** What the author said. */
  assisted: SurveyAssisted;
  tools: string[];
}

/** An answer as a surface (Slack, an app) hands it over. */
export interface SurveyAnswer {
  pullRequest: string;
  person: string;
  role: SurveyRole;
  assisted?: SurveyAssisted;
  tools?: readonly string[];
  quality?: number;
  guess?: boolean;
}

/** What became of an answer: stored, or already given (the first answer counts, a repeat changes nothing). */
export interface SurveyAnswerOutcome {
  status: 'recorded' | 'already_answered';
}

/** `ts.surveys`. */
export interface Surveys {
  /** The surveys due now: merged PRs not surveyed yet, for their author and each reviewer (never a bot, never an opted-out person). */
  due(): Promise<DueSurvey[]>;
  /**
   * Claims a survey before its message is sent; `false` when this person was already surveyed about this PR, so a
   * redelivered webhook, a repeated sync or a second process never sends a second one.
   */
  recordSent(survey: { pullRequest: string; person: string; role: SurveyRole }): Promise<boolean>;
  /**
   * Stores an answer. Refused (`survey_not_found`) when this person was not asked about this PR in this role,
   * (`survey_expired`) after `expireAfter`; a second answer changes nothing. When author and reviewer have both
   * answered, the reviewer's reveal becomes due.
   */
  answer(answer: SurveyAnswer): Promise<SurveyAnswerOutcome>;
  /** Reveals due: reviewers who answered about a PR whose author answered. */
  reveals(): Promise<DueReveal[]>;
  /** Marks a reveal as sent (proposed). */
  recordRevealed(pullRequest: string, reviewer: string): Promise<void>;
}

const DAY_MS = 86_400_000;
const ASSISTED = ['none', 'partly', 'mostly', 'agent'] as const;
const QUIET = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** The settings checked, with defaults; one message naming the setting and the fix. */
export function resolveSurveySettings(settings: SurveySettings | undefined) {
  const fail = (message: string) => new TeamStateError('invalid_config', `surveys.${message}`);
  const s = settings ?? {};
  const sample = s.sample ?? 1;
  if (typeof sample !== 'number' || !(sample > 0 && sample <= 1))
    throw fail(`sample: expected a share above 0 and at most 1, e.g. 0.5, got ${sample}`);
  const expireMs = parseDuration(s.expireAfter ?? '7d');
  if (expireMs === undefined) throw fail(`expireAfter: expected a duration such as 7d or 48h, got ${JSON.stringify(s.expireAfter)}`);
  let quiet: [number, number] | undefined;
  if (s.quietHours !== undefined) {
    const match = QUIET.exec(s.quietHours);
    if (!match)
      throw fail(`quietHours: expected HH:MM-HH:MM in each person's local time, e.g. 20:00-08:00, got ${JSON.stringify(s.quietHours)}`);
    quiet = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
  }
  return { enabled: s.enabled ?? false, teams: s.teams, sample, expireMs, quiet };
}

/** True when `minute` (of the day) lies in the quiet window, which may wrap past midnight. */
const inQuiet = (minute: number, [start, end]: [number, number]) =>
  start <= end ? minute >= start && minute < end : minute >= start || minute < end;

/** A merged pull request and a person to ask about it (its author, or a reviewer), with their time zone and Slack user. */
const candidate = columns({
  id: text,
  key: text,
  title: text,
  url: nullable(text),
  author: nullable(text),
  person: text,
  role: textOf<SurveyRole>(),
  time_zone: nullable(text),
  slack: nullable(text),
});
/** A survey sent: who it asked, until when, and whether they answered. */
const sentSurvey = columns({ role: textOf<SurveyRole>(), expires_at: integer, answered_at: nullable(integer) });
/** A reviewer whose guess can be revealed, with the author's answer. */
const dueReveal = columns({
  id: text,
  key: text,
  title: text,
  url: nullable(text),
  reviewer: text,
  guess: nullable(integer),
  assisted: textOf<SurveyAssisted>(),
  tools: nullable(text),
  slack: nullable(text),
});

/** A stable share in [0, 1) per pull request, so sampling picks the same PRs in every process and every run. */
const sampleOf = (id: string) => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

export function createSurveys(deps: { store: Store; workspace: string; clock: () => Date; settings?: SurveySettings }): Surveys {
  const { store, workspace: w, clock } = deps;
  const settings = resolveSurveySettings(deps.settings);
  const rows = async <T>(decoder: RowDecoder<T>, sql: string, args: (string | number | null)[]) =>
    decoder.all((await store.execute(sql, args)).rows);

  return {
    async due() {
      if (!settings.enabled) return [];
      const now = clock().getTime();
      const teams = settings.teams ? JSON.stringify(settings.teams) : null;
      // Merged within the answer window: a survey nobody could still answer is never sent.
      const candidates = await rows(
        candidate,
        `WITH prs AS (
           SELECT id, key, title, ${urlColumn('work_items')} AS url, author_id FROM work_items
           WHERE workspace = ?1 AND kind = 'pull_request' AND merged_at IS NOT NULL AND merged_at > ?2 AND merged_at <= ?3
             AND (?4 IS NULL OR team_id IN (SELECT value FROM json_each(?4)))),
         asked AS (
           SELECT id AS pr, author_id AS person, 'author' AS role FROM prs WHERE author_id IS NOT NULL
           UNION
           SELECT r.work_item_id, r.reviewer_id, 'reviewer' FROM reviews r JOIN prs ON prs.id = r.work_item_id
           WHERE r.workspace = ?1 AND r.reviewer_id IS NOT NULL AND r.reviewer_id IS NOT prs.author_id)
         SELECT prs.id, prs.key, prs.title, prs.url, prs.author_id AS author, a.person, a.role, p.time_zone,
                (SELECT min(external_id) FROM accounts c WHERE c.workspace = ?1 AND c.person_id = a.person AND c.provider = 'slack') AS slack
         FROM asked a JOIN prs ON prs.id = a.pr JOIN people p ON p.workspace = ?1 AND p.id = a.person
         WHERE NOT EXISTS (SELECT 1 FROM surveys s WHERE s.workspace = ?1 AND s.pull_request_id = a.pr AND s.person_id = a.person)
           AND NOT EXISTS (SELECT 1 FROM person_opt_outs o WHERE o.workspace = ?1 AND o.person_id = a.person AND o.kind = 'surveys')
         ORDER BY prs.id, a.role, a.person`,
        [w, now - settings.expireMs, now, teams],
      );
      return candidates
        .filter((c) => sampleOf(c.id) < settings.sample)
        .filter((c) => !settings.quiet || !inQuiet(Math.floor((wallClock(now, c.time_zone ?? 'UTC') % DAY_MS) / 60_000), settings.quiet))
        .map((c) => ({
          pullRequest: {
            id: c.id,
            key: c.key,
            title: c.title,
            ...(c.url ? { url: c.url } : {}),
            ...(c.author ? { author: c.author } : {}),
          },
          person: c.person,
          role: c.role,
          ...(c.slack ? { slackUser: c.slack } : {}),
          expiresAt: formatTimestamp(now + settings.expireMs),
        }));
    },

    async recordSent(survey) {
      const now = clock().getTime();
      const result = await store.execute(
        `INSERT INTO surveys (workspace, pull_request_id, person_id, role, sent_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [w, survey.pullRequest, survey.person, survey.role, now, now + settings.expireMs],
      );
      return result.rowsAffected === 1;
    },

    async answer(answer) {
      if (answer.role === 'author' && !ASSISTED.includes(answer.assisted as SurveyAssisted))
        throw invalid(`assisted: expected one of ${ASSISTED.join('|')}, got ${JSON.stringify(answer.assisted)}`);
      if (answer.quality !== undefined && !(Number.isInteger(answer.quality) && answer.quality >= 1 && answer.quality <= 5))
        throw invalid(`quality: expected a rating from 1 to 5, got ${JSON.stringify(answer.quality)}`);
      const now = clock().getTime();
      return store.write(async (tx) => {
        const survey = sentSurvey.first(
          (
            await tx.execute({
              sql: 'SELECT role, expires_at, answered_at FROM surveys WHERE workspace = ? AND pull_request_id = ? AND person_id = ?',
              args: [w, answer.pullRequest, answer.person],
            })
          ).rows,
        );
        if (!survey || survey.role !== answer.role)
          throw new TeamStateError(
            'survey_not_found',
            `${answer.person} was not asked about ${answer.pullRequest} as its ${answer.role}, so this answer is not recorded`,
          );
        if (survey.answered_at !== null) return { status: 'already_answered' as const };
        if (now > survey.expires_at)
          throw new TeamStateError(
            'survey_expired',
            `the survey about ${answer.pullRequest} closed on ${formatTimestamp(survey.expires_at)}`,
          );
        const response = {
          pullRequest: answer.pullRequest,
          person: answer.person,
          role: answer.role,
          respondedAt: formatTimestamp(now),
          ...(answer.role === 'author'
            ? { assisted: answer.assisted, tools: [...new Set((answer.tools ?? []).map((tool) => tool.trim()).filter(Boolean))] }
            : {
                ...(answer.quality !== undefined ? { quality: answer.quality } : {}),
                ...(answer.guess !== undefined ? { guess: answer.guess } : {}),
              }),
        };
        await upsertRows(tx, surveyResponsesSpec, [toRow(surveyResponsesSpec, surveyResponseToRow(w, response))]);
        await tx.execute({
          sql: 'UPDATE surveys SET answered_at = ? WHERE workspace = ? AND pull_request_id = ? AND person_id = ?',
          args: [now, w, answer.pullRequest, answer.person],
        });
        // The author's answer is evidence of the pull request's `ai` (and the only evidence "no AI help" can have).
        if (answer.role === 'author') await recordSurveyEvidence(tx, w, answer.pullRequest, answer.assisted!, answer.tools ?? []);
        // Both sides answered: the reviewers who answered learn what the author said.
        await tx.execute({
          sql: `UPDATE surveys SET reveal = 'due'
                WHERE workspace = ?1 AND pull_request_id = ?2 AND role = 'reviewer' AND answered_at IS NOT NULL AND reveal IS NULL
                  AND EXISTS (SELECT 1 FROM survey_responses r WHERE r.workspace = ?1 AND r.pull_request_id = ?2 AND r.role = 'author')`,
          args: [w, answer.pullRequest],
        });
        return { status: 'recorded' as const };
      });
    },

    async reveals() {
      const due = await rows(
        dueReveal,
        `SELECT wi.id, wi.key, wi.title, ${urlColumn('wi')} AS url, s.person_id AS reviewer, mine.guess, theirs.assisted, theirs.tools,
                (SELECT min(external_id) FROM accounts c WHERE c.workspace = ?1 AND c.person_id = s.person_id AND c.provider = 'slack') AS slack
         FROM surveys s
         JOIN work_items wi ON wi.workspace = ?1 AND wi.id = s.pull_request_id
         JOIN survey_responses mine ON mine.workspace = ?1 AND mine.pull_request_id = s.pull_request_id AND mine.person_id = s.person_id
         JOIN survey_responses theirs ON theirs.workspace = ?1 AND theirs.pull_request_id = s.pull_request_id AND theirs.role = 'author'
         WHERE s.workspace = ?1 AND s.reveal = 'due' ORDER BY wi.id, s.person_id`,
        [w],
      );
      return due.map((r) => ({
        pullRequest: { id: r.id, key: r.key, title: r.title, ...(r.url ? { url: r.url } : {}) },
        reviewer: r.reviewer,
        ...(r.slack ? { slackUser: r.slack } : {}),
        ...(r.guess === null ? {} : { guess: r.guess === 1 }),
        assisted: r.assisted,
        tools: r.tools ? (JSON.parse(r.tools) as string[]) : [],
      }));
    },

    async recordRevealed(pullRequest, reviewer) {
      await store.execute(
        `UPDATE surveys SET reveal = 'sent' WHERE workspace = ? AND pull_request_id = ? AND person_id = ? AND reveal = 'due'`,
        [w, pullRequest, reviewer],
      );
    },
  };
}

async function recordSurveyEvidence(tx: Transaction, w: string, pullRequest: string, assisted: SurveyAssisted, tools: readonly string[]) {
  await updateWorkItemAi(tx, w, pullRequest, (stored) => withSurveyAnswer(stored, assisted, tools));
}
