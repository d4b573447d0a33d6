import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Review, StatusCategory, WorkItemKind } from '../../kernel/model/work-item.js';

// Work items (pull requests and issues) with their assignees, requested reviewers, reviews and status history.

/** What the flow metrics read of a merged pull request: both covering indexes of merges carry it, so no row is read. */
const mergedPullRequestFacts = (
  t: Record<'createdAt' | 'firstCommitAt' | 'readyAt' | 'firstReviewAt' | 'additions' | 'deletions', AnySQLiteColumn>,
) => [t.createdAt, t.firstCommitAt, t.readyAt, t.firstReviewAt, t.additions, t.deletions];

export const workItems = sqliteTable(
  'work_items',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    source: text('source').notNull(),
    kind: text('kind').$type<WorkItemKind>().notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    state: text('state').notNull(),
    statusCategory: text('status_category').$type<StatusCategory>(),
    teamId: text('team_id'),
    repositoryId: text('repository_id'),
    authorId: text('author_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at'),
    firstCommitAt: integer('first_commit_at'),
    readyAt: integer('ready_at'),
    mergedAt: integer('merged_at'),
    closedAt: integer('closed_at'),
    resolvedAt: integer('resolved_at'),
    dueAt: integer('due_at'),
    draft: integer('draft'),
    additions: integer('additions'),
    deletions: integer('deletions'),
    storyPoints: real('story_points'),
    sprintId: text('sprint_id'),
    labels: text('labels'),
    /** Pull requests: the changed files' paths as a JSON array (`who_knows`). */
    paths: text('paths'),
    /** Issues: their components' names as a JSON array (`who_knows`). */
    components: text('components'),
    flagged: integer('flagged'),
    parent: text('parent'),
    headSha: text('head_sha'),
    url: text('url'),
    body: text('body'),
    /** Pull requests: `ai.assisted` as 1 (true), 0 (false) or NULL (no evidence), for SQL over merged PRs. */
    aiAssisted: integer('ai_assisted'),
    /** Pull requests: the whole `ai { assisted, tools, evidence }` as JSON (NULL for other kinds unless given). */
    ai: text('ai'),
    /**
     * Derived (never in a bundle; see {@link DERIVED_COLUMNS}): pull requests, when the first review by someone other
     * than the author was submitted (NULL without one). Kept right by every write of the item, its reviews or its
     * author (bundle import, connector sync, webhooks, account merges).
     */
    firstReviewAt: integer('first_review_at'),
    /**
     * Derived (never in a bundle; see {@link DERIVED_COLUMNS}): `at` of the item's first move into an in-progress
     * status (NULL without one), where its cycle time starts (signals: item.aging). Kept right by every write of the
     * item's transitions (bundle import, streamed import, connector sync, webhooks); removed with the item.
     */
    firstInProgressAt: integer('first_in_progress_at'),
    /**
     * Derived (never in a bundle; see {@link DERIVED_COLUMNS}): when the item's last in-progress span ended, the
     * latest `next_at` of its in-progress transitions; NULL while one is open (its last transition is in progress) or
     * without any. An item in progress at an instant started at or before it and has this NULL or after it: a team's
     * candidates for wip at `to` are a range of `work_items_team_in_progress_idx`. Kept with `first_in_progress_at`.
     */
    inProgressUntil: integer('in_progress_until'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    // Covering for the flow metrics over merged pull requests (cycle time and its phases, first review, size):
    // an all-time window reads this index alone, never the rows (titles, bodies) of 60,000 PRs.
    // Partial: every reader asks for a range of merge times (half the items are merged).
    index('work_items_kind_merged_idx')
      .on(t.workspace, t.kind, t.mergedAt, ...mergedPullRequestFacts(t), t.repositoryId, t.id)
      .where(sql`merged_at IS NOT NULL`),
    // A repository's (or a team's repositories') pull requests merged in a window, with what pr_cycle_time,
    // time_to_first_review, pr_size and throughput read of each: no row read (13 ms of a team's 30 days at 10,000
    // engineers → 6 ms for those four).
    // Partial: its readers ask for one repository's items (the pull requests without one come from
    // work_items_kind_merged_idx), never those of none: issues rarely have one.
    index('work_items_repository_merged_idx')
      .on(t.workspace, t.repositoryId, t.mergedAt, t.kind, ...mergedPullRequestFacts(t), t.id)
      .where(sql`repository_id IS NOT NULL`),
    // Covering for a team's issues resolved in a window with when each started (signals: item.aging's p85 cycle time
    // reads no item row and no transition).
    index('work_items_team_resolved_idx').on(t.workspace, t.teamId, t.resolvedAt, t.kind, t.id, t.firstInProgressAt),
    // Covering for flow_efficiency's issues resolved in the window (kind, id, key): no table row read per issue. Partial
    // (every reader asks for a range of resolution times): the unresolved half of the items is not in it.
    index('work_items_resolved_idx').on(t.workspace, t.resolvedAt, t.kind, t.id, t.key).where(sql`resolved_at IS NOT NULL`),
    index('work_items_created_idx').on(t.workspace, t.createdAt),
    // Covering for a person's items by id (`workItems.list({ person })`).
    index('work_items_author_idx').on(t.workspace, t.authorId, t.id),
    index('work_items_key_idx').on(t.workspace, t.key),
    // Covering for the sprint metrics' items added to a sprint (points, resolution, key): no table row read per item.
    // Partial: its readers (and the sprint-totals triggers) ask for one sprint's items, never those in none.
    index('work_items_sprint_idx').on(t.workspace, t.sprintId, t.id, t.storyPoints, t.resolvedAt, t.key).where(sql`sprint_id IS NOT NULL`),
    // Signals look at what is open now (open PRs, items in progress); `workItems.list` pages them newest first.
    index('work_items_kind_state_created_idx').on(t.workspace, t.kind, t.state, t.createdAt),
    // Signals: items by status category; item.aging reads a team's items in progress started before a bound from it.
    // Partial: every reader asks for one category (`status_category = ?`), never the pull requests' none.
    index('work_items_status_category_idx')
      .on(t.workspace, t.statusCategory, t.teamId, t.firstInProgressAt)
      .where(sql`status_category IS NOT NULL`),
    // wip and aging_wip for a team: its items whose in-progress spans may cover `to` (one open, or the last ended after
    // `to`), a range instead of each of the team's issues tested (5,000 at 10,000 engineers), no row read. Partial: its
    // reader asks for items moved into progress by `to`, never those that have not been.
    index('work_items_team_in_progress_idx')
      .on(t.workspace, t.teamId, t.inProgressUntil, t.firstInProgressAt, t.kind, t.id, t.key)
      .where(sql`first_in_progress_at IS NOT NULL`),
    // wip and aging_wip for a team or a repository: its unmerged pull requests with what tells whether one was open at
    // `to`, no row read (a team's 250 unmerged PRs' rows took up to 0.9 s from disk at 10,000 engineers). The kind and
    // merged_at, constant here, are in it too: SQLite reads the row for the columns of the index's own condition.
    index('work_items_unmerged_pr_idx')
      .on(t.workspace, t.repositoryId, t.createdAt, t.closedAt, t.draft, t.id, t.key, t.kind, t.mergedAt)
      .where(sql`kind = 'pull_request' AND merged_at IS NULL`),
    // Signals (item.overdue): the unresolved items past their due date, without walking the resolved ones.
    index('work_items_open_due_idx').on(t.workspace, t.dueAt).where(sql`resolved_at IS NULL`),
    // Signals: issues in a blocked status (compared case-insensitively) and flagged ones, found without walking
    // every unresolved item. Partial: its reader (item.blocked) asks for issues not done, with this very condition;
    // the done issues and the pull requests (all but a few hundred of 3.5 million items at 10,000 engineers) are not in it.
    index('work_items_lower_state_idx').on(t.workspace, sql`lower(${t.state})`).where(sql`status_category IN ('todo', 'in_progress')`),
    // Partial: its readers ask for `flagged = 1` (a few dozen of 120,000 items on the large demo).
    index('work_items_flagged_idx').on(t.workspace, t.flagged).where(sql`flagged = 1`),
    // Signals and digests (person.after_hours): the pull requests merged in a window with their authors.
    // An item's people by id come from its row through the primary key, and the pull requests opened in a window from
    // work_items_created_idx and their rows (those readers read each row's title anyway): the covering copies of
    // those (an index of every item by id, and one of the opened pull requests by time) cost more space than the
    // reads they saved.
    index('work_items_pr_merged_author_idx')
      .on(t.workspace, t.mergedAt, t.authorId)
      .where(sql`kind = 'pull_request' AND author_id IS NOT NULL`),
    // Signals: the open pull requests (thousands of 1.5 million at 10,000 engineers) with every column their detectors
    // read, in id order (the order of their reviews), from this index alone: reading each one's row (title, body) cost
    // the four open-PR detectors 96-221 ms each there in the scale bench, this 17-59 ms.
    index('work_items_open_pr_idx')
      .on(
        t.workspace,
        t.id,
        t.authorId,
        t.draft,
        t.readyAt,
        t.createdAt,
        t.updatedAt,
        t.additions,
        t.deletions,
        t.teamId,
        t.repositoryId,
        t.key,
        t.title,
      )
      .where(sql`kind = 'pull_request' AND state = 'open'`),
    // Signals (wip.over_limit, person.overloaded): the items in progress with their kind and key, from this index alone.
    index('work_items_in_progress_idx').on(t.workspace, t.kind, t.id, t.key).where(sql`status_category = 'in_progress'`),
    // Goals progress (`ts.goals.progress()`): the items an epic link reaches (its children) and a label link reaches
    // (the items of each distinct label array, walked one seek each), with every column the counts read, from the
    // index alone: over the whole organisation that is a million children, never a scan of every item.
    index('work_items_parent_idx')
      .on(t.workspace, t.parent, t.kind, t.teamId, t.statusCategory, t.storyPoints, t.mergedAt, t.resolvedAt, t.closedAt)
      .where(sql`parent IS NOT NULL`),
    index('work_items_labels_idx')
      .on(t.workspace, t.labels, t.kind, t.teamId, t.statusCategory, t.storyPoints, t.mergedAt, t.resolvedAt, t.closedAt)
      .where(sql`labels IS NOT NULL`),
    // Goals progress: the items done in a window with their points, from the index alone (and the few done items
    // without a resolution, closed in the window, from their NULL range).
    index('work_items_done_idx')
      .on(t.workspace, t.resolvedAt, t.kind, t.teamId, t.storyPoints, t.closedAt, t.statusCategory)
      .where(sql`status_category = 'done'`),
  ],
);

