import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Provider } from '../kernel/model/common.js';
import type { Deployment, Sprint } from '../kernel/model/delivery.js';
import type { Review, StatusCategory, WorkItemKind } from '../kernel/model/work-item.js';

// Every table is scoped by `workspace` (the tenant id) and every key starts with it, so one
// workspace can never read another's rows. Timestamps are UTC epoch milliseconds (integers),
// which keeps range predicates index-friendly and comparisons exact. `$type<…>()` narrows a text
// column to the model's enum in TypeScript only (the DDL is unchanged); only validated records are written.
// Features declare their own tables in features/<name>/schema.ts; this file holds the shared records.

export const teams = sqliteTable(
  'teams',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] })],
);

export const people = sqliteTable(
  'people',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    /** IANA time zone (`Europe/Berlin`): where the person's day starts and ends (their daily report's day). */
    timeZone: text('time_zone'),
    /**
     * Where `time_zone` came from: NULL when declared (config, bundle), else the provider whose profile gave it
     * (`slack`). A provider's profile fills or updates only a time zone that was not declared.
     */
    timeZoneSource: text('time_zone_source'),
    /** When the person joined (config, bundle `people[].joinedAt`); NULL: their first activity counts (onboarding). */
    joinedAt: integer('joined_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('people_email_idx').on(t.workspace, t.email)],
);

export const accounts = sqliteTable(
  'accounts',
  {
    workspace: text('workspace').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    externalId: text('external_id').notNull(),
    login: text('login'),
    personId: text('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.provider, t.externalId] }),
    index('accounts_person_idx').on(t.workspace, t.personId),
    // An identity override names an account by login (resolvePeople): a seek, not a walk of the provider's accounts.
    index('accounts_login_idx').on(t.workspace, t.provider, t.login),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    workspace: text('workspace').notNull(),
    teamId: text('team_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.teamId, t.personId] }),
    // Covering (team_id included) for "a person's first team": without it the planner walks the workspace's
    // memberships by primary key for every person.
    index('memberships_person_team_idx').on(t.workspace, t.personId, t.teamId),
  ],
);

/**
 * Who leads a team (`teams[].leads`): they read its members' reports, feedback and wellbeing as the policy's
 * `privacy` allows. A lead need not be a member.
 */
export const teamLeads = sqliteTable(
  'team_leads',
  {
    workspace: text('workspace').notNull(),
    teamId: text('team_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.teamId, t.personId] }), index('team_leads_person_idx').on(t.workspace, t.personId)],
);

export const repositories = sqliteTable(
  'repositories',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    teamId: text('team_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('repositories_team_idx').on(t.workspace, t.teamId)],
);

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
    index('work_items_kind_merged_idx').on(t.workspace, t.kind, t.mergedAt, ...mergedPullRequestFacts(t), t.repositoryId, t.id),
    // A repository's (or a team's repositories') pull requests merged in a window, with what pr_cycle_time,
    // time_to_first_review, pr_size and throughput read of each: no row read (13 ms of a team's 30 days at 10,000
    // engineers → 6 ms for those four).
    index('work_items_repository_merged_idx').on(t.workspace, t.repositoryId, t.mergedAt, t.kind, ...mergedPullRequestFacts(t), t.id),
    // Covering for a team's issues resolved in a window with when each started (signals: item.aging's p85 cycle time
    // reads no item row and no transition).
    index('work_items_team_resolved_idx').on(t.workspace, t.teamId, t.resolvedAt, t.kind, t.id, t.firstInProgressAt),
    // Covering for flow_efficiency's issues resolved in the window (kind, id, key): no table row read per issue.
    index('work_items_resolved_idx').on(t.workspace, t.resolvedAt, t.kind, t.id, t.key),
    index('work_items_created_idx').on(t.workspace, t.createdAt),
    // Covering for a person's items by id (`workItems.list({ person })`): otherwise the planner walks the covering
    // work_items_id_people_idx instead of seeking this one.
    index('work_items_author_idx').on(t.workspace, t.authorId, t.id),
    index('work_items_key_idx').on(t.workspace, t.key),
    // Covering for the sprint metrics' items added to a sprint (points, resolution, key): no table row read per item.
    index('work_items_sprint_idx').on(t.workspace, t.sprintId, t.id, t.storyPoints, t.resolvedAt, t.key),
    index('work_items_updated_idx').on(t.workspace, t.updatedAt),
    // Signals look at what is open now (open PRs, items in progress); `workItems.list` pages them newest first.
    index('work_items_kind_state_created_idx').on(t.workspace, t.kind, t.state, t.createdAt),
    // Signals: items by status category; item.aging reads a team's items in progress started before a bound from it.
    index('work_items_status_category_idx').on(t.workspace, t.statusCategory, t.teamId, t.firstInProgressAt),
    // wip and aging_wip for a team: its items whose in-progress spans may cover `to` (one open, or the last ended after
    // `to`), a range instead of each of the team's issues tested (5,000 at 10,000 engineers), no row read.
    index('work_items_team_in_progress_idx').on(t.workspace, t.teamId, t.inProgressUntil, t.firstInProgressAt, t.kind, t.id, t.key),
    // wip and aging_wip for a team or a repository: its unmerged pull requests with what tells whether one was open at
    // `to`, no row read (a team's 250 unmerged PRs' rows took up to 0.9 s from disk at 10,000 engineers). The kind and
    // merged_at, constant here, are in it too: SQLite reads the row for the columns of the index's own condition.
    index('work_items_unmerged_pr_idx')
      .on(t.workspace, t.repositoryId, t.createdAt, t.closedAt, t.draft, t.id, t.key, t.kind, t.mergedAt)
      .where(sql`kind = 'pull_request' AND merged_at IS NULL`),
    index('work_items_due_idx').on(t.workspace, t.dueAt),
    // Signals (item.overdue): the unresolved items past their due date, without walking the resolved ones.
    index('work_items_open_due_idx').on(t.workspace, t.dueAt).where(sql`resolved_at IS NULL`),
    // Signals: issues in a blocked status (compared case-insensitively) and flagged ones, found without walking
    // every unresolved item.
    index('work_items_lower_state_idx').on(t.workspace, sql`lower(${t.state})`),
    index('work_items_flagged_idx').on(t.workspace, t.flagged),
    // Signals: the people of an item looked up by id without reading its row (title, body): who wrote it, what kind,
    // whose team. Named with INDEXED BY by the detectors that join many reviews or transitions to their items (the
    // planner otherwise prefers the primary key's unique index, then reads the row). With each issue's resolution and
    // key, it also hands flow_efficiency over the organisation the window's issues in id order (the order of its pass
    // over the in-progress transitions) without reading a row or sorting.
    index('work_items_id_people_idx').on(t.workspace, t.id, t.kind, t.authorId, t.teamId, t.repositoryId, t.resolvedAt, t.key),
    // Signals (person.after_hours): the pull requests opened and merged in a window with their authors, from the
    // index alone.
    index('work_items_pr_created_author_idx')
      .on(t.workspace, t.createdAt, t.authorId)
      .where(sql`kind = 'pull_request' AND author_id IS NOT NULL`),
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
    primaryKey({ columns: [t.workspace, t.workItemId, t.seq] }),
    index('reviews_reviewer_idx').on(t.workspace, t.reviewerId, t.submittedAt),
    // Covering for "first review of this PR by someone else", in submission order (metrics), and for an open PR's
    // latest review by each reviewer with its state (signals: pr.changes_requested_idle, person.overloaded).
    index('reviews_item_submitted_idx').on(t.workspace, t.workItemId, t.submittedAt, t.reviewerId, t.seq, t.state),
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
    primaryKey({ columns: [t.workspace, t.workItemId, t.seq] }),
    // The moves in a window, with their item (covering: signals join each move to its item and assignees).
    index('transitions_at_idx').on(t.workspace, t.at, t.workItemId),
    // Covering for "an item's status history": status as of an instant, time in status (metrics).
    index('transitions_item_idx').on(t.workspace, t.workItemId, t.at, t.seq, t.toCategory, t.toStatus),
    // Covering for the in-progress spans of an item (flow_efficiency): only in-progress transitions, each with its end.
    index('transitions_in_progress_idx').on(t.workspace, t.workItemId, t.at, t.nextAt, t.toStatus).where(sql`to_category = 'in_progress'`),
  ],
);

/**
 * Each person's activity, one row per act: a pull request opened and one merged (its author), a review submitted (its
 * reviewer, unless they wrote the item), a move of an issue (each of its assignees). Derived on write: SQL triggers on
 * work_items, reviews, transitions and work_item_assignees keep it equal to those rows whatever the writer (migration
 * 0039; a row is added by whichever of its rows is written last, and removed or rewritten with any of them), so that
 * `person.after_hours` reads each person's window as one range of an index instead of looking up each move's item and
 * assignees and each review's item (at 10,000 engineers, 330,000 look-ups and two sorts per refresh). `seq` is the review's or
 * the transition's (0 for opened and merged).
 */
export const personActivity = sqliteTable(
  'person_activity',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    source: text('source').$type<'opened' | 'merged' | 'review' | 'move'>().notNull(),
    seq: integer('seq').notNull(),
    personId: text('person_id').notNull(),
    at: integer('at').notNull(),
    /** The item's own team (`work_items.team_id`; migration 0042): an item without one belongs to its repository's. */
    teamId: text('team_id'),
    /** The item's repository (`work_items.repository_id`; migration 0042). */
    repositoryId: text('repository_id'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.workItemId, t.source, t.seq, t.personId] }),
    // A person's activity in a window, in time order (covering: person.after_hours seeks each person's window).
    index('person_activity_person_idx').on(t.workspace, t.personId, t.at),
    // The reviews submitted in a window with their item's team and repository and their reviewer (covering:
    // review.load_imbalance counts a window's reviews per team and reviewer without looking up each review's item).
    index('person_activity_review_idx').on(t.workspace, t.at, t.teamId, t.repositoryId, t.personId).where(sql`source = 'review'`),
  ],
);

/**
 * The reviews of the pull requests that are open now (`kind = 'pull_request' AND state = 'open'`), as `reviews` has
 * them. Derived on write: SQL triggers on reviews and work_items keep it equal to those rows whatever the writer
 * (migration 0043: a review is added with its open PR or as it is written, and its PR's rows go when it is merged,
 * closed or removed), so that the open-PR detectors seek an open PR's reviews among a few thousand instead of among
 * every review of the organisation (at 10,000 engineers, each of 11,000 open PRs' look-ups was a page of its own:
 * about 10,000 pages per detector per refresh).
 */
export const openPrReviews = sqliteTable(
  'open_pr_reviews',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    seq: integer('seq').notNull(),
    reviewerId: text('reviewer_id').notNull(),
    state: text('state').$type<Review['state']>().notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.workItemId, t.seq] })],
);

