import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Deployment } from '../../kernel/model/delivery.js';

// Deployments and incidents, and the delivery rows derived from them per metric-settings key.

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
    // Covering for "production deployments finished in a window" (deployment_frequency, change_failure_rate and
    // rework_rate's totals): the status and environment checked in the index, no table row read. Also the deployments
    // finished in a window (an incident brief's suspects): a range of its leading columns (migration 0071 dropped
    // deployments_finished_idx, which held only those).
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
    // A PR's deploying deployment is one seek of the primary key and its row (migration 0071 dropped a covering copy).
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
