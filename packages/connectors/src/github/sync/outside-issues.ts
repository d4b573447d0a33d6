import type { SyncContext, WorkItem, WorkItemLink } from '@teamstate/core';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { GitHubClient } from '../client/github-client.js';
import type { ActorNode } from '../client/graphql-types.js';
import { PeopleLookup } from '../map/github-accounts.js';

/** Issues per query (one alias each). */
const PER_QUERY = 100;
/** How far up a chain of outside issues the reading goes: each step is at least one query. */
const MAX_ROUNDS = 10;
/** Issues named as blocking each one (GitHub allows at most 50 per issue). */
const BLOCKED_BY = 50;
/** A project's cursor of the outside issues GitHub could not find (deleted, or in a repository the token cannot read). */
const unreadableCursor = (project: string) => `project:${project}:unreadable`;
/** A project's cursor of the outside issues read: the `updatedAt` each had then, by work item id. */
const readCursor = (project: string) => `project:${project}:outside`;

/** An issue as another names it (its dependency or parent). */
export interface IssueRef {
  number: number;
  /** When the issue last changed (named this way, an issue read earlier is read again once it changes). */
  updatedAt?: string;
  repository: { nameWithOwner: string };
}

interface OutsideIssue extends IssueRef {
  title: string;
  state: 'OPEN' | 'CLOSED';
  url: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  assignees: { nodes: (ActorNode | null)[] };
  parent: IssueRef | null;
  blockedBy: { nodes: (IssueRef | null)[] };
}

/** What an issue's links name: where a dependency or a parent points, to be read when not stored. */
export interface LinkEnd {
  repository: string;
  number: number;
  updatedAt?: string;
}

/** The work item id of a GitHub issue: `gh-issue-acme/api#12`. */
export const projectIssueId = (repository: string, number: number) => `gh-issue-${repository}#${number}`;

/** The links an issue names: from each issue blocking it, and from its parent (it is a sub-issue). */
export function namedLinks(
  to: string,
  issue: { parent?: IssueRef | null; blockedBy?: { nodes: (IssueRef | null)[] } },
  spellingOf: (repository: string) => string,
  ends: Map<string, LinkEnd>,
): WorkItemLink[] {
  const ref = (r: IssueRef) => {
    const repository = spellingOf(r.repository.nameWithOwner);
    const id = projectIssueId(repository, r.number);
    ends.set(id, { repository, number: r.number, ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}) });
    return id;
  };
  const links: WorkItemLink[] = [];
  for (const blocker of issue.blockedBy?.nodes ?? []) if (blocker) links.push({ from: ref(blocker), to, kind: 'blocks' });
  if (issue.parent) links.push({ from: ref(issue.parent), to, kind: 'parent' });
  return links;
}

/** The dependencies and parent of an issue, as the projects' query and this one read them. */
export const ISSUE_LINKS = `parent { number updatedAt repository { nameWithOwner } }
  blockedBy(first: ${BLOCKED_BY}) { nodes { number updatedAt repository { nameWithOwner } } }`;

const ISSUE_FIELDS = `number title state url createdAt updatedAt closedAt repository { nameWithOwner }
  assignees(first: 10) { nodes { login databaseId name email } }
  ${ISSUE_LINKS}`;