export const sprints = sqliteTable(
  'sprints',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    teamId: text('team_id').notNull(),
    state: text('state').$type<Sprint['state']>().notNull(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at').notNull(),
    completedAt: integer('completed_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('sprints_team_completed_idx').on(t.workspace, t.teamId, t.completedAt)],
);

export const sprintCommittedItems = sqliteTable(
  'sprint_committed_items',
  {
    workspace: text('workspace').notNull(),
    sprintId: text('sprint_id').notNull(),
    workItemId: text('work_item_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.sprintId, t.workItemId] }),
    // The sprints an item is committed to, for the triggers that keep `sprint_totals` right when the item changes.
    index('sprint_committed_items_item_idx').on(t.workspace, t.workItemId),
  ],
);

/**
 * Derived (never in a bundle): per sprint, the story points the sprint metrics add up, kept right by SQL triggers on
 * every table they derive from (`work_items`, `transitions`, `sprints`, `sprint_committed_items`; migration 0030), so
 * `sprint_completion` and `velocity` read one row per sprint instead of looking up each of its items. A sprint's
 * items are its committed items plus the items whose sprint it is; `committed_points` adds up the committed items'
 * points, `completed_points` those of the items done by the sprint's `completed_at` (resolved at or before it, or
 * without a resolution in the done category as of it), items without points counting 0. Sums of whole points are
 * exact whatever the order of the writes; `fractional_items` counts the sprint's items with fractional points, whose
 * sums the metrics take from the items instead.
 */
export const sprintTotals = sqliteTable(
  'sprint_totals',
  {
    workspace: text('workspace').notNull(),
    sprintId: text('sprint_id').notNull(),
    committedPoints: real('committed_points').notNull(),
    completedPoints: real('completed_points').notNull(),
    fractionalItems: integer('fractional_items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.sprintId] })],
);

export const deployments = sqliteTable(
  'deployments',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    repositoryId: text('repository_id').notNull(),
    environment: text('environment').notNull(),
    status: text('status').$type<Deployment['status']>().notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at').notNull(),
    sha: text('sha'),
    hasPullRequestList: integer('has_pull_request_list').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    index('deployments_finished_idx').on(t.workspace, t.finishedAt),
    // Covering for "production deployments finished in a window" (deployment_frequency, change_failure_rate and
    // rework_rate's totals): the status and environment checked in the index, no table row read.
    index('deployments_window_idx').on(t.workspace, t.finishedAt, t.status, t.environment, t.repositoryId, t.id),
    index('deployments_repository_finished_idx').on(t.workspace, t.repositoryId, t.finishedAt),
    // Covering for the deployment → PR mapping: "the next (previous) successful deployment without a PR list of
    // this repository" walks only those, in (finished_at, id) order, checking the environment in the index.
    index('deployments_mapping_idx').on(t.workspace, t.repositoryId, t.hasPullRequestList, t.status, t.finishedAt, t.id, t.environment),
    // Covering for incident attribution: "the latest (next) successful deployment of this repository at (after) an
    // instant" in (finished_at, id) order without a sort, checking the environment in the index.
    index('deployments_production_idx').on(t.workspace, t.repositoryId, t.status, t.finishedAt, t.id, t.environment),
    // Covering for "the latest finished deployment of each repository and environment" (signal deploy.failed), in
    // group order, without reading the table.
    index('deployments_latest_idx').on(t.workspace, t.repositoryId, t.environment, t.finishedAt, t.status, t.id),
  ],
);

export const deploymentPullRequests = sqliteTable(
  'deployment_pull_requests',
  {
    workspace: text('workspace').notNull(),
    deploymentId: text('deployment_id').notNull(),
    workItemId: text('work_item_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.deploymentId, t.workItemId] }),
    // Covering (deployment_id included): without it the planner prefers scanning the primary key for
    // "which deployments list this PR", a full scan per PR.
    index('deployment_pull_requests_item_idx').on(t.workspace, t.workItemId, t.deploymentId),
  ],
);

/**
 * Derived (never in a bundle; see `deployment-mapping.ts`): each merged pull request's deploying production
 * deployment for one metric-settings key (`settings`: the JSON of the lower-cased production environment patterns
 * and rework labels): the first production deployment listing it, else the first production deployment of its
 * repository without a list finishing at or after its merge. `listed` is 1 for the first kind; `repository_id` is
 * the pull request's ('' for none). Rebuilt per repository on the first metric read after a write to that
 * repository's inputs (triggers add the repository to `deployment_mapping_stale`).
 */
export const pullRequestDeployments = sqliteTable(
  'pull_request_deployments',
  {
    workspace: text('workspace').notNull(),
    settings: text('settings').notNull(),
    workItemId: text('work_item_id').notNull(),
    repositoryId: text('repository_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    /** The deployment's `finished_at`. */
    finishedAt: integer('finished_at').notNull(),
    /** The pull request's `merged_at`. */
    mergedAt: integer('merged_at').notNull(),
    /** The pull request's `first_commit_at`, else its `created_at` (where its lead time starts). */
    startedAt: integer('started_at').notNull(),
    listed: integer('listed').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.settings, t.workItemId] }),
    // Covering for "the PRs a deployment deploys".
    index('pull_request_deployments_deployment_idx').on(t.workspace, t.settings, t.deploymentId, t.listed, t.workItemId),
    // Covering for "this PR's deploying deployment" (one seek per PR, no table row).
    index('pull_request_deployments_item_idx').on(t.workspace, t.settings, t.workItemId, t.finishedAt, t.deploymentId),
    // Covering for lead times of PRs deployed in a window (no work item read).
    index('pull_request_deployments_finished_idx').on(t.workspace, t.settings, t.finishedAt, t.startedAt, t.repositoryId, t.workItemId),
    // Covering for the deploy phase of PRs merged in a window (no work item read).
    index('pull_request_deployments_merged_idx').on(t.workspace, t.settings, t.mergedAt, t.finishedAt, t.repositoryId),
    // A repository's rows: its rebuild, and one team's lead times.
    index('pull_request_deployments_repository_idx').on(t.workspace, t.settings, t.repositoryId, t.finishedAt, t.startedAt, t.mergedAt),
    // Covering for one team's or repository's deploy phases: each repository's PRs merged in a window, not its history.
    index('pull_request_deployments_repository_merged_idx').on(t.workspace, t.settings, t.repositoryId, t.mergedAt, t.finishedAt),
  ],
);

/**
 * Derived with `pull_request_deployments` (same key, same rebuild): the production deployments that deploy at least
 * one rework pull request (a rework label or a title starting with `Revert `), for `rework_rate`.
 * `repository_id` is the deployment's.
 */
export const deploymentRework = sqliteTable(
  'deployment_rework',
  {
    workspace: text('workspace').notNull(),
    settings: text('settings').notNull(),
    deploymentId: text('deployment_id').notNull(),
    repositoryId: text('repository_id').notNull(),
    finishedAt: integer('finished_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.settings, t.deploymentId] }),
    // Covering for "rework deployments finished in a window", whole workspace or one team's repositories.
    index('deployment_rework_finished_idx').on(t.workspace, t.settings, t.finishedAt, t.repositoryId),
    index('deployment_rework_repository_idx').on(t.workspace, t.settings, t.repositoryId, t.finishedAt),
  ],
);

/**
 * Derived with `pull_request_deployments` (same key, same rebuild): each incident's attributed production deployment
 * (its own `deployment`, else the latest production deployment of its repository finished at or before it was
 * created; none when that deployment is missing or not production), with the incident's times and the deployment's
 * finish and repository (`repository_id`), for `failed_deployment_recovery_time` (no incident or deployment read).
 */
export const incidentDeployments = sqliteTable(
  'incident_deployments',
  {
    workspace: text('workspace').notNull(),
    settings: text('settings').notNull(),
    incidentId: text('incident_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    repositoryId: text('repository_id').notNull(),
    /** The deployment's `finished_at`. */
    finishedAt: integer('finished_at').notNull(),
    /** The incident's `created_at`. */
    createdAt: integer('created_at').notNull(),
    /** The incident's `resolved_at`. */
    resolvedAt: integer('resolved_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.settings, t.incidentId] }),
    // Covering for recoveries of incidents created in a window, whole workspace or one team's repositories.
    index('incident_deployments_created_idx').on(t.workspace, t.settings, t.createdAt, t.resolvedAt, t.finishedAt),
    index('incident_deployments_repository_idx').on(t.workspace, t.settings, t.repositoryId, t.createdAt, t.resolvedAt, t.finishedAt),
  ],
);

/** The metric-settings keys whose derived delivery rows exist (built once, then kept per repository). */
export const deploymentMappingKeys = sqliteTable(
  'deployment_mapping_keys',
  {
    workspace: text('workspace').notNull(),
    settings: text('settings').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.settings] })],
);

/**
 * The repositories ('' for pull requests without one) whose derived delivery rows for a settings key are out of
 * date, each from a merge on (`since`): triggers on deployments, their PR lists, pull requests and incidents add them
 * (a second mark keeps the earlier bound); the next metric read of those rows rebuilds them and deletes these.
 */
export const deploymentMappingStale = sqliteTable(
  'deployment_mapping_stale',
  {
    workspace: text('workspace').notNull(),
    settings: text('settings').notNull(),
    repositoryId: text('repository_id').notNull(),
    /**
     * The earliest merge (ms) whose pull requests' rows a write can have changed: rows of PRs merged before it stay.
     * NULL: the whole repository.
     */
    since: integer('since'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.settings, t.repositoryId] })],
);

export const incidents = sqliteTable(
  'incidents',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    title: text('title').notNull(),
    severity: text('severity'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    repositoryId: text('repository_id'),
    deploymentId: text('deployment_id'),
    /** Where the incident came from (`import`, `github`, `pagerduty`, …); NULL reads as `import`. */
    source: text('source'),
    /** The source's own id (PagerDuty's `Q1ABC…`). */
    externalId: text('external_id'),
    /** The source's service (PagerDuty service id). */
    service: text('service'),
    /** The team it belongs to when it names one; else the team of its repository. */
    teamId: text('team_id'),
    urgency: text('urgency'),
    /** `triggered | acknowledged | resolved`; NULL reads as resolved when `resolved_at` is set, else triggered. */
    status: text('status'),
    acknowledgedAt: integer('acknowledged_at'),
    /** JSON array of responder names or person ids. */
    responders: text('responders'),
    /** JSON array of `{ at, kind, actor?, text? }`, `at` in epoch ms. */
    timeline: text('timeline'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    index('incidents_team_created_idx').on(t.workspace, t.teamId, t.createdAt),
    index('incidents_service_created_idx').on(t.workspace, t.service, t.createdAt),
    // Covering (resolved_at, repository_id) for time_to_restore_service: no table row per incident.
    index('incidents_created_idx').on(t.workspace, t.createdAt, t.resolvedAt, t.repositoryId),
    index('incidents_deployment_idx').on(t.workspace, t.deploymentId),
    index('incidents_repository_created_idx').on(t.workspace, t.repositoryId, t.createdAt, t.resolvedAt),
  ],
);

export const syncCursors = sqliteTable(
  'sync_cursors',
  {
    workspace: text('workspace').notNull(),
    connector: text('connector').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.connector, t.key] })],
);

