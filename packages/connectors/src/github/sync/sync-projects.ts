import { type Sprint, type StatusCategory, type SyncContext, TeamStateError, type WorkItem, type WorkItemLink } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import { ISSUE_LINKS, type IssueRef, type LinkEnd, namedLinks, projectIssueId, storeOutsideIssues } from './outside-issues.js';

export { projectIssueId };

/** Items per GraphQL page (each with up to 20 field values): about one point per page. */
const PAGE = 100;
const DAY = 24 * 3_600_000;

// Field values name their field; iterations and their dates come from the project's iteration field.
const PROJECT_ITEMS = `query ProjectItems($org: String!, $number: Int!, $after: String) {
  organization(login: $org) {
    projectV2(number: $number) {
      title
      fields(first: 50) {
        nodes {
          ... on ProjectV2IterationField {
            name
            configuration {
              iterations { id title startDate duration }
              completedIterations { id title startDate duration }
            }
          }
        }
      }
      items(first: ${PAGE}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          content {
            __typename
            ... on Issue {
              number title state url createdAt updatedAt closedAt repository { nameWithOwner }
              ${ISSUE_LINKS}
            }
          }
          fieldValues(first: 20) {
            nodes {
              __typename
              ... on ProjectV2ItemFieldSingleSelectValue { name field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldIterationValue { iterationId field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldNumberValue { number field { ... on ProjectV2FieldCommon { name } } }
            }
          }
        }
      }
    }
  }
}`;

interface Iteration {
  id: string;
  title: string;
  startDate: string;
  duration: number;
}
interface FieldValue {
  __typename: string;
  name?: string;
  iterationId?: string;
  number?: number;
  field?: { name?: string } | null;
}
interface ProjectItemsResponse {
  organization: {
    projectV2: {
      title: string;
      fields: { nodes: ({ name?: string; configuration?: { iterations: Iteration[]; completedIterations: Iteration[] } } | null)[] };
      items: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({
          content: {
            __typename: string;
            number?: number;
            title?: string;
            state?: 'OPEN' | 'CLOSED';
            url?: string;
            createdAt?: string;
            updatedAt?: string;
            closedAt?: string | null;
            repository?: { nameWithOwner: string };
            /** The issue this one is a sub-issue of. */
            parent?: IssueRef | null;
            /** The issues blocking this one (its dependencies). */
            blockedBy?: { nodes: (IssueRef | null)[] };
          } | null;
          fieldValues: { nodes: (FieldValue | null)[] };
        } | null)[];
      };
    } | null;
  } | null;
}

const STATUS = /^status$/i;
const ITERATION = /^(iteration|sprint)$/i;
const ESTIMATE = /^(estimate|story points|points)$/i;

/** The category of a Status option by its name: Todo/Backlog → todo, In Progress/In Review → in progress, Done → done. */
export function statusCategoryOf(status: string): StatusCategory | undefined {
  const name = status.trim().toLowerCase();
  if (name === 'todo' || name === 'to do' || name === 'backlog') return 'todo';
  if (name === 'in progress' || name === 'in review') return 'in_progress';
  if (name === 'done') return 'done';
  return undefined;
}

/**
 * The items of each configured project (`<org>/<number>`) that are issues, as work items: the Status field's option
 * (found by name, case-insensitively) as state and status category, the Iteration (or Sprint) field as the sprint
 * `<org>/<number>-<iteration id>` (from its start for its duration, of the team owning the repository), and the
 * Estimate (Story Points, Points) field as points; the issues blocking each (dependencies) and its parent (sub-issues)
 * as work item links. One GraphQL query per 100 items; blockers and parents outside the projects that are not stored
 * yet are read after the project's pages (see {@link storeOutsideIssues}).
 */
