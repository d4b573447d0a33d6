import type { StatusCategory, WorkItem, WorkItemKind } from '@teamstate/core';
import type { Changelog, Issue } from 'jira.js/cloud';
import type { SiteFields } from '../client/site-fields.js';
import { userOf } from '../sync/jira-users.js';
import { type SprintHistory, type SprintRef, sprintHistory, sprintRefs } from '../sync/sprint-membership.js';
import { adfToText } from './adf.js';
import { dueDayEnd, jiraInstant, jiraIso } from './jira-time.js';
import { categoryOfKey, type StatusCategories } from './status-categories.js';
import { statusTransitions } from './status-transitions.js';

/** The work item id of a Jira issue: its numeric id, which survives moving the issue to another project (the key does not). */
export const workItemId = (issueId: string): string => `jira-${issueId}`;

/** The sprint id of a Jira sprint. */
export const sprintRecordId = (sprintId: number): string => `jira-sprint-${sprintId}`;

/** Longest description kept as `body`. */
const MAX_BODY = 20_000;

/** What mapping an issue needs besides the issue. */
export interface IssueMappingContext {
  fields: SiteFields;
  categories: StatusCategories;
  siteUrl: string;
  /** The team that owns a project key. */
  teamOf(projectKey: string): string | undefined;
  /** Whether a Jira sprint is synced (work items may only point at stored sprints). */
  isKnownSprint(sprintId: number): boolean;
  /** The person id of a Jira account id (`undefined` for bots and unknown accounts). */
  personOf(accountId: string): string | undefined;
}

/** The fields a search asks for: only those the mapping reads. */
export function issueFieldsToFetch(fields: SiteFields): string[] {
  return [
    'summary',
    'issuetype',
    'status',
    'project',
    'assignee',
    'reporter',
    'creator',
    'created',
    'updated',
    'resolutiondate',
    'duedate',
    'labels',
    'components',
    'parent',
    'issuelinks',
    'description',
    ...fields.storyPoints,
    ...(fields.sprint ? [fields.sprint] : []),
    ...(fields.flagged ? [fields.flagged] : []),
    ...(fields.epicLink ? [fields.epicLink] : []),
  ];
}

/** The names of an issue's components (`fields.components`), when it has any. */
function componentsOf(components: unknown): { components?: string[] } {
  const names = Array.isArray(components)
    ? components.flatMap((c: { name?: unknown } | null) => (typeof c?.name === 'string' && c.name !== '' ? [c.name] : []))
    : [];
  return names.length > 0 ? { components: names } : {};
}

/** Users an issue mentions (assignee, reporter, creator), for identity resolution. */
export function issueUsers(issue: Issue) {
  const f = issue.fields ?? {};
  return [userOf(f.assignee), userOf(f.reporter), userOf(f.creator)];
}

function kindOf(issueType: { name?: unknown; subtask?: unknown; hierarchyLevel?: unknown } | undefined): WorkItemKind {
  const name = String(issueType?.name ?? '').toLowerCase();
  if (name === 'epic' || issueType?.hierarchyLevel === 1) return 'epic';
  if (name === 'story' || name === 'user story') return 'story';
  if (name === 'bug' || name === 'defect') return 'bug';
  if (name === 'task' || name === 'sub-task' || name === 'subtask' || issueType?.subtask === true) return 'task';
  return 'issue';
}

// The sprint an item is "in" now: the active one, else the next future one, else the last closed one.
function currentSprint(refs: SprintRef[], known: (id: number) => boolean): number | undefined {
  const synced = refs.filter((r) => known(r.id));
  const active = synced.find((r) => r.state === 'active');
  if (active) return active.id;
  const future = synced.filter((r) => r.state === 'future').sort((a, b) => (a.startAt ?? a.id) - (b.startAt ?? b.id))[0];
  if (future) return future.id;
  return synced.sort((a, b) => (b.endAt ?? b.id) - (a.endAt ?? a.id))[0]?.id;
}

