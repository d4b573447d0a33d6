import type { SyncContext, WorkItem } from '@teamstate/core';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { BitbucketApi } from '../client/bitbucket-api.js';
import type { BbPipeline } from '../client/bitbucket-types.js';
import { BitbucketPeople } from '../map/bitbucket-people.js';
import { mapDeployment, mapPipeline } from '../map/map-pipelines.js';
import { firstCommitOf, mapPullRequest, pullRequestId, readActivity } from '../map/map-pull-request.js';
import type { ResolvedBitbucketOptions } from '../options.js';
import { deploymentsToStore, MergedCommits, type SettledDeployments } from './deployment-ranges.js';

/** Pull requests per emitted batch. */
const BATCH = 50;

interface ListCursor {
  /** The validator of the list's first page: an unchanged list answers 304, which costs nothing. */
  etag?: string;
}

const key = (kind: string, repository: string) => `bitbucket:${kind}:${repository.toLowerCase()}`;

async function cursorOf<T>(ctx: SyncContext, name: string): Promise<T | undefined> {
  const stored = await ctx.getCursor(name);
  return stored ? (JSON.parse(stored) as T) : undefined;
}

/**
 * One sync run: the workspace's repositories (a conditional read, or the configured ones), then for each repository
 * its pull requests updated since the watermark (one request when none changed) with their activity feed and commits,
 * its pipelines as builds and its deployments, both conditional reads of their first page (a 304 when unchanged), so
 * an unchanged re-sync costs one counted request per repository. A new successful deployment costs a request for its
 * commit range (the pull requests it shipped).
 */
export async function syncBitbucket(ctx: SyncContext, api: BitbucketApi, options: ResolvedBitbucketOptions): Promise<void> {
  const slugs = await listRepositories(ctx, api, options);
  const repositories = slugs.map((slug) => `${options.workspace}/${slug}`);
  const records = await ownershipRecords(ctx.existing, repositories, options);
  if (records.teams || records.repositories) await ctx.emit(records);
  for (const [index, slug] of slugs.entries()) {
    const repository = `${options.workspace}/${slug}`;
    ctx.progress({ phase: `repository ${repository} (${index + 1} of ${slugs.length})` });
    const { heads, merges } = await syncPullRequests(ctx, api, slug, repository, options);
    await syncPipelines(ctx, api, slug, repository, heads);
    await syncDeployments(ctx, api, slug, repository, merges);
  }
  ctx.log.info(`bitbucket: ${slugs.length} repositories, ${api.stats.requests} requests (${api.stats.notModified} not modified)`);
}

async function listRepositories(ctx: SyncContext, api: BitbucketApi, options: ResolvedBitbucketOptions): Promise<string[]> {
  if (options.repositories) return [...options.repositories];
  const cursorKey = key('repositories', options.workspace);
  const cursor = (await cursorOf<ListCursor & { slugs?: string[] }>(ctx, cursorKey)) ?? {};
  const listed = await api.repositories(cursor.slugs ? cursor.etag : undefined);
  if (!listed.changed || !listed.data) return cursor.slugs ?? [];
  const slugs = listed.data.map((r) => r.slug).sort();
  await ctx.emit({}, { cursors: { [cursorKey]: JSON.stringify({ ...(listed.etag ? { etag: listed.etag } : {}), slugs }) } });
  return slugs;
}

/**
 * The pull requests updated after the watermark, oldest update first, each with its activity feed (reviews, merge and
 * decline times) and commits (the first starts lead time), a batch of {@link BATCH} with the watermark. Returns the
 * head commit → pull request id of those read, for the pipelines, and the merged ones' commits, for the deployments.
 */
