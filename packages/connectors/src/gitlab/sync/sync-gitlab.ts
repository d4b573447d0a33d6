import type { Build, Deployment, SyncContext } from '@teamstate/core';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { GitLabApi } from '../client/gitlab-api.js';
import type { GlDeployment, GlEnvironment, GlEvent, GlJob, GlMember, GlMergeRequest, GlProject } from '../client/gitlab-types.js';
import { GitLabPeople } from '../map/gitlab-accounts.js';
import { jobOpen, mapDeployment, mapJobs, mergeRequestOfRef } from '../map/map-builds.js';
import {
  addPeopleOf,
  firstCommitOf,
  type GitLabReview,
  mapMergeRequest,
  mergeRequestId,
  readyFromNotes,
  reviewsFromEvents,
  reviewsFromNotes,
} from '../map/map-merge-request.js';
import type { ResolvedGitLabOptions } from '../options.js';

const DAY = 24 * 3_600_000;
/** On a project's first (full) sync, changed paths are read for at most this many open or recent merge requests. */
export const PATHS_ON_FULL_SYNC = 50;
/** Merge requests updated this recently (or open) get their changed paths on a full sync. */
const RECENT_MS = 7 * DAY;
/** A project's first sync reads the jobs of this many days back (a pipeline has many jobs; old ones rarely matter). */
export const BUILD_DAYS = 90;
/** Builds per emitted batch. */
const BUILD_BATCH = 1_000;

interface ActivityCursor {
  /** The project's `last_activity_at` when it was last synced. */
  at: string;
  /** Some job was unfinished then: read the project again even if it shows no activity. */
  pending?: boolean;
}
interface MergeRequestsCursor {
  /** The latest `updated_at` stored; the next run lists merge requests updated at or after it. */
  watermark?: string;
  /** The project's first sync is still under way: reviews come from the project's events, not per merge request. */
  full?: boolean;
}
interface JobsCursor {
  /** Jobs with ids above this are new (or were unfinished) and read on the next run. */
  after: number;
}
interface DeploymentsCursor {
  /** The latest `updated_at` stored; the next run lists deployments updated at or after it. */
  watermark?: string;
  /** The deployments stored with that `updated_at`, so they are not stored again. */
  ids?: number[];
}

const key = (kind: string, repository: string) => `${kind}:${repository.toLowerCase()}`;

async function cursorOf<T>(ctx: SyncContext, name: string): Promise<T | undefined> {
  const stored = await ctx.getCursor(name);
  return stored ? (JSON.parse(stored) as T) : undefined;
}

/**
 * One sync run: the members of the groups (daily), the groups' projects (one keyset page per 100) and the configured
 * projects (one request each), then for each project whose `last_activity_at` moved (or that had unfinished jobs or
 * deployments): its merge requests updated since the watermark with reviews, commits and changed paths, and its new
 * jobs as builds; and for every project its deployments updated since the watermark (GitLab does not count a
 * deployment as project activity). An unchanged project costs one request beyond its share of the listing.
 */
export async function syncGitLab(ctx: SyncContext, api: GitLabApi, options: ResolvedGitLabOptions): Promise<void> {
  const projects = await listProjects(ctx, api, options);
  await syncPeople(ctx, api, options, projects);
  await emitRepositories(ctx, projects, options);
  for (const [index, project] of projects.entries()) {
    const repository = project.path_with_namespace;
    const activityKey = key('activity', repository);
    const activity = await cursorOf<ActivityCursor>(ctx, activityKey);
    if (activity && activity.at === project.last_activity_at && !activity.pending) {
      // A deployment does not move `last_activity_at`: one request per project asks for deployments updated since.
      await syncDeployments(ctx, api, repository);
      continue;
    }
    ctx.progress({ phase: `project ${repository} (${index + 1} of ${projects.length})` });
    const known = await syncMergeRequests(ctx, api, repository, options);
    const jobsPending = await syncJobs(ctx, api, repository, known);
    await syncDeployments(ctx, api, repository);
    const next: ActivityCursor = { at: project.last_activity_at, ...(jobsPending ? { pending: true } : {}) };
    await ctx.emit({}, { cursors: { [activityKey]: JSON.stringify(next) } });
  }
  ctx.log.info(`gitlab: ${projects.length} projects, ${api.stats.requests} requests`);
}