export async function syncProjects(
  ctx: SyncContext,
  client: GitHubClient,
  options: {
    projects: readonly string[];
    teamOf(repository: string): string | undefined;
    spellingOf(repository: string): string;
    configuredTeams: readonly { id: string; name: string }[];
  },
): Promise<void> {
  for (const project of options.projects) {
    const [org = '', number = '0'] = project.split('/');
    ctx.progress({ phase: `project ${project}` });
    const sprints = new Map<string, Sprint>();
    const links: WorkItemLink[] = [];
    const relinked: string[] = [];
    const ends = new Map<string, LinkEnd>();
    const items: string[] = [];
    for (let after: string | null = null, first = true; first || after; first = false) {
      const data: ProjectItemsResponse = await client.graphql<ProjectItemsResponse>(PROJECT_ITEMS, { org, number: Number(number), after });
      const board = data.organization?.projectV2;
      if (!board)
        throw new TeamStateError(
          'invalid_config',
          `github.projects: project ${project} was not found (or the token cannot read it: it needs read:project)`,
        );
      const iterations = new Map<string, Iteration>();
      for (const field of board.fields.nodes)
        if (field?.name && ITERATION.test(field.name) && field.configuration)
          for (const it of [...field.configuration.iterations, ...field.configuration.completedIterations]) iterations.set(it.id, it);
      const workItems: WorkItem[] = [];
      for (const item of board.items.nodes) {
        const issue = item?.content;
        if (!item || !issue || issue.__typename !== 'Issue' || !issue.repository || issue.number === undefined) continue;
        const repository = options.spellingOf(issue.repository.nameWithOwner);
        const team = options.teamOf(repository);
        const values = item.fieldValues.nodes.filter((v): v is FieldValue => v !== null);
        const named = (pattern: RegExp) => values.find((v) => v.field?.name && pattern.test(v.field.name));
        const status = named(STATUS)?.name;
        const points = named(ESTIMATE)?.number;
        const iterationId = named(ITERATION)?.iterationId;
        const workItem: WorkItem = {
          id: projectIssueId(repository, issue.number),
          source: 'github',
          kind: 'issue',
          key: `${repository}#${issue.number}`,
          title: issue.title ?? '',
          state: status ?? (issue.state === 'CLOSED' ? 'Done' : 'Todo'),
          repository,
          createdAt: new Date(issue.createdAt ?? 0).toISOString(),
          updatedAt: new Date(issue.updatedAt ?? issue.createdAt ?? 0).toISOString(),
          labels: [],
          assignees: [],
          ...(issue.url ? { url: issue.url } : {}),
        };
        const category = status ? statusCategoryOf(status) : issue.state === 'CLOSED' ? 'done' : 'todo';
        if (category) workItem.statusCategory = category;
        if (team) workItem.team = team;
        if (points !== undefined) workItem.storyPoints = points;
        if (issue.closedAt) workItem.resolvedAt = new Date(issue.closedAt).toISOString();
        const iteration = iterationId ? iterations.get(iterationId) : undefined;
        if (iteration && team) {
          const id = `${project}-${iteration.id}`;
          workItem.sprint = id;
          if (!sprints.has(id)) {
            const start = Date.parse(`${iteration.startDate}T00:00:00Z`);
            const end = start + iteration.duration * DAY;
            const now = ctx.now().getTime();
            sprints.set(id, {
              id,
              name: iteration.title,
              team,
              state: now < start ? 'future' : now < end ? 'active' : 'closed',
              startAt: new Date(start).toISOString(),
              endAt: new Date(end).toISOString(),
            });
          }
        }
        workItems.push(workItem);
        items.push(workItem.id);
        // GitHub names a dependency and a sub-issue on the blocked issue and the sub-issue: the item's links to it.
        if (issue.blockedBy) {
          relinked.push(workItem.id);
          links.push(...namedLinks(workItem.id, issue, options.spellingOf, ends));
        }
      }
      await ctx.emit({ ...(sprints.size ? { sprints: [...sprints.values()] } : {}), workItems });
      after = board.items.pageInfo.hasNextPage ? board.items.pageInfo.endCursor : null;
    }
    // After the project's last page, with the issues outside the projects it names read, when both ends are stored.
    if (relinked.length === 0) continue;
    const outside = await storeOutsideIssues(ctx, client, options, { name: project, items: new Set(items), ends });
    const all = [...links, ...outside.links];
    const known = await ctx.existing('work item', [...new Set(all.map((l) => l.from))]);
    await ctx.emit(
      { workItemLinks: all.filter((l) => known.has(l.from)) },
      { replaceLinks: { items: [...relinked, ...outside.read], sides: 'to', kinds: ['blocks', 'parent'] } },
    );
  }
}
