import type { AiAssessment } from '../../kernel/model/ai.js';
import type { Deployment, Incident, IncidentEvent, Sprint } from '../../kernel/model/delivery.js';
import type { Account, Person, Repository, Team } from '../../kernel/model/identity.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Review, Transition, WorkItem } from '../../kernel/model/work-item.js';
import { compact } from '../../kernel/store/row-mapping.js';
import type {
  AccountInsert,
  AccountRow,
  DeploymentInsert,
  DeploymentRow,
  IncidentInsert,
  IncidentRow,
  PersonInsert,
  PersonRow,
  RepositoryInsert,
  RepositoryRow,
  ReviewInsert,
  ReviewRow,
  SprintInsert,
  SprintRow,
  TeamInsert,
  TeamRow,
  TransitionInsert,
  TransitionRow,
  WorkItemInsert,
  WorkItemRow,
} from '../rows.js';
import { storedUrl, urlOfRow } from './work-item-url.js';

// One checked mapping per record between its zod model (model/) and its row (rows.ts): the bundle
// import and sync write with the `…ToRow` functions, the export and the readers read with `…FromRow`.
// Both sides are typed by the drizzle table, so a renamed or misspelt column fails to compile here.

/** ISO timestamp → epoch ms column (NULL when absent). */
export const ms = (value: string | undefined): number | null => (value === undefined ? null : (parseTimestamp(value) ?? null));
/** Boolean → 0/1 column (NULL when absent). */
export const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);
/** Epoch ms column → ISO timestamp (`undefined` for NULL). */
export const iso = (value: number | null): string | undefined => (value === null ? undefined : formatTimestamp(value));
/** Nullable column → optional property. */
export const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
/** 0/1 column → optional boolean. */
export const bool = (value: number | null): boolean | undefined => (value === null ? undefined : value === 1);

/** A team's row (its members are `memberships` rows). */
export const teamToRow = (workspace: string, team: Team): TeamInsert => ({ workspace, id: team.id, name: team.name });
/** Maps a `teams` row. */
export const teamFromRow = (row: TeamRow): Pick<Team, 'id' | 'name'> => ({ id: row.id, name: row.name });

/** A person's row; the email is stored lower-case so lookups by email ignore case. */
export const personToRow = (workspace: string, person: Person): PersonInsert => ({
  workspace,
  id: person.id,
  name: person.name,
  email: person.email?.toLowerCase(),
  timeZone: person.timeZone,
  joinedAt: ms(person.joinedAt),
});
/** Maps a `people` row plus its memberships and accounts. */
export const personFromRow = (row: PersonRow, teams: string[], accounts: Account[]): Person =>
  compact({
    id: row.id,
    name: row.name,
    email: opt(row.email),
    teams,
    accounts,
    timeZone: opt(row.timeZone),
    joinedAt: row.joinedAt === null ? undefined : formatTimestamp(row.joinedAt),
  });

/** An account's row, linking it to its person. */
export const accountToRow = (workspace: string, personId: string, account: Account): AccountInsert => ({
  workspace,
  provider: account.provider,
  externalId: account.id,
  login: account.login,
  personId,
});
/** Maps an `accounts` row. */
export const accountFromRow = (row: AccountRow): Account => compact({ provider: row.provider, id: row.externalId, login: opt(row.login) });

/** A repository's row. */
export const repositoryToRow = (workspace: string, repository: Repository): RepositoryInsert => ({
  workspace,
  id: repository.id,
  teamId: repository.team,
});
/** Maps a `repositories` row. */
export const repositoryFromRow = (row: RepositoryRow): Repository => compact({ id: row.id, team: opt(row.teamId) });