async function syncPullRequests(
  ctx: SyncContext,
  api: BitbucketApi,
  slug: string,
  repository: string,
  options: ResolvedBitbucketOptions,
): Promise<{ heads: Map<string, string>; merges: MergedCommits }> {
  const cursorKey = key('pullrequests', repository);
  const merges = new MergedCommits();
  const watermark = await ctx.getCursor(cursorKey);
  const pullRequests = await api.pullRequests(slug, watermark);
  const heads = new Map<string, string>();
  const team = options.teamOf(repository);
  for (let i = 0; i < pullRequests.length; i += BATCH) {
    const chunk = pullRequests.slice(i, i + BATCH);
    const people = new BitbucketPeople(ctx.resolvePeople);
    const read = [];
    for (const pr of chunk) {
      const [activity, commits] = await Promise.all([api.activity(slug, pr.id), api.commits(slug, pr.id)]);
      const parsed = readActivity(activity);
      people.add(pr.author);
      for (const review of parsed.reviews) people.add(review.user);
      read.push({ pr, activity: parsed, firstCommitAt: firstCommitOf(commits) });
      if (pr.source.commit?.hash) heads.set(pr.source.commit.hash, pullRequestId(repository, pr.id));
      if (pr.state === 'MERGED') merges.add(pullRequestId(repository, pr.id), pr.merge_commit?.hash, pr.source.commit?.hash);
    }
    await people.resolve();
    const workItems: WorkItem[] = read.map(({ pr, activity, firstCommitAt }) =>
      mapPullRequest(pr, repository, activity, people, {
        ...(team ? { team } : {}),
        ...(firstCommitAt ? { firstCommitAt } : {}),
        detectAi: (input) => ctx.detectAi(input),
      }),
    );
    const last = [watermark ?? '', ...chunk.map((pr) => pr.updated_on)].sort().at(-1);
    await ctx.emit({ workItems }, last ? { cursors: { [cursorKey]: last } } : {});
  }
  return { heads, merges };
}

/** The repository's pipelines as builds when the list changed (a run of a pull request's head names that pull request). */
async function syncPipelines(ctx: SyncContext, api: BitbucketApi, slug: string, repository: string, heads: ReadonlyMap<string, string>) {
  const cursorKey = key('pipelines', repository);
  const cursor = (await cursorOf<ListCursor>(ctx, cursorKey)) ?? {};
  const listed = await api.pipelines(slug, cursor.etag);
  if (!listed.changed || !listed.data) return;
  const pipelines = listed.data;
  const named = (p: BbPipeline) =>
    p.target.pullrequest ? pullRequestId(repository, p.target.pullrequest.id) : heads.get(p.target.commit?.hash ?? '');
  const candidates = [...new Set(pipelines.flatMap((p) => named(p) ?? []))];
  const existing = await ctx.existing('work item', candidates);
  const builds = pipelines.map((p) =>
    mapPipeline(p, repository, (pipeline) => {
      const id = named(pipeline);
      return id && existing.has(id) ? id : undefined;
    }),
  );
  await ctx.emit(builds.length ? { builds } : {}, {
    cursors: { [cursorKey]: JSON.stringify({ ...(listed.etag ? { etag: listed.etag } : {}) }) },
  });
}

/**
 * The repository's deployments when the list changed, each to its environment (read then, for its type): the new,
 * running and newly finished ones are stored, each successful one with the pull requests of its commit range.
 */
async function syncDeployments(ctx: SyncContext, api: BitbucketApi, slug: string, repository: string, merges: MergedCommits) {
  const cursorKey = key('deployments', repository);
  const cursor = (await cursorOf<ListCursor & SettledDeployments>(ctx, cursorKey)) ?? {};
  const listed = await api.deployments(slug, cursor.etag);
  if (!listed.changed || !listed.data) return;
  const environments = listed.data.length > 0 ? new Map((await api.environments(slug)).map((e) => [e.uuid, e])) : new Map();
  const all = listed.data
    .filter((d) => d.state.name !== 'UNDEPLOYED')
    .map((d) => ({ deployment: mapDeployment(d, repository, environments), environment: d.environment.uuid }));
  const { deployments, next } = await deploymentsToStore(ctx, api, slug, repository, all, merges, cursor);
  await ctx.emit(deployments.length ? { deployments } : {}, {
    cursors: { [cursorKey]: JSON.stringify({ ...(listed.etag ? { etag: listed.etag } : {}), ...next }) },
  });
}
