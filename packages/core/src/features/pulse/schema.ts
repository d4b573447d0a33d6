import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the pulse feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/** Pulse survey rounds: one per id (the day it started, `YYYY-MM-DD`), with the questions it asked (JSON `[{ id, text }]`). */
export const pulseRounds = sqliteTable(
  'pulse_rounds',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    startedAt: integer('started_at').notNull(),
    questions: text('questions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('pulse_rounds_started_idx').on(t.workspace, t.startedAt)],
);

/**
 * Who was asked in a round: written before the message is proposed, so of two processes only one sends it. The
 * `invited` count of the results.
 */
export const pulseInvites = sqliteTable(
  'pulse_invites',
  {
    workspace: text('workspace').notNull(),
    roundId: text('round_id').notNull(),
    personId: text('person_id').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.roundId, t.personId] }), index('pulse_invites_person_idx').on(t.workspace, t.personId)],
);

/**
 * Answers: one per round and person (a second submission replaces the first). `answers` is JSON `{ questionId: 1-5 }`;
 * the comment is read only by leads, and only when `share_comment` is 1. Results never name the person.
 */
export const pulseAnswers = sqliteTable(
  'pulse_answers',
  {
    workspace: text('workspace').notNull(),
    roundId: text('round_id').notNull(),
    personId: text('person_id').notNull(),
    answers: text('answers').notNull(),
    comment: text('comment'),
    shareComment: integer('share_comment').notNull(),
    answeredAt: integer('answered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.roundId, t.personId] }), index('pulse_answers_person_idx').on(t.workspace, t.personId)],
);