/** A work item's row (assignees, reviews and transitions are child rows). */
export const workItemToRow = (workspace: string, item: WorkItem): WorkItemInsert => ({
  workspace,
  id: item.id,
  source: item.source,
  kind: item.kind,
  key: item.key,
  title: item.title,
  state: item.state,
  statusCategory: item.statusCategory,
  teamId: item.team,
  repositoryId: item.repository,
  authorId: item.author,
  createdAt: ms(item.createdAt)!,
  updatedAt: ms(item.updatedAt),
  firstCommitAt: ms(item.firstCommitAt),
  readyAt: ms(item.readyAt),
  mergedAt: ms(item.mergedAt),
  closedAt: ms(item.closedAt),
  resolvedAt: ms(item.resolvedAt),
  dueAt: ms(item.dueAt),
  draft: flag(item.draft),
  additions: item.additions,
  deletions: item.deletions,
  storyPoints: item.storyPoints,
  sprintId: item.sprint,
  labels: item.labels === undefined ? null : JSON.stringify(item.labels),
  paths: item.paths === undefined ? null : JSON.stringify(item.paths),
  components: item.components === undefined ? null : JSON.stringify(item.components),
  flagged: flag(item.flagged),
  parent: item.parent,
  headSha: item.headSha,
  url: storedUrl(item),
  body: item.body,
  aiAssisted: item.ai === undefined || item.ai.assisted === null ? null : item.ai.assisted ? 1 : 0,
  ai: item.ai === undefined ? null : JSON.stringify(item.ai),
});

/** Maps a `work_items` row plus its child rows. */
export function workItemFromRow(
  row: WorkItemRow,
  children: { assignees?: string[]; reviews?: Review[]; transitions?: Transition[]; requestedReviewers?: string[] },
): WorkItem {
  return compact({
    id: row.id,
    source: row.source,
    kind: row.kind,
    key: row.key,
    title: row.title,
    state: row.state,
    team: opt(row.teamId),
    repository: opt(row.repositoryId),
    author: opt(row.authorId),
    assignees: children.assignees?.length ? children.assignees : undefined,
    createdAt: formatTimestamp(row.createdAt),
    updatedAt: iso(row.updatedAt),
    firstCommitAt: iso(row.firstCommitAt),
    readyAt: iso(row.readyAt),
    mergedAt: iso(row.mergedAt),
    closedAt: iso(row.closedAt),
    resolvedAt: iso(row.resolvedAt),
    dueAt: iso(row.dueAt),
    draft: bool(row.draft),
    labels: row.labels === null ? undefined : (JSON.parse(row.labels) as string[]),
    paths: row.paths === null ? undefined : (JSON.parse(row.paths) as string[]),
    components: row.components === null ? undefined : (JSON.parse(row.components) as string[]),
    additions: opt(row.additions),
    deletions: opt(row.deletions),
    reviews: children.reviews?.length ? children.reviews : undefined,
    requestedReviewers: children.requestedReviewers?.length ? children.requestedReviewers : undefined,
    statusCategory: opt(row.statusCategory),
    storyPoints: opt(row.storyPoints),
    sprint: opt(row.sprintId),
    transitions: children.transitions?.length ? children.transitions : undefined,
    flagged: bool(row.flagged),
    parent: opt(row.parent),
    headSha: opt(row.headSha),
    url: urlOfRow(row),
    body: opt(row.body),
    ai: row.ai === null ? undefined : (JSON.parse(row.ai) as AiAssessment),
  });
}

/** A review's row; `seq` is its position in the work item's list. */
export const reviewToRow = (workspace: string, workItemId: string, seq: number, review: Review): ReviewInsert => ({
  workspace,
  workItemId,
  seq,
  reviewerId: review.reviewer,
  state: review.state,
  submittedAt: ms(review.submittedAt)!,
});
/** Maps a `reviews` row. */
export const reviewFromRow = (row: ReviewRow): Review => ({
  reviewer: row.reviewerId,
  state: row.state,
  submittedAt: formatTimestamp(row.submittedAt),
});

/** A status transition's row; `seq` is its position in the work item's list. */
export const transitionToRow = (workspace: string, workItemId: string, seq: number, transition: Transition): TransitionInsert => ({
  workspace,
  workItemId,
  seq,
  at: ms(transition.at)!,
  fromStatus: transition.from,
  toStatus: transition.to,
  fromCategory: transition.fromCategory,
  toCategory: transition.toCategory,
});
/** Maps a `transitions` row. */
export const transitionFromRow = (row: TransitionRow): Transition => ({
  at: formatTimestamp(row.at),
  from: row.fromStatus,
  to: row.toStatus,
  fromCategory: row.fromCategory,
  toCategory: row.toCategory,
});

