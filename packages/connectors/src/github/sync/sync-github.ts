import type { SyncContext } from '@teamstate/core';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { GitHubClient } from '../client/github-client.js';
import type { ResolvedGitHubOptions } from '../options.js';
import { PENDING_INDEX_KEY, type PendingIndex, pendingChanged } from './pending-index.js';
import { probeRepositories, type RepositoryProbe } from './probe-repositories.js';
import { syncCopilotUsage } from './sync-copilot-usage.js';
import { cursorKey, type DeliveryCursor, type IncidentsCursor, type PullRequestsCursor, readCursor } from './sync-cursors.js';
import { syncDeployments } from './sync-deployments.js';
import { syncIncidents } from './sync-incidents.js';
import { syncPeople } from './sync-people.js';
import { syncProjects } from './sync-projects.js';
import { syncPullRequests } from './sync-pull-requests.js';
import { syncReleases } from './sync-releases.js';
import { syncWorkflowRuns } from './sync-workflow-runs.js';

const newer = (latest: string | undefined, watermark: string | undefined) => latest !== undefined && (!watermark || latest > watermark);

/**
 * One sync run: organisation members and teams (when due), then a probe that finds what changed in
 * every repository, then for each changed repository its pull requests, deployments (by the
 * configured source) and incidents. An unchanged repository costs nothing beyond its share of the probe.
 * With `copilot`, last the organisation's Copilot usage of the days not stored yet.
 */
export async function syncGitHub(
  ctx: SyncContext,
  client: GitHubClient,
  options: ResolvedGitHubOptions,
  wait: (ms: number, reason: string) => Promise<void>,
): Promise<void> {
  if (options.org)
    await syncPeople(ctx, client, {
      org: options.org,
      syncTeams: options.syncTeams,
      refreshMs: options.peopleRefreshMs,
      configuredTeams: options.configuredTeams,
    });
  const pendingIndex = (await readCursor<PendingIndex>(ctx, PENDING_INDEX_KEY)) ?? {};
  ctx.progress({
    phase: options.repositories?.length
      ? `probing ${options.repositories.length} repositories`
      : `probing the repositories of ${options.org}`,
  });
  const probe = await probeRepositories(client, options, Object.values(pendingIndex).flat());
  const repositories = probe.repositories.map((r) => ({ ...r, repository: options.spellingOf(r.repository) }));
  await emitRepositories(ctx, repositories, options);

  for (const [index, repo] of repositories.entries()) {
    const { repository } = repo;
    const team = options.teamOf(repository);
    ctx.progress({ phase: `repository ${repository} (${index + 1} of ${repositories.length})` });
    const pulls = await readCursor<PullRequestsCursor>(ctx, cursorKey('pulls', repository));
    if (!pulls || pulls.run || newer(repo.latestPullRequestUpdate, pulls.watermark))
      await syncPullRequests(ctx, client, repository, { team, pageSize: options.pageSize, wait });
    await syncDeliveries(ctx, client, repo, options, pendingIndex, probe.pending);
    const incidents = await readCursor<IncidentsCursor>(ctx, cursorKey('incidents', repository));
    if (newer(repo.latestIncidentUpdate, incidents?.watermark))
      await syncIncidents(ctx, client, repository, { labels: options.incidentLabels });
  }
  if (options.copilot && options.org) await syncCopilotUsage(ctx, client, options.org);
  if (options.projects.length > 0) await syncProjects(ctx, client, options);
  const { stats } = client;
  ctx.log.info(
    `github: ${repositories.length} repositories, ${stats.requests} requests (${stats.notModified} not modified), ${stats.graphqlPoints} GraphQL points`,
  );
}

async function syncDeliveries(
  ctx: SyncContext,
  client: GitHubClient,
  repo: RepositoryProbe,
  options: ResolvedGitHubOptions,
  pendingIndex: PendingIndex,
  pendingNow: Parameters<typeof pendingChanged>[1],
): Promise<void> {
  const { repository } = repo;
  const watched = pendingIndex[repository.toLowerCase()];
  switch (options.deploymentSource) {
    case 'workflow_runs':
      // REST only: a conditional request that costs no rate limit when nothing changed.
      await syncWorkflowRuns(ctx, client, repository, {
        workflow: options.workflow!,
        environment: options.environment,
        mapPullRequests: options.mapPullRequests,
      });
      return;
    case 'deployments':
    case 'releases': {
      const cursor = await readCursor<DeliveryCursor>(ctx, cursorKey(options.deploymentSource, repository));
      const listNew = newer(repo.latestDelivery, cursor?.watermark);
      if (!listNew && !pendingChanged(watched, pendingNow)) return;
      const common = { mapPullRequests: options.mapPullRequests, listNew, pendingIndex };
      if (options.deploymentSource === 'deployments')
        await syncDeployments(ctx, client, repository, { ...common, environments: options.environments });
      else await syncReleases(ctx, client, repository, { ...common, environment: options.environment });
      return;
    }
  }
}

async function emitRepositories(ctx: SyncContext, repositories: readonly RepositoryProbe[], options: ResolvedGitHubOptions): Promise<void> {
  const records = await ownershipRecords(
    ctx.existing,
    repositories.map((r) => r.repository),
    options,
  );
  if (records.teams || records.repositories) await ctx.emit(records);
}
