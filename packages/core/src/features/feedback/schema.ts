import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the feedback feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Feedback about AI assistants (docs/ai-feedback.md): what an assistant got wrong, in a category, with the
 * repository, pull request and paths it concerned when known. `paths` is a JSON array of repository-relative paths.
 */
export const aiFeedback = sqliteTable(
  'ai_feedback',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    personId: text('person_id').notNull(),
    category: text('category')
      .$type<'wrong_code' | 'missed_context' | 'style' | 'missing_tests' | 'security' | 'hallucinated_api' | 'performance' | 'other'>()
      .notNull(),
    tool: text('tool'),
    text: text('text').notNull(),
    /** The pull request's number in `repository_id`. */
    pullRequest: integer('pull_request'),
    repositoryId: text('repository_id'),
    /** JSON array of paths relative to the repository root. */
    paths: text('paths'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    // Patterns and effects read a window of time, for the workspace or one repository.
    index('ai_feedback_created_idx').on(t.workspace, t.createdAt),
    index('ai_feedback_repository_created_idx').on(t.workspace, t.repositoryId, t.createdAt),
    index('ai_feedback_person_idx').on(t.workspace, t.personId),
  ],
);

/** A `ai_feedback` row as read. */
export type AiFeedbackRow = typeof aiFeedback.$inferSelect;
