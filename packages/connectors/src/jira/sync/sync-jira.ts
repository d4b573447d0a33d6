import type { SyncContext, WorkItem } from '@teamstate/core';
import type { IssuePage, JiraApi } from '../client/jira-api.js';
import { JiraRequestError } from '../client/jira-request-error.js';
import type { JiraTransport } from '../client/jira-transport.js';
import { findSiteFields, type SiteFields } from '../client/site-fields.js';
import { historyFields } from '../client/site-metadata.js';
import { jiraInstant } from '../map/jira-time.js';
import { type IssueMappingContext, issueFieldsToFetch, issueUsers, mapIssue } from '../map/map-issue.js';
import { statusCategories } from '../map/status-categories.js';
import type { JiraSleep, ResolvedJiraOptions } from '../options.js';
import { type CommittedScope, loadCommittedScope } from './committed-scope.js';
import { fetchChangelogs, hasCompleteChangelog } from './fetch-changelogs.js';
import { fetchBoards, fetchSprints, type SyncedSprint } from './fetch-sprints.js';
import { type ResolvedUsers, resolveUsers } from './jira-users.js';
import { issuesJql } from './jql.js';
import { linksToKnownItems, relinked } from './known-links.js';
import { cachedValue } from './metadata-cache.js';
import { projectTeams } from './project-teams.js';
import { sprintCandidates } from './sprint-candidates.js';

/** The cursor of a project's issues: the latest `updated` (epoch ms) of its issues stored so far. */
export const issuesCursor = (projectKey: string): string => `issues:${projectKey}:updated`;

/** What is kept of the site between runs (the `site` cursor). */
interface SiteSnapshot {
  /** Project names by key. */
  names: Record<string, string>;
  fields: SiteFields;
  statuses: { id?: string; name?: string; statusCategory: { key?: string } }[];
}

/** Assignable users per request. */
const USERS_PER_PAGE = 1000;

/**
 * One sync run: projects, fields and statuses, users (unless read within `metadataRefreshHours`), boards
 * and sprints (unless read within `sprintsRefreshMinutes`), then issues page by page (each page stored
 * with the cursor in one transaction), then the committed scope of started sprints. An unchanged re-sync
 * is one search request.
 */
