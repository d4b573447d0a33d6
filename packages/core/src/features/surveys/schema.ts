import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the surveys feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Pull request surveys sent (docs/ai-impact.md#pull-request-surveys-slack): at most one per pull request and person, whatever redelivered
 * webhooks or repeated syncs do. `reveal` is `due` once both the
 * author and this reviewer answered, `sent` once the reveal was proposed. A row is written before its message is
 * proposed, so of two processes only one sends it.
 */
export const surveys = sqliteTable(
  'surveys',
  {
    workspace: text('workspace').notNull(),
    pullRequestId: text('pull_request_id').notNull(),
    personId: text('person_id').notNull(),
    role: text('role').$type<'author' | 'reviewer'>().notNull(),
    sentAt: integer('sent_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    answeredAt: integer('answered_at'),
    reveal: text('reveal').$type<'due' | 'sent'>(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.pullRequestId, t.personId] }), index('surveys_reveal_idx').on(t.workspace, t.reveal)],
);

/** Answers to pull request surveys: one per pull request and person (bundle `surveyResponses`). */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    workspace: text('workspace').notNull(),
    pullRequestId: text('pull_request_id').notNull(),
    personId: text('person_id').notNull(),
    role: text('role').$type<'author' | 'reviewer'>().notNull(),
    /** none | partly | mostly | agent (authors). */
    assisted: text('assisted').$type<'none' | 'partly' | 'mostly' | 'agent'>(),
    /** JSON array of tool names (authors). */
    tools: text('tools'),
    /** 1-5 (reviewers). */
    quality: integer('quality'),
    /** 1 when the reviewer guessed AI helped, 0 when not (reviewers). */
    guess: integer('guess'),
    respondedAt: integer('responded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.pullRequestId, t.personId] })],
);

/** A `surveyResponses` row as read. */
export type SurveyResponseRow = typeof surveyResponses.$inferSelect;
/** A `surveyResponses` row as written. */
export type SurveyResponseInsert = typeof surveyResponses.$inferInsert;