async function listProjects(ctx: SyncContext, api: GitLabApi, options: ResolvedGitLabOptions): Promise<GlProject[]> {
  const byPath = new Map<string, GlProject>();
  for (const group of options.groups) {
    ctx.progress({ phase: `projects of ${group}` });
    for (const project of await api.all<GlProject>(api.groupProjectsUrl(group)))
      if (!project.archived) byPath.set(project.path_with_namespace.toLowerCase(), project);
  }
  for (const path of options.projects) {
    if (byPath.has(path.toLowerCase())) continue;
    const project = await api.project(path);
    byPath.set(project.path_with_namespace.toLowerCase(), project);
  }
  return [...byPath.values()].sort((a, b) => a.path_with_namespace.localeCompare(b.path_with_namespace));
}

/** Links the members of each group (or, without groups, of each project) to people, at most once per refresh period. */
async function syncPeople(ctx: SyncContext, api: GitLabApi, options: ResolvedGitLabOptions, projects: readonly GlProject[]): Promise<void> {
  const scopes =
    options.groups.length > 0
      ? options.groups.map((group) => ({ name: group, url: api.groupMembersUrl(group) }))
      : projects.map((p) => ({ name: p.path_with_namespace, url: api.projectMembersUrl(p.path_with_namespace) }));
  const now = ctx.now();
  for (const scope of scopes) {
    const cursor = key('people', scope.name);
    const last = await ctx.getCursor(cursor);
    if (last && now.getTime() - Date.parse(last) < options.peopleRefreshMs) continue;
    ctx.progress({ phase: `members of ${scope.name}` });
    const people = new GitLabPeople(ctx.resolvePeople);
    for (const member of await api.all<GlMember>(scope.url)) people.add(member);
    await people.resolve();
    await ctx.emit({}, { cursors: { [cursor]: now.toISOString() } });
  }
}

/** Repositories with a team are written with it (creating the team when missing); others only when not stored yet. */
async function emitRepositories(ctx: SyncContext, projects: readonly GlProject[], options: ResolvedGitLabOptions): Promise<void> {
  const records = await ownershipRecords(
    ctx.existing,
    projects.map((p) => p.path_with_namespace),
    options,
  );
  if (records.teams || records.repositories) await ctx.emit(records);
}

/**
 * The merge requests updated since the watermark, oldest update first, a page (100) per batch with the watermark.
 * Each merged or open one is read with its notes (reviews, and when a draft was marked ready) and its commits (the
 * first commit starts lead time and the coding phase); on the project's first sync, those closed unmerged take their
 * reviews from the project's events, and changed paths are read for open and recent merge requests only, so a full
 * sync costs about two requests per merge request; later runs read each changed merge request's notes, commits and
 * diffs. Returns the head sha → iid of those read.
 */