export const workItemAssignees = sqliteTable(
  'work_item_assignees',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.workItemId, t.personId] }),
    // Covering (work_item_id included): "a person's items" without walking every assignment of the workspace.
    index('work_item_assignees_person_idx').on(t.workspace, t.personId, t.workItemId),
  ],
);

/** The people a pull request asks to review it (GitHub's requested reviewers), until they review or are removed. */
export const reviewRequests = sqliteTable(
  'review_requests',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.workItemId, t.personId] })],
);

export const reviews = sqliteTable(
  'reviews',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    seq: integer('seq').notNull(),
    reviewerId: text('reviewer_id').notNull(),
    state: text('state').$type<Review['state']>().notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [
    // WITHOUT ROWID (migration 0076; drizzle's snapshot does not record it): the rows live in the primary key, in
    // (workspace, item, seq) order. An item's reviews are one seek of it (`sqlite_autoindex_reviews_1`, named by the
    // readers that aggregate them): a covering copy of every review by item cost more than the table.
    primaryKey({ columns: [t.workspace, t.workItemId, t.seq] }),
    // A reviewer's reviews in a window; each entry ends with the review's key (item, seq), so its item is joined
    // without reading the review's row.
    index('reviews_reviewer_idx').on(t.workspace, t.reviewerId, t.submittedAt),
    // The reviews submitted in a window (signals: review load, after-hours activity), covering the item and the reviewer
    // so that a window's reviews are read without their rows (review.load_imbalance).
    index('reviews_submitted_idx').on(t.workspace, t.submittedAt, t.workItemId, t.reviewerId),
  ],
);

export const transitions = sqliteTable(
  'transitions',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    fromCategory: text('from_category').$type<StatusCategory>(),
    toCategory: text('to_category').$type<StatusCategory>().notNull(),
    /**
     * Derived (never in a bundle; see {@link DERIVED_COLUMNS}): `at` of the item's next transition in `(at, seq)`
     * order (NULL for its last), so a status span is one row. Kept right by every write of the item's transitions.
     */
    nextAt: integer('next_at'),
  },
  (t) => [
    // WITHOUT ROWID (migration 0073; drizzle's snapshot does not record it): the rows live in the primary key, in
    // (workspace, item, seq) order, so an item's transitions are one seek and a few neighbouring rows, and every
    // reader of them (status as of an instant, time in status, a sprint's completion, flow_efficiency's in-progress
    // spans) reads the key alone: no second copy of each transition's key, no covering index of the spans.
    primaryKey({ columns: [t.workspace, t.workItemId, t.seq] }),
  ],
);
