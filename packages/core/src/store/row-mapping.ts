import type { Row } from '@libsql/client';
import type { Deployment, Incident, Sprint } from '../model/delivery.js';
import type { Person, Repository, Team } from '../model/identity.js';
import { formatTimestamp } from '../model/timestamp.js';
import type { Review, StatusCategory, Transition, WorkItem, WorkItemKind } from '../model/work-item.js';

/** Epoch ms column → ISO string, `undefined` for NULL. */
export const iso = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : formatTimestamp(Number(value));
/** Nullable text column → string | undefined. */
export const str = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
/** Nullable number column → number | undefined. */
export const num = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));
/** Nullable 0/1 column → boolean | undefined. */
export const bool = (value: unknown): boolean | undefined => (value === null || value === undefined ? undefined : Number(value) === 1);

/** Drops `undefined` properties so records serialize compactly and compare equal. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** Maps a `teams` row. */
export const teamFromRow = (row: Row): Pick<Team, 'id' | 'name'> => ({ id: String(row.id), name: String(row.name) });

/** Maps a `repositories` row. */
export const repositoryFromRow = (row: Row): Repository => compact({ id: String(row.id), team: str(row.team_id) });

/** Maps a `people` row plus its memberships and accounts. */
export function personFromRow(row: Row, teams: string[], accounts: Person['accounts']): Person {
  return compact({ id: String(row.id), name: String(row.name), email: str(row.email), teams, accounts });
}

/** Maps a `work_items` row plus its child rows. */
export function workItemFromRow(row: Row, children: { assignees?: string[]; reviews?: Review[]; transitions?: Transition[] }): WorkItem {
  return compact({
    id: String(row.id),
    source: String(row.source),
    kind: String(row.kind) as WorkItemKind,
    key: String(row.key),
    title: String(row.title),
    state: String(row.state),
    team: str(row.team_id),
    repository: str(row.repository_id),
    author: str(row.author_id),
    assignees: children.assignees?.length ? children.assignees : undefined,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at),
    firstCommitAt: iso(row.first_commit_at),
    readyAt: iso(row.ready_at),
    mergedAt: iso(row.merged_at),
    closedAt: iso(row.closed_at),
    resolvedAt: iso(row.resolved_at),
    dueAt: iso(row.due_at),
    draft: bool(row.draft),
    labels: row.labels === null ? undefined : (JSON.parse(String(row.labels)) as string[]),
    additions: num(row.additions),
    deletions: num(row.deletions),
    reviews: children.reviews?.length ? children.reviews : undefined,
    statusCategory: str(row.status_category) as StatusCategory | undefined,
    storyPoints: num(row.story_points),
    sprint: str(row.sprint_id),
    transitions: children.transitions?.length ? children.transitions : undefined,
    flagged: bool(row.flagged),
    parent: str(row.parent),
    headSha: str(row.head_sha),
    url: str(row.url),
    body: str(row.body),
  });
}

/** Maps a `reviews` row. */
export const reviewFromRow = (row: Row): Review => ({
  reviewer: String(row.reviewer_id),
  state: String(row.state) as Review['state'],
  submittedAt: iso(row.submitted_at)!,
});

/** Maps a `transitions` row. */
export const transitionFromRow = (row: Row): Transition => ({
  at: iso(row.at)!,
  from: str(row.from_status) ?? null,
  to: String(row.to_status),
  fromCategory: (str(row.from_category) as StatusCategory | undefined) ?? null,
  toCategory: String(row.to_category) as StatusCategory,
});

/** Maps a `sprints` row plus its committed items. */
export const sprintFromRow = (row: Row, committedItems: string[]): Sprint =>
  compact({
    id: String(row.id),
    name: String(row.name),
    team: String(row.team_id),
    state: String(row.state) as Sprint['state'],
    startAt: iso(row.start_at)!,
    endAt: iso(row.end_at)!,
    completedAt: iso(row.completed_at),
    committedItems,
  });

/** Maps a `deployments` row plus its PR list (only when the deployment has one). */
export const deploymentFromRow = (row: Row, pullRequests: string[]): Deployment =>
  compact({
    id: String(row.id),
    repository: String(row.repository_id),
    environment: String(row.environment),
    status: String(row.status) as Deployment['status'],
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at)!,
    sha: str(row.sha),
    pullRequests: Number(row.has_pull_request_list) === 1 ? pullRequests : undefined,
  });

/** Maps an `incidents` row. */
export const incidentFromRow = (row: Row): Incident =>
  compact({
    id: String(row.id),
    title: String(row.title),
    severity: str(row.severity),
    createdAt: iso(row.created_at)!,
    resolvedAt: iso(row.resolved_at),
    repository: str(row.repository_id),
    deployment: str(row.deployment_id),
  });

/** Groups rows by a column into lists mapped by `map`. */
export function groupBy<T>(rows: readonly Row[], column: string, map: (row: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = String(row[column]);
    const list = groups.get(key);
    if (list) list.push(map(row));
    else groups.set(key, [map(row)]);
  }
  return groups;
}