async function syncMergeRequests(
  ctx: SyncContext,
  api: GitLabApi,
  repository: string,
  options: ResolvedGitLabOptions,
): Promise<Map<string, number>> {
  const cursorKey = key('mrs', repository);
  const cursor = (await cursorOf<MergeRequestsCursor>(ctx, cursorKey)) ?? { full: true };
  const full = cursor.full === true;
  const heads = new Map<string, number>();
  let closedReviews: Map<number, GitLabReview[]> | undefined;
  const recentFrom = ctx.now().getTime() - RECENT_MS;
  let pathsRead = 0;
  let watermark = cursor.watermark;
  for (let url: string | undefined = api.mergeRequestsUrl(repository, cursor.watermark); url; ) {
    const page: { items: GlMergeRequest[]; next?: string } = await api.page<GlMergeRequest>(url);
    const people = new GitLabPeople(ctx.resolvePeople);
    const read: { mr: GlMergeRequest; reviews: GitLabReview[]; paths?: string[]; firstCommitAt?: string; readyAt?: string }[] = [];
    for (const mr of page.items) {
      let entry: (typeof read)[number];
      if (full && mr.state === 'closed') {
        // No delivery metric counts a merge request closed unmerged: its reviews come from the project's events.
        closedReviews ??= await reviewEvents(ctx, api, repository);
        entry = { mr, reviews: closedReviews.get(mr.iid) ?? [] };
      } else {
        const [notes, commits] = await Promise.all([api.notes(repository, mr.iid), api.commits(repository, mr.iid)]);
        const firstCommitAt = firstCommitOf(commits);
        const readyAt = readyFromNotes(notes);
        entry = { mr, reviews: reviewsFromNotes(notes), ...(firstCommitAt ? { firstCommitAt } : {}), ...(readyAt ? { readyAt } : {}) };
      }
      const wantPaths = !full || ((mr.state === 'opened' || Date.parse(mr.updated_at) >= recentFrom) && pathsRead < PATHS_ON_FULL_SYNC);
      if (wantPaths) {
        pathsRead += 1;
        entry.paths = (await api.diffs(repository, mr.iid)).map((diff) => diff.new_path);
      }
      addPeopleOf(mr, entry.reviews, people);
      read.push(entry);
      if (mr.sha) heads.set(mr.sha, mr.iid);
    }
    await people.resolve();
    const team = options.teamOf(repository);
    const workItems = read.map(({ mr, reviews, paths, firstCommitAt, readyAt }) =>
      mapMergeRequest(mr, repository, reviews, people, {
        ...(team ? { team } : {}),
        ...(paths ? { paths } : {}),
        ...(firstCommitAt ? { firstCommitAt } : {}),
        ...(readyAt ? { readyAt } : {}),
        detectAi: (input) => ctx.detectAi(input),
      }),
    );
    const last = page.items.at(-1)?.updated_at;
    if (last && (!watermark || last > watermark)) watermark = last;
    const next: MergeRequestsCursor = { ...(watermark ? { watermark } : {}), ...(full && page.next ? { full: true } : {}) };
    await ctx.emit({ workItems }, { cursors: { [cursorKey]: JSON.stringify(next) } });
    ctx.progress({ phase: `merge requests ${repository}`, items: workItems.length });
    url = page.next;
  }
  return heads;
}

/** The project's approvals and comments from its events (a page per 100 events), by merge request iid. */
async function reviewEvents(ctx: SyncContext, api: GitLabApi, repository: string): Promise<Map<number, GitLabReview[]>> {
  ctx.progress({ phase: `approvals and comments of ${repository}` });
  const byIid = reviewsFromEvents(await api.all<GlEvent>(api.eventsUrl(repository, { action: 'approved' })));
  return reviewsFromEvents(await api.all<GlEvent>(api.eventsUrl(repository, { target_type: 'note' })), byIid);
}

/**
 * The project's jobs newer than the cursor (newest first, a page per 100; on the first sync, those of the last
 * {@link BUILD_DAYS} days) as builds. On later runs, each pipeline with a
 * new job is read whole (retries included), so attempts are numbered right. A job's merge request is the one of its
 * merge request pipeline's ref, or the one whose head it ran on. Returns whether a job is unfinished.
 */