/** Issues by repository and number, aliased `i0`, `i1` … (variables `$o<n>`, `$n<n>`, `$x<n>`). */
function outsideIssuesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, n) => `$o${n}: String!, $n${n}: String!, $x${n}: Int!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, n) => `i${n}: repository(owner: $o${n}, name: $n${n}) { issue(number: $x${n}) { ${ISSUE_FIELDS} } }`,
  ).join('\n  ');
  return `query OutsideIssues(${vars}) {\n  ${fields}\n}`;
}

/**
 * Reads and stores the issues a project's items name (`ends`) that are not stored, or were read here before and changed since (their
 * `updatedAt` as named differs from the one read): blockers and parents of the projects' issues outside the synced
 * projects, in any repository the token can read, 100 per GraphQL query, then theirs in turn (up to
 * {@link MAX_ROUNDS} steps up a chain). Each is a work item of kind `issue` (Open or Closed, its assignees as owners,
 * the team owning its repository, which is stored when new). An issue GitHub cannot find is skipped and remembered,
 * so an unchanged re-sync asks for nothing. Returns the links the issues read name and their ids (whose links they
 * carry in full).
 */
export async function storeOutsideIssues(
  ctx: SyncContext,
  client: GitHubClient,
  options: {
    teamOf(repository: string): string | undefined;
    spellingOf(repository: string): string;
    configuredTeams: readonly { id: string; name: string }[];
  },
  project: { name: string; items: ReadonlySet<string>; ends: ReadonlyMap<string, LinkEnd> },
): Promise<{ links: WorkItemLink[]; read: string[] }> {
  const { items: projectItems, ends } = project;
  const unreadable = new Set<string>(JSON.parse((await ctx.getCursor(unreadableCursor(project.name))) ?? '[]') as string[]);
  const stillUnreadable = new Set<string>();
  const readAt = JSON.parse((await ctx.getCursor(readCursor(project.name))) ?? '{}') as Record<string, string>;
  const readBefore = JSON.stringify(readAt);
  // An issue now on a synced project is read with the project's items, never as an outside one.
  for (const id of projectItems) delete readAt[id];
  const links: WorkItemLink[] = [];
  const read: string[] = [];
  const seen = new Set(ends.keys());
  let wanted = new Map(ends);
  for (let round = 0; round < MAX_ROUNDS && wanted.size > 0; round++) {
    const stored = await ctx.existing('work item', [...wanted.keys()]);
    const todo: [string, LinkEnd][] = [];
    for (const [id, end] of wanted) {
      const changed = end.updatedAt !== undefined && readAt[id] !== undefined && readAt[id] !== end.updatedAt;
      if (projectItems.has(id) || (stored.has(id) && !changed)) continue;
      if (unreadable.has(id)) stillUnreadable.add(id);
      else todo.push([id, end]);
    }
    const next = new Map<string, LinkEnd>();
    for (let start = 0; start < todo.length; start += PER_QUERY) {
      const batch = todo.slice(start, start + PER_QUERY);
      const found = await readIssues(client, batch);
      const people = new PeopleLookup((accounts) => ctx.resolvePeople(accounts));
      for (const issue of found.values()) for (const user of issue.assignees.nodes) people.add(user);
      await people.resolve();
      const workItems: WorkItem[] = [];
      for (const [id, end] of batch) {
        const issue = found.get(id);
        if (!issue) {
          stillUnreadable.add(id);
          continue;
        }
        workItems.push(mapOutsideIssue(id, end.repository, issue, options.teamOf(end.repository), people));
        read.push(id);
        readAt[id] = issue.updatedAt;
        const named = new Map<string, LinkEnd>();
        links.push(...namedLinks(id, issue, options.spellingOf, named));
        for (const [ref, refEnd] of named) if (!seen.has(ref)) next.set(ref, refEnd);
      }
      for (const ref of next.keys()) seen.add(ref);
      // Their repositories (and the teams owning them) are stored with them when new.
      const owners = await ownershipRecords(ctx.existing, [...new Set(workItems.flatMap((w) => w.repository ?? []))], options);
      await ctx.emit({ ...owners, workItems });
    }
    wanted = next;
  }
  const cursors: Record<string, string> = {};
  const remembered = JSON.stringify([...stillUnreadable].sort());
  if (remembered !== JSON.stringify([...unreadable].sort())) cursors[unreadableCursor(project.name)] = remembered;
  if (JSON.stringify(readAt) !== readBefore) cursors[readCursor(project.name)] = JSON.stringify(readAt);
  if (Object.keys(cursors).length > 0) await ctx.emit({}, { cursors });
  return { links, read };
}

/** One query for up to 100 issues; an issue or a repository GitHub does not find (NOT_FOUND) is left out. */
async function readIssues(client: GitHubClient, batch: readonly [string, LinkEnd][]): Promise<Map<string, OutsideIssue>> {
  const variables: Record<string, string | number> = {};
  batch.forEach(([, end], n) => {
    const [owner = '', name = ''] = end.repository.split('/');
    Object.assign(variables, { [`o${n}`]: owner, [`n${n}`]: name, [`x${n}`]: end.number });
  });
  const data = await client.graphql<Record<string, { issue: OutsideIssue | null } | null>>(outsideIssuesQuery(batch.length), variables, {
    tolerateNotFound: (path) => /^i\d+$/.test(String(path[0])),
  });
  const found = new Map<string, OutsideIssue>();
  batch.forEach(([id], n) => {
    const issue = data[`i${n}`]?.issue;
    if (issue) found.set(id, issue);
  });
  return found;
}

function mapOutsideIssue(id: string, repository: string, issue: OutsideIssue, team: string | undefined, people: PeopleLookup): WorkItem {
  const closed = issue.state === 'CLOSED';
  const assignees = issue.assignees.nodes.flatMap((user) => {
    const person = people.personOf(user);
    return person ? [person] : [];
  });
  return {
    id,
    source: 'github',
    kind: 'issue',
    key: `${repository}#${issue.number}`,
    title: issue.title,
    state: closed ? 'Closed' : 'Open',
    statusCategory: closed ? 'done' : 'todo',
    repository,
    createdAt: new Date(issue.createdAt).toISOString(),
    updatedAt: new Date(issue.updatedAt).toISOString(),
    labels: [],
    assignees,
    url: issue.url,
    ...(team ? { team } : {}),
    ...(closed && issue.closedAt ? { resolvedAt: new Date(issue.closedAt).toISOString() } : {}),
  };
}