/** A sprint's row (committed items are `sprint_committed_items` rows). */
export const sprintToRow = (workspace: string, sprint: Sprint): SprintInsert => ({
  workspace,
  id: sprint.id,
  name: sprint.name,
  teamId: sprint.team,
  state: sprint.state,
  startAt: ms(sprint.startAt)!,
  endAt: ms(sprint.endAt)!,
  completedAt: ms(sprint.completedAt),
});
/** Maps a `sprints` row plus its committed items. */
export const sprintFromRow = (row: SprintRow, committedItems: string[]): Sprint =>
  compact({
    id: row.id,
    name: row.name,
    team: row.teamId,
    state: row.state,
    startAt: formatTimestamp(row.startAt),
    endAt: formatTimestamp(row.endAt),
    completedAt: iso(row.completedAt),
    committedItems,
  });

/** A deployment's row; `has_pull_request_list` tells an empty PR list from an absent one. */
export const deploymentToRow = (workspace: string, deployment: Deployment): DeploymentInsert => ({
  workspace,
  id: deployment.id,
  repositoryId: deployment.repository,
  environment: deployment.environment,
  status: deployment.status,
  startedAt: ms(deployment.startedAt),
  finishedAt: ms(deployment.finishedAt)!,
  sha: deployment.sha,
  hasPullRequestList: deployment.pullRequests === undefined ? 0 : 1,
});
/** Maps a `deployments` row plus its PR list (only when the deployment has one). */
export const deploymentFromRow = (row: DeploymentRow, pullRequests: string[]): Deployment =>
  compact({
    id: row.id,
    repository: row.repositoryId,
    environment: row.environment,
    status: row.status,
    startedAt: iso(row.startedAt),
    finishedAt: formatTimestamp(row.finishedAt),
    sha: opt(row.sha),
    pullRequests: row.hasPullRequestList === 1 ? pullRequests : undefined,
  });

/** An incident's row; responders and timeline as JSON (timeline instants in epoch ms). */
export const incidentToRow = (workspace: string, incident: Incident): IncidentInsert => ({
  workspace,
  id: incident.id,
  title: incident.title,
  severity: incident.severity,
  createdAt: ms(incident.createdAt)!,
  resolvedAt: ms(incident.resolvedAt),
  repositoryId: incident.repository,
  deploymentId: incident.deployment,
  source: incident.source,
  externalId: incident.externalId,
  service: incident.service,
  teamId: incident.team,
  urgency: incident.urgency,
  status: incident.status,
  acknowledgedAt: ms(incident.acknowledgedAt),
  responders: incident.responders === undefined ? null : JSON.stringify(incident.responders),
  timeline:
    incident.timeline === undefined
      ? null
      : JSON.stringify(incident.timeline.map((e) => compact({ at: ms(e.at), kind: e.kind, actor: e.actor, text: e.text }))),
});
/** Maps an `incidents` row. */
export const incidentFromRow = (row: IncidentRow): Incident =>
  compact({
    id: row.id,
    title: row.title,
    severity: opt(row.severity),
    createdAt: formatTimestamp(row.createdAt),
    resolvedAt: iso(row.resolvedAt),
    repository: opt(row.repositoryId),
    deployment: opt(row.deploymentId),
    source: opt(row.source),
    externalId: opt(row.externalId),
    service: opt(row.service),
    team: opt(row.teamId),
    urgency: opt(row.urgency) as Incident['urgency'],
    status: opt(row.status) as Incident['status'],
    acknowledgedAt: iso(row.acknowledgedAt),
    responders: row.responders === null ? undefined : (JSON.parse(row.responders) as string[]),
    timeline:
      row.timeline === null
        ? undefined
        : (JSON.parse(row.timeline) as { at: number; kind: IncidentEvent['kind']; actor?: string; text?: string }[]).map((e) =>
            compact({ at: formatTimestamp(e.at), kind: e.kind, actor: e.actor, text: e.text }),
          ),
  });

/** Groups rows by a key into lists mapped by `map`. */
export function groupBy<R, T>(rows: readonly R[], keyOf: (row: R) => string, map: (row: R) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(map(row));
    else groups.set(key, [map(row)]);
  }
  return groups;
}