async function syncJobs(ctx: SyncContext, api: GitLabApi, repository: string, heads: ReadonlyMap<string, number>): Promise<boolean> {
  const cursorKey = key('jobs', repository);
  const cursor = await cursorOf<JobsCursor>(ctx, cursorKey);
  const after = cursor?.after ?? 0;
  // The first sync stops at jobs created before the build window.
  const since = cursor ? '' : new Date(ctx.now().getTime() - BUILD_DAYS * DAY).toISOString();
  const fresh: GlJob[] = [];
  for (let url: string | undefined = api.jobsUrl(repository); url; ) {
    const page: { items: GlJob[]; next?: string } = await api.page<GlJob>(url);
    const newer = page.items.filter((job) => job.id > after && new Date(job.created_at).toISOString() >= since);
    fresh.push(...newer);
    url = newer.length < page.items.length ? undefined : page.next;
  }
  let jobs = fresh;
  if (cursor && fresh.length > 0) {
    jobs = [];
    for (const pipeline of [...new Set(fresh.map((job) => job.pipeline.id))]) jobs.push(...(await api.pipelineJobs(repository, pipeline)));
  }
  const top = Math.max(after, ...jobs.map((job) => job.id));
  const open = jobs.filter(jobOpen).map((job) => job.id);
  const next: JobsCursor = { after: open.length > 0 ? Math.min(...open) - 1 : top };
  const candidates = new Map<GlJob, string>();
  for (const job of jobs) {
    const iid = mergeRequestOfRef(job.pipeline.ref) ?? heads.get(job.pipeline.sha);
    if (iid !== undefined) candidates.set(job, mergeRequestId(repository, iid));
  }
  const existing = await ctx.existing('work item', [...new Set(candidates.values())]);
  const builds: Build[] = mapJobs(jobs, repository, (job) => {
    const id = candidates.get(job);
    return id && existing.has(id) ? id : undefined;
  });
  for (let i = 0; i < builds.length || i === 0; i += BUILD_BATCH) {
    const chunk = builds.slice(i, i + BUILD_BATCH);
    const lastChunk = i + BUILD_BATCH >= builds.length;
    if (lastChunk) await ctx.emit(chunk.length ? { builds: chunk } : {}, { cursors: { [cursorKey]: JSON.stringify(next) } });
    else await ctx.emit({ builds: chunk });
  }
  return open.length > 0;
}

/**
 * The project's deployments updated since the watermark (oldest update first, a page per 100), each page with the
 * watermark; the environments are read once (for their tier) when a deployment does not carry it. Read on every run
 * (one request when nothing changed): an unfinished deployment is read again once its update moves the watermark.
 */
async function syncDeployments(ctx: SyncContext, api: GitLabApi, repository: string): Promise<void> {
  const cursorKey = key('deployments', repository);
  const cursor = (await cursorOf<DeploymentsCursor>(ctx, cursorKey)) ?? {};
  const stored = new Set(cursor.ids ?? []);
  const atStored = (d: GlDeployment) => cursor.watermark !== undefined && Date.parse(d.updated_at) === Date.parse(cursor.watermark);
  let environments: Map<string, GlEnvironment> | undefined;
  let watermark = cursor.watermark;
  let ids = [...stored];
  for (let url: string | undefined = api.deploymentsUrl(repository, cursor.watermark); url; ) {
    const page: { items: GlDeployment[]; next?: string } = await api.page<GlDeployment>(url);
    // `updated_after` includes the watermark: those stored then are not read again.
    const fresh = page.items.filter((d) => !(atStored(d) && stored.has(d.id)));
    if (!environments && fresh.some((d) => d.environment.tier === undefined))
      environments = new Map((await api.environments(repository)).map((e) => [e.name, e]));
    const deployments: Deployment[] = fresh.map((d) => mapDeployment(d, repository, environments ?? new Map()));
    for (const d of fresh) {
      if (!watermark || Date.parse(d.updated_at) > Date.parse(watermark)) {
        watermark = d.updated_at;
        ids = [d.id];
      } else if (Date.parse(d.updated_at) === Date.parse(watermark)) ids.push(d.id);
    }
    if (deployments.length > 0)
      await ctx.emit({ deployments }, { cursors: { [cursorKey]: JSON.stringify({ ...(watermark ? { watermark } : {}), ids }) } });
    url = page.next;
  }
}
