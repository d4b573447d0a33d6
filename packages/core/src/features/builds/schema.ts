import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Build } from './build-model.js';

// The tables the builds feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * CI runs (docs/data-model.md#builds): one row per run of a job on a commit, from a connector (GitHub check suites,
 * GitLab pipelines) or a bundle's `builds`. Read by the build metrics, the `ci.flaky` detector and PR triage.
 */
export const builds = sqliteTable(
  'builds',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    repositoryId: text('repository_id').notNull(),
    workflow: text('workflow').notNull(),
    job: text('job'),
    commitSha: text('commit_sha').notNull(),
    pullRequestId: text('pull_request_id'),
    status: text('status').$type<Build['status']>().notNull(),
    conclusion: text('conclusion').$type<NonNullable<Build['conclusion']>>(),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
    attempt: integer('attempt').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    // Build metrics: completed builds in a window.
    index('builds_completed_idx').on(t.workspace, t.completedAt),
    // ci.flaky: the attempts of one job on one commit.
    index('builds_commit_idx').on(t.workspace, t.repositoryId, t.commitSha, t.workflow, t.job),
    // PR triage: a pull request's latest builds.
    index('builds_pull_request_idx').on(t.workspace, t.pullRequestId),
  ],
);

/** A `builds` row as read. */
export type BuildRow = typeof builds.$inferSelect;
/** A `builds` row as written. */
export type BuildInsert = typeof builds.$inferInsert;
