import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Provider } from '../kernel/model/common.js';
import type { Deployment, Sprint } from '../kernel/model/delivery.js';
import type { Review, StatusCategory, WorkItemKind } from '../kernel/model/work-item.js';
import type { KnowledgeSourceKind } from '../spec/knowledge-source.js';

// Every table is scoped by `workspace` (the tenant id) and every key starts with it, so one
// workspace can never read another's rows. Timestamps are UTC epoch milliseconds (integers),
// which keeps range predicates index-friendly and comparisons exact. `$type<…>()` narrows a text
// column to the model's enum in TypeScript only (the DDL is unchanged); only validated records are written.

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

export const repositories = sqliteTable(
  'repositories',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    teamId: text('team_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('repositories_team_idx').on(t.workspace, t.teamId)],
);

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
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    // Covering for the flow metrics over merged pull requests (cycle time and its phases, first review, size):
    // an all-time window reads this index alone, never the rows (titles, bodies) of 60,000 PRs.
    index('work_items_kind_merged_idx').on(
      t.workspace,
      t.kind,
      t.mergedAt,
      t.createdAt,
      t.firstCommitAt,
      t.readyAt,
      t.firstReviewAt,
      t.additions,
      t.deletions,
      t.repositoryId,
      t.id,
    ),
    index('work_items_repository_merged_idx').on(t.workspace, t.repositoryId, t.mergedAt),
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
    // A repository's rows: its rebuild, and one team's lead times and deploy phases.
    index('pull_request_deployments_repository_idx').on(t.workspace, t.settings, t.repositoryId, t.finishedAt, t.startedAt, t.mergedAt),
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
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
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

export const signals = sqliteTable(
  'signals',
  {
    workspace: text('workspace').notNull(),
    fingerprint: text('fingerprint').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    teamId: text('team_id'),
    title: text('title').notNull(),
    evidence: text('evidence').notNull(),
    status: text('status').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    /**
     * When last seen: for a resolved signal, the last refresh that found it; for an open one, the refresh that last
     * changed its row (the refresh of its kind's `signal_detector_runs.seen_at` has seen it since: what `list()` shows).
     */
    lastSeenAt: integer('last_seen_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.fingerprint] }), index('signals_status_idx').on(t.workspace, t.status, t.kind)],
);

/**
 * A change counter per workspace and table, bumped by triggers (hand-written in migration 0021) on every insert,
 * update and delete of the tables signal detectors read, in the transaction of the write: an incremental
 * `ts.signals.refresh()` compares them with those of a detector's last run.
 */
export const changeCounters = sqliteTable(
  'change_counters',
  {
    workspace: text('workspace').notNull(),
    tableName: text('table_name').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.tableName] })],
);

/**
 * The inputs of each detector's last run (`ts.signals.refresh()`): the change counters of the tables it reads, its
 * settings, the working hours, the now of a time-driven detector. Equal inputs, same signals: the run is skipped.
 */