/**
 * Maps an issue and its complete change history to a work item (every column, so the upsert is exact)
 * and the issue's sprint history (for committed scope). `undefined` when Jira gave no id, key, status
 * or creation date (never seen in practice; such an issue cannot be stored).
 */
export function mapIssue(
  issue: Issue,
  histories: readonly Changelog[],
  ctx: IssueMappingContext,
): { item: WorkItem; sprints: SprintHistory } | undefined {
  const f = issue.fields ?? {};
  const createdAt = jiraInstant(f.created);
  const statusName = typeof f.status?.name === 'string' ? f.status.name : undefined;
  if (!issue.id || !issue.key || createdAt === undefined || !statusName) return undefined;
  const statusCategory: StatusCategory = ctx.categories.of(f.status?.id, statusName) ?? categoryOfKey(f.status?.statusCategory?.key);
  const transitions = statusTransitions(histories, ctx.categories, { name: statusName, category: statusCategory });
  const refs = ctx.fields.sprint ? sprintRefs(f[ctx.fields.sprint]) : [];
  const sprint = currentSprint(refs, ctx.isKnownSprint);
  const points = ctx.fields.storyPoints.map((id) => f[id]).find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  const flaggedValue = ctx.fields.flagged ? f[ctx.fields.flagged] : undefined;
  const flagged = (Array.isArray(flaggedValue) && flaggedValue.length > 0) || statusName.toLowerCase() === 'blocked';
  const parent =
    typeof f.parent?.key === 'string'
      ? f.parent.key
      : ctx.fields.epicLink && typeof f[ctx.fields.epicLink] === 'string'
        ? f[ctx.fields.epicLink]
        : undefined;
  // Workflows that never set a resolution still finish: then the last move into a done status counts.
  const resolvedAt =
    jiraIso(f.resolutiondate) ??
    (statusCategory === 'done' ? transitions.filter((t) => t.toCategory === 'done' && t.fromCategory !== 'done').at(-1)?.at : undefined);
  const assignee = userOf(f.assignee);
  const author = userOf(f.reporter) ?? userOf(f.creator);
  const assigneePerson = assignee ? ctx.personOf(assignee.accountId) : undefined;
  const authorPerson = author ? ctx.personOf(author.accountId) : undefined;
  const projectKey = typeof f.project?.key === 'string' ? f.project.key : issue.key.replace(/-\d+$/, '');
  const team = ctx.teamOf(projectKey);
  const body = adfToText(f.description).slice(0, MAX_BODY);
  const updatedAt = jiraIso(f.updated);
  const dueAt = dueDayEnd(f.duedate);
  const item: WorkItem = {
    id: workItemId(issue.id),
    source: 'jira',
    kind: kindOf(f.issuetype),
    key: issue.key,
    title: typeof f.summary === 'string' ? f.summary : '',
    state: statusName,
    statusCategory,
    ...(team ? { team } : {}),
    ...(authorPerson ? { author: authorPerson } : {}),
    assignees: assigneePerson ? [assigneePerson] : [],
    createdAt: new Date(createdAt).toISOString(),
    ...(updatedAt ? { updatedAt } : {}),
    ...(resolvedAt && statusCategory === 'done' ? { resolvedAt } : {}),
    ...(dueAt ? { dueAt } : {}),
    labels: Array.isArray(f.labels) ? f.labels.filter((l: unknown): l is string => typeof l === 'string') : [],
    ...componentsOf(f.components),
    ...(points === undefined ? {} : { storyPoints: points }),
    ...(sprint === undefined ? {} : { sprint: sprintRecordId(sprint) }),
    transitions,
    flagged,
    ...(parent ? { parent } : {}),
    url: `${ctx.siteUrl}/browse/${issue.key}`,
    ...(body ? { body } : {}),
  };
  return {
    item,
    sprints: sprintHistory(
      histories,
      ctx.fields.sprint,
      createdAt,
      refs.map((r) => r.id),
    ),
  };
}