/**
 * One row per connector that ever synced or was scheduled: the sync lease (`serve` syncs a connector in one process at a
 * time: the holder renews it while it syncs, another process takes it over once it expired) and how the last sync ended.
 */
export const syncSources = sqliteTable(
  'sync_sources',
  {
    workspace: text('workspace').notNull(),
    connector: text('connector').notNull(),
    /** Who holds the lease (a process id chosen by the scheduler); NULL when free. */
    leaseHolder: text('lease_holder'),
    /** When the lease lapses unless renewed (epoch ms); a lapsed lease may be taken by anyone. */
    leaseExpiresAt: integer('lease_expires_at'),
    /** When the last sync of the connector ended (epoch ms), whatever its outcome. */
    lastSyncAt: integer('last_sync_at'),
    /** 1 when the last sync succeeded, 0 when it failed. */
    lastSyncOk: integer('last_sync_ok'),
    /** Why the last sync failed (redacted: never a secret). */
    lastError: text('last_error'),
    /** How long the last sync took, in milliseconds. */
    lastDurationMs: integer('last_duration_ms'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.connector] })],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    workspace: text('workspace').notNull(),
    provider: text('provider').notNull(),
    deliveryId: text('delivery_id').notNull(),
    event: text('event').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** `queued`, `retrying`, `failed` (gave up: replay with `webhooks retry`), `processed`, `ignored`. */
    status: text('status').$type<'queued' | 'retrying' | 'failed' | 'processed' | 'ignored'>().notNull(),
    /** The delivery's headers as JSON (lower-case names; credentials such as `authorization` left out); NULL on rows stored before the queue. */
    headers: text('headers'),
    /** The raw body as received (UTF-8); NULL on rows stored before the queue. */
    body: text('body'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due (also the lease of an attempt in progress); NULL once done or given up. */
    nextAttemptAt: integer('next_attempt_at'),
    /** Why the last attempt failed or was incomplete (never a secret). */
    lastError: text('last_error'),
    /** When the delivery was last attempted. */
    attemptedAt: integer('attempted_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.provider, t.deliveryId] }),
    index('webhook_deliveries_due_idx').on(t.workspace, t.status, t.nextAttemptAt),
  ],
);

/**
 * Erased people (`ts.people.erase`): the sha256 of each identifier they had (person id, account ids and logins, email), each
 * mapped to the pseudonym their activity is kept under, so a later sync or import maps them to it instead of
 * bringing their identity or reports back. The identifiers themselves are never stored.
 */
export const erasures = sqliteTable(
  'erasures',
  {
    workspace: text('workspace').notNull(),
    /** sha256 (hex) of `<kind>:<value>` (`person:ana`, `account:github:1234`, `email:ana@acme.dev`, `handle:anag`). */
    keyHash: text('key_hash').notNull(),
    /** The person id the activity is kept under, `erased-<hex>`. */
    pseudonym: text('pseudonym').notNull(),
    erasedAt: integer('erased_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.keyHash] }), index('erasures_pseudonym_idx').on(t.workspace, t.pseudonym)],
);