export async function syncJira(ctx: SyncContext, options: ResolvedJiraOptions, transport: JiraTransport): Promise<void> {
  const injected = options.sleep;
  const sleep: JiraSleep = injected
    ? async (ms, reason) => {
        ctx.progress({ waitingMs: ms, message: reason });
        await injected(ms, reason);
      }
    : ctx.sleep;
  const api = await transport.api(sleep);
  let pages = 0;
  const onPage = () => {
    pages += 1;
  };

  // Project names, fields, statuses and users change rarely: kept between runs (`metadataRefreshHours`).
  const siteCache = cachedValue<SiteSnapshot>(
    'site',
    JSON.stringify([options.projects, options.storyPointsField ?? null]),
    options.metadataRefreshMs,
  );
  let snapshot = await siteCache.read(ctx);
  const siteCursor: Record<string, string> = {};
  if (!snapshot) {
    ctx.progress({ phase: 'projects' });
    const names: Record<string, string> = {};
    for (const key of options.projects) {
      names[key] = (await api.getProject(key)).name;
      onPage();
    }
    ctx.progress({ phase: 'fields and statuses', pages });
    const fields = findSiteFields(await api.getFields(), options.storyPointsField);
    const statuses = (await api.getStatuses()).map(({ id, name, statusCategory }) => ({
      id,
      name,
      statusCategory: { key: statusCategory?.key },
    }));
    pages += 2;
    snapshot = { names, fields, statuses };

    ctx.progress({ phase: 'users', pages });
    const linked: ResolvedUsers = new Map();
    for (let startAt = 0; ; startAt += USERS_PER_PAGE) {
      const users = await api.getAssignableUsers(options.projects, startAt, USERS_PER_PAGE);
      onPage();
      if (users.length === 0) break;
      // Jira may return fewer users than asked for while more exist: only an empty page ends the list.
      await resolveUsers(users, ctx.resolvePeople, linked);
    }
    Object.assign(siteCursor, siteCache.cursor(ctx, snapshot));
  }
  const site = { fields: snapshot.fields, categories: statusCategories(snapshot.statuses) };
  const teams = await projectTeams(options, new Map(Object.entries(snapshot.names)), (ids) => ctx.existing('team', ids));
  // People of the issues are resolved page by page (and remembered for the run).
  const resolved: ResolvedUsers = new Map();

  // Sprints start and close between runs: kept for `sprintsRefreshMinutes` only.
  const sprintCache = cachedValue<SyncedSprint[]>(
    'sprints',
    JSON.stringify([options.projects, options.boards ?? null, options.teamOfProject]),
    options.sprintsRefreshMs,
  );
  let sprints = await sprintCache.read(ctx);
  let sprintCursor: Record<string, string> = {};
  if (!sprints) {
    ctx.progress({ phase: 'boards and sprints', pages });
    const boards = await fetchBoards(api, options.projects, options.boards, onPage);
    sprints = await fetchSprints(api, boards, teams.teamOf, ctx.log, onPage);
    sprintCursor = sprintCache.cursor(ctx, sprints);
  }
  // Sprints first (issues point at them), without committed items (those point at issues).
  await ctx.emit({ teams: teams.ownTeams, sprints: sprints.map((s) => s.record) }, { cursors: { ...siteCursor, ...sprintCursor } });
  const known = new Set(sprints.map((s) => s.jiraId));
  const scope = await loadCommittedScope(sprints, (key) => ctx.getCursor(key));

  const latest = new Map<string, number>();
  for (const key of options.projects) {
    const value = await ctx.getCursor(issuesCursor(key));
    if (value !== undefined) latest.set(key, Number(value));
  }
  const sawEverything = latest.size === 0;
  const jql = issuesJql(
    options.projects.map((key) => ({ key, ...(latest.has(key) ? { sinceMs: latest.get(key)! - options.overlapMs } : {}) })),
  );
  // Only for the progress estimate of a first run (an incremental one costs a request less without it);
  // a site without the count endpoint still syncs.
  const total = sawEverything
    ? await api.countIssues(jql.replace(/ ORDER BY .*$/, '')).catch((error: unknown) => {
        if (error instanceof JiraRequestError && !error.isRetryable) return undefined;
        throw error;
      })
    : undefined;
  const people = new Map<string, string | undefined>();
  const mapping: IssueMappingContext = {
    fields: site.fields,
    categories: site.categories,
    siteUrl: options.siteUrl,
    teamOf: teams.teamOf,
    isKnownSprint: (id) => known.has(id),
    personOf: (accountId) => people.get(accountId),
  };
  const fields = issueFieldsToFetch(site.fields);
  const stored = new Set<string>();
  let items = 0;
  const request = (pageToken?: string) =>
    api.searchIssues({ jql, fields, changelog: true, maxResults: options.pageSize, ...(pageToken ? { pageToken } : {}) });
  let next: Promise<IssuePage> | undefined = request();
  while (next) {
    ctx.progress({ phase: 'issues', pages, items, ...(total === undefined ? {} : { total }) });
    const page: IssuePage = await next;
    onPage();
    // The next page is asked for while this one is mapped and stored, so Jira's latency overlaps the
    // database's. If this page fails to store, the sync stops and that answer is dropped.
    next = page.nextPageToken ? request(page.nextPageToken) : undefined;
    next?.catch(() => {});
    // Jira embeds only the latest few dozen histories; cut ones are fetched in full, many issues per request.
    const cut = page.issues.filter((issue) => issue.id && !hasCompleteChangelog(issue)).map((issue) => issue.id!);
    const complete = cut.length > 0 ? await fetchChangelogs(api, cut, historyFields(site.fields), onPage) : new Map();
    for (const [id, person] of await resolveUsers(page.issues.flatMap(issueUsers), ctx.resolvePeople, resolved)) people.set(id, person);
    const workItems: WorkItem[] = [];
    const changed = new Set<number>();
    const moved = new Set<string>();
    for (const issue of page.issues) {
      const mapped = mapIssue(issue, complete.get(issue.id ?? '') ?? issue.changelog?.histories ?? [], mapping);
      if (!mapped) {
        ctx.log.warn(`jira: skipped issue ${issue.key ?? issue.id ?? '?'}: it has no id, key, status or creation date`);
        continue;
      }
      workItems.push(mapped.item);
      stored.add(mapped.item.id);
      for (const sprint of scope.record(mapped.item.id, mapped.sprints)) changed.add(sprint);
      const updated = jiraInstant(issue.fields?.updated);
      const project = issue.fields?.project?.key;
      if (updated !== undefined && typeof project === 'string' && updated > (latest.get(project) ?? Number.NEGATIVE_INFINITY)) {
        latest.set(project, updated);
        moved.add(project);
      }
    }
    const cursors = Object.fromEntries([...moved].map((project) => [issuesCursor(project), String(latest.get(project))]));
    const workItemLinks = await linksToKnownItems(ctx, page.issues, workItems);
    const replaceLinks = relinked(page.issues, workItems);
    await ctx.emit({ workItems, workItemLinks }, { cursors: { ...cursors, ...scope.cursors(changed) }, replaceLinks });
    items += workItems.length;
    people.clear();
  }

  ctx.progress({ phase: 'sprint scope', pages, items });
  await completeScope(ctx, api, options, sprints, scope, sawEverything, stored, site.fields.sprint, onPage);
  ctx.progress({ phase: 'done', pages, items, message: `${transport.requests} requests` });
}

/**
 * Sprints that started since the last run may hold issues this run did not fetch (not updated since):
 * those are looked up (`sprint = N`, then their Sprint history). A first, complete run saw every issue.
 * Then every sprint is stored with its committed items.
 */
async function completeScope(
  ctx: SyncContext,
  api: JiraApi,
  options: ResolvedJiraOptions,
  sprints: readonly SyncedSprint[],
  scope: CommittedScope,
  sawEverything: boolean,
  stored: ReadonlySet<string>,
  sprintField: string | undefined,
  onPage: () => void,
): Promise<void> {
  for (const sprint of scope.needsScan()) {
    if (!sawEverything && sprintField) {
      const candidates = await sprintCandidates(api, options, sprint.jiraId, sprintField, stored, onPage);
      for (const [id, history] of candidates) scope.record(id, history);
    }
    scope.markScanned(sprint.jiraId);
  }
  const all = sprints.flatMap((s) => scope.committed(s.jiraId));
  const exists = await ctx.existing('work item', [...new Set(all)]);
  for (const sprint of sprints) scope.retain(sprint.jiraId, (id) => exists.has(id));
  await ctx.emit(
    { sprints: sprints.map((s) => ({ ...s.record, committedItems: scope.committed(s.jiraId) })) },
    { cursors: scope.cursors(sprints.map((s) => s.jiraId)) },
  );
}
