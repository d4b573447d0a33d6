import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the onboarding feature owns (scoped by `workspace`).

/**
 * Onboarding messages proposed (a Slack DM to the new hire and to their lead): one row per person and recipient,
 * written before the proposal, so a restart or a second process never proposes it twice.
 */
export const onboardingMessages = sqliteTable(
  'onboarding_messages',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    recipientId: text('recipient_id').notNull(),
    proposedAt: integer('proposed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.recipientId] })],
);
