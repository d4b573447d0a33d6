import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the agreements feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * When each working agreement of the policy was first seen by a nudges pass: its "before" and "after" in
 * `ts.agreements.report()`.
 */
export const agreementStarts = sqliteTable(
  'agreement_starts',
  {
    workspace: text('workspace').notNull(),
    agreementId: text('agreement_id').notNull(),
    startedAt: integer('started_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.agreementId] })],
);

/**
 * Nudges sent for working agreements: at most one per agreement, signal (its fingerprint and when it opened), recipient
 * (a person id, or `channel:<id>` for a team channel) and stage (`nudge`, `escalate`). The row is the claim, written in
 * the transaction that proposes the message, so of two processes (or a restarted one) only one sends it.
 */
export const agreementNudges = sqliteTable(
  'agreement_nudges',
  {
    workspace: text('workspace').notNull(),
    agreementId: text('agreement_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** When the signal opened (its `first_seen_at`): a signal that resolves and opens again is nudged again. */
    openedAt: integer('opened_at').notNull(),
    recipient: text('recipient').notNull(),
    stage: text('stage').$type<'nudge' | 'escalate'>().notNull(),
    teamId: text('team_id'),
    sentAt: integer('sent_at').notNull(),
    /** The approval of the message (`slack.dm.send` or `slack.message.post`), once proposed. */
    approvalId: text('approval_id'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.agreementId, t.fingerprint, t.openedAt, t.recipient, t.stage] }),
    index('agreement_nudges_sent_idx').on(t.workspace, t.agreementId, t.sentAt),
  ],
);