export const signalDetectorRuns = sqliteTable(
  'signal_detector_runs',
  {
    workspace: text('workspace').notNull(),
    kind: text('kind').notNull(),
    /** The inputs as canonical JSON (empty for a detector that declares no incremental inputs: it always runs). */
    inputs: text('inputs').notNull(),
    ranAt: integer('ran_at').notNull(),
    /**
     * The now of the last refresh that ran or skipped the detector: when its open signals were last seen. A refresh
     * writes only the signals rows that change, so an open signal's own `last_seen_at` is when its content last changed
     * and `ts.signals.list()` reads this instead (NULL before migration 0028: the row's own then).
     */
    seenAt: integer('seen_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.kind] })],
);

export const approvals = sqliteTable(
  'approvals',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    actionType: text('action_type').notNull(),
    target: text('target').notNull(),
    params: text('params').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    status: text('status').notNull(),
    mode: text('mode').notNull(),
    risk: text('risk').notNull(),
    policyHash: text('policy_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    decidedAt: integer('decided_at'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    executedAt: integer('executed_at'),
    result: text('result'),
    error: text('error'),
    idempotencyKey: text('idempotency_key').notNull(),
    preconditions: text('preconditions'),
    version: integer('version').notNull().default(0),
    // Added by the human-in-the-loop work (migration 0001).
    /** approve | decline | modify, once a person decided. */
    decision: text('decision'),
    /** JSON array of the approver references (person ids, `team:<id>`) the proposing policy allowed. */
    approvers: text('approvers').notNull().default('[]'),
    /** When execution was claimed (status `executing`); a claim older than the lease is reconciled. */
    startedAt: integer('started_at'),
    /** When execution ended, in `executed` or `failed`. */
    finishedAt: integer('finished_at'),
    /** Machine-readable failure code (`stale`, `interrupted`, `executor_error`) next to `error`. */
    errorCode: text('error_code'),
    // Added by the Slack work (migration 0002).
    /** Why the action type raised the policy's `auto` to `ask` for these params (`ActionType.escalate`). */
    escalation: text('escalation'),
    /** The person the requester (an assistant) acted for; under require_approval they cannot decide either. */
    onBehalfOf: text('on_behalf_of'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('approvals_status_idx').on(t.workspace, t.status, t.createdAt)],
);

/**
 * Messages that show an approval to people through an approval channel (a Slack message per conversation),
 * so the process that watches approvals can update them in place when the approval changes.
 */
export const approvalMessages = sqliteTable(
  'approval_messages',
  {
    workspace: text('workspace').notNull(),
    approvalId: text('approval_id').notNull(),
    /** The approval channel's id, e.g. `slack`. */
    channel: text('channel').notNull(),
    /** Where the message is, in that channel's terms (a Slack conversation id); empty when it is shown nowhere. */
    destination: text('destination').notNull(),
    /** The channel's message reference (a Slack message ts); null while it is being posted. */
    messageId: text('message_id'),
    /** The approval's `version` the message shows. */
    shownVersion: integer('shown_version'),
    shownStatus: text('shown_status'),
    /** 1 once the message shows a terminal status (or the approval is shown nowhere): nothing left to update. */
    settled: integer('settled').notNull().default(0),
    claimedAt: integer('claimed_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.approvalId, t.channel, t.destination] }),
    index('approval_messages_open_idx').on(t.workspace, t.channel, t.settled),
  ],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    workspace: text('workspace').notNull(),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    type: text('type').notNull(),
    approvalId: text('approval_id'),
    actor: text('actor').notNull(),
    data: text('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.seq] }), index('audit_events_approval_idx').on(t.workspace, t.approvalId)],
);

/** Per-person API tokens (MCP over HTTP, CLI decisions): only the sha256 of a token is stored. */
export const tokens = sqliteTable(
  'tokens',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    personId: text('person_id').notNull(),
    /** JSON array of scopes: read, propose, write, decide. */
    scopes: text('scopes').notNull(),
    /** sha256 (hex) of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('tokens_hash_idx').on(t.tokenHash)],
);

/** Workspace settings kept with the data (e.g. `approvals.localTrust` for the demo workspace). */
export const workspaceSettings = sqliteTable(
  'workspace_settings',
  {
    workspace: text('workspace').notNull(),
    key: text('key').notNull(),
    /** JSON value. */
    value: text('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.key] })],
);

/**
 * Daily reports (DESIGN.md section 12): one per person and local day. The full-text index `reports_fts` (FTS5,
 * hand-written in migration 0010, its rowid `doc_id`) is kept in step with this table by triggers, in the same
 * transaction as every write.
 */
export const reports = sqliteTable(
  'reports',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    /** The row of the report in `reports_fts` (stable, unlike SQLite's implicit rowid, which VACUUM may renumber). */
    docId: integer('doc_id').notNull(),
    personId: text('person_id').notNull(),
    /** The person's local day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** Markdown, at most 20,000 characters. */
    text: text('text').notNull(),
    blockers: text('blockers'),
    /** mcp | cli | slack | api | import. */
    source: text('source').$type<'mcp' | 'cli' | 'slack' | 'api' | 'import'>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    uniqueIndex('reports_person_day_idx').on(t.workspace, t.personId, t.day),
    uniqueIndex('reports_doc_idx').on(t.docId),
    // Lists of a team or the whole workspace, newest day first.
    index('reports_day_idx').on(t.workspace, t.day),
    // Signals (person.blocked_streak): the days someone reported a blocker, from the index alone.
    index('reports_blocked_day_idx').on(t.workspace, t.day, t.personId).where(sql`trim(COALESCE(blockers, '')) <> ''`),
  ],
);

/** The earlier texts of a report whose day was submitted again (`seq` 1 is the first text). */
export const reportRevisions = sqliteTable(
  'report_revisions',
  {
    workspace: text('workspace').notNull(),
    reportId: text('report_id').notNull(),
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
    blockers: text('blockers'),
    source: text('source').notNull(),
    /** When this text was written (the report's `updated_at` then). */
    createdAt: integer('created_at').notNull(),
    /** When a newer text replaced it. */
    replacedAt: integer('replaced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.reportId, t.seq] })],
);

/**
 * Per-person opt-outs (DESIGN.md section 12): a row means the person does not want `kind` (`reminders`, `surveys`, `leaderboard`,
 * `wellbeing` signals). `source` says who set it: `config` (`people[].optOut`, replaced as the config changes) or
 * `person` (`teamstate people opt-out`, `ts.people.optOut`).
 */
export const personOptOuts = sqliteTable(
  'person_opt_outs',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').$type<'reminders' | 'surveys' | 'wellbeing'>().notNull(),
    source: text('source').$type<'config' | 'person'>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.kind, t.source] })],
);

/**
 * Erased people (`ts.people.erase`): the sha256 of each identifier they had (person id, account ids, email), each
 * mapped to the pseudonym their activity is kept under, so a later sync or import maps them to it instead of
 * bringing their identity or reports back. The identifiers themselves are never stored.
 */
export const erasures = sqliteTable(
  'erasures',
  {
    workspace: text('workspace').notNull(),
    /** sha256 (hex) of `<kind>:<value>` (`person:ana`, `account:github:1234`, `email:ana@acme.dev`). */
    keyHash: text('key_hash').notNull(),
    /** The person id the activity is kept under, `erased-<hex>`. */
    pseudonym: text('pseudonym').notNull(),
    erasedAt: integer('erased_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.keyHash] }), index('erasures_pseudonym_idx').on(t.workspace, t.pseudonym)],
);

/**
 * Daily usage of AI coding tools (DESIGN.md section 14): one row per day, tool and subject, where the subject is a
 * person (`person:<id>`), a team (`team:<id>`) or the whole organisation (`org`). Filled by the GitHub connector from
 * the Copilot usage-metrics reports, or by a bundle's `aiUsage`.
 */
export const aiUsage = sqliteTable(
  'ai_usage',
  {
    workspace: text('workspace').notNull(),
    day: text('day').notNull(),
    tool: text('tool').notNull(),
    /** `person:<id>`, `team:<id>` or `org`: the key that makes a later report of the same day replace the earlier. */
    subject: text('subject').notNull(),
    personId: text('person_id'),
    teamId: text('team_id'),
    activeUsers: integer('active_users').notNull(),
    interactions: integer('interactions').notNull(),
    codeGenerations: integer('code_generations').notNull(),
    acceptances: integer('acceptances').notNull(),
    linesSuggested: integer('lines_suggested').notNull(),
    linesAccepted: integer('lines_accepted').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.day, t.tool, t.subject] }),
    index('ai_usage_day_idx').on(t.workspace, t.day),
    index('ai_usage_person_idx').on(t.workspace, t.personId),
  ],
);

/**
 * Pull request surveys sent (DESIGN.md section 14): at most one per pull request and person, whatever redelivered
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

/**
 * Feedback about AI assistants (DESIGN.md section 15): what an assistant got wrong, in a category, with the
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

/**
 * Daily report reminders sent (`ts.reports.reminders`): one row per person and local day, claimed before the
 * DM is proposed, so a person is never reminded twice for a day, by a restarted or a second `teamstate serve`.
 */
export const reportReminders = sqliteTable(
  'report_reminders',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    /** The person's local day the reminder is for, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** When it was claimed (epoch ms, the injected clock). */
    sentAt: integer('sent_at').notNull(),
    /** The approval of the DM (`slack.dm.send`), once proposed. */
    approvalId: text('approval_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.day] })],
);

/**
 * Knowledge documents (DESIGN.md section 13): one markdown page from a source (`local` folders, `github`
 * repositories, `confluence` spaces), identified by its source and `uri`. `version` is what the source says
 * (blob sha, page version, or the content's sha256 for local files); `content_hash` is the sha256 of the text
 * that was chunked, so an unchanged document is never rewritten.
 */
export const knowledgeDocuments = sqliteTable(
  'knowledge_documents',
  {
    workspace: text('workspace').notNull(),
    /** `<source>:<uri>`. */
    id: text('id').notNull(),
    source: text('source').$type<KnowledgeSourceKind>().notNull(),
    /** Which configured source wrote it (`local`, `demo-handbook`, …): a sync removes only its own documents. */
    origin: text('origin').notNull(),
    /** A URL, or for local files their path. */
    uri: text('uri').notNull(),
    title: text('title').notNull(),
    repository: text('repository'),
    space: text('space'),
    path: text('path'),
    version: text('version').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: integer('updated_at').notNull(),
    author: text('author'),
    /** JSON array of the team ids allowed to see it; NULL: everyone in the workspace. */
    visibility: text('visibility'),
    indexedAt: integer('indexed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('knowledge_documents_origin_idx').on(t.workspace, t.origin)],
);

/**
 * The passages of a knowledge document, split at its headings. `chunk_id` is the row of the chunk in
 * `knowledge_fts` (FTS5, hand-written in the same migration; kept in step by triggers in the transaction of every
 * write): `title` and `headings` are indexed with more weight than `text`, and `terms` holds the parts of the code
 * identifiers in the text (`retry_backoff` → `retry backoff`, `maxRetries` → `max retries`), so both the whole
 * identifier and its parts are found.
 */
export const knowledgeChunks = sqliteTable(
  'knowledge_chunks',
  {
    workspace: text('workspace').notNull(),
    documentId: text('document_id').notNull(),
    position: integer('position').notNull(),
    chunkId: integer('chunk_id').notNull(),
    /** JSON array of the headings above the passage, outermost first. */
    headingPath: text('heading_path').notNull(),
    /** The document title, indexed with the passage. */
    title: text('title').notNull(),
    /** The heading path as words, indexed. */
    headings: text('headings').notNull(),
    /** The passage (markdown). */
    text: text('text').notNull(),
    /** Identifier parts and whole dotted names, indexed only. */
    terms: text('terms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.documentId, t.position] }), uniqueIndex('knowledge_chunks_chunk_idx').on(t.chunkId)],
);

/**
 * A repository's CODEOWNERS file, as a knowledge source read it (DESIGN.md section 13): evidence for `who_knows`,
 * never searched. `rules` is the parsed file (JSON array of `{ line, pattern, owners }`, in file order: the last
 * rule matching a path wins). It follows the documents' lifecycle: kept while the source puts or keeps it, removed
 * when the file is gone.
 */
export const knowledgeCodeowners = sqliteTable(
  'knowledge_codeowners',
  {
    workspace: text('workspace').notNull(),
    /** `<source>:<uri>`. */
    id: text('id').notNull(),
    /** Which configured source wrote it. */
    origin: text('origin').notNull(),
    /** The file's URL. */
    uri: text('uri').notNull(),
    /** `owner/name`. */
    repository: text('repository').notNull(),
    /** `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`. */
    path: text('path').notNull(),
    /** The blob sha. */
    version: text('version').notNull(),
    contentHash: text('content_hash').notNull(),
    /** JSON array of `{ line, pattern, owners }`. */
    rules: text('rules').notNull(),
    updatedAt: integer('updated_at').notNull(),
    indexedAt: integer('indexed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    index('knowledge_codeowners_origin_idx').on(t.workspace, t.origin),
    index('knowledge_codeowners_repository_idx').on(t.workspace, t.repository),
  ],
);
