import type { GitHubClient } from '../client/github-client.js';
import { nodesOf, type PendingNode, type RepositoryProbeNode } from '../client/graphql-types.js';
import { organizationProbeQuery, probeQuery } from '../client/queries.js';
import type { ResolvedGitHubOptions } from '../options.js';
import { splitRepository } from './sync-cursors.js';

/** What the probe learnt about one repository: the latest change of each resource. */
export interface RepositoryProbe {
  /** `owner/name` as configured (or as GitHub spells it, for repositories found through `org`). */
  repository: string;
  archived: boolean;
  latestPullRequestUpdate?: string;
  latestIncidentUpdate?: string;
  /** Creation of the newest deployment (source `deployments`) or release (source `releases`). */
  latestDelivery?: string;
}

/** The probe's answer: every repository to consider, and the current state of the nodes watched since the last sync. */
export interface ProbeResult {
  repositories: RepositoryProbe[];
  pending: Map<string, PendingNode>;
}

/** Repositories per probe query when they are listed in the configuration. */
const LISTED_PER_QUERY = 25;
/** Repositories per page when every repository of the organisation is synced. */
const ORGANIZATION_PAGE = 50;

function toProbe(repository: string, node: RepositoryProbeNode): RepositoryProbe {
  const delivery = nodesOf(node.deployments ?? node.releases)[0];
  const probe: RepositoryProbe = { repository, archived: node.isArchived };
  const pulls = nodesOf(node.pullRequests)[0];
  const incident = nodesOf(node.issues)[0];
  if (pulls) probe.latestPullRequestUpdate = pulls.updatedAt;
  if (incident) probe.latestIncidentUpdate = incident.updatedAt;
  if (delivery) probe.latestDelivery = delivery.createdAt;
  return probe;
}

/**
 * Asks GitHub in as few requests as possible what changed: one query covers 25 listed repositories (or
 * a page of 50 of the organisation's), each with its latest pull request update, incident update and
 * deployment, plus the deployments that were still running. An unchanged repository then costs nothing more.
 */
export async function probeRepositories(
  client: GitHubClient,
  options: ResolvedGitHubOptions,
  pendingIds: readonly string[],
): Promise<ProbeResult> {
  const common: Record<string, unknown> = { labels: [...options.incidentLabels] };
  if (options.deploymentSource === 'deployments') common.environments = options.environments ? [...options.environments] : null;
  const pending = new Map<string, PendingNode>();
  const repositories: RepositoryProbe[] = [];
  let withPending = pendingIds.length > 0;
  const takePending = (data: { pending?: (PendingNode | null)[] }) => {
    for (const node of data.pending ?? []) if (node?.id) pending.set(node.id, node);
  };

  if (options.repositories?.length) {
    const listed = options.repositories;
    for (let start = 0; start < listed.length; start += LISTED_PER_QUERY) {
      const batch = listed.slice(start, start + LISTED_PER_QUERY);
      const variables: Record<string, unknown> = { ...common };
      batch.forEach((repository, i) => {
        const { owner, name } = splitRepository(repository);
        variables[`o${i}`] = owner;
        variables[`n${i}`] = name;
      });
      if (withPending) variables.pending = [...pendingIds];
      const data = await client.graphql<Record<string, RepositoryProbeNode> & { pending?: (PendingNode | null)[] }>(
        probeQuery(batch.length, options.deploymentSource, withPending),
        variables,
        { tolerateNotFound: (path) => path[0] === 'pending' },
      );
      takePending(data);
      withPending = false;
      batch.forEach((repository, i) => {
        const node = data[`r${i}`];
        if (node) repositories.push(toProbe(repository, node));
      });
    }
    return { repositories, pending };
  }

  let after: string | null = null;
  do {
    const variables: Record<string, unknown> = { ...common, org: options.org, first: ORGANIZATION_PAGE, after };
    if (withPending) variables.pending = [...pendingIds];
    const data: {
      organization: {
        repositories: { nodes: (RepositoryProbeNode | null)[] | null; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } | null;
      pending?: (PendingNode | null)[];
    } = await client.graphql(organizationProbeQuery(options.deploymentSource, options.includeArchived, withPending), variables, {
      tolerateNotFound: (path) => path[0] === 'pending',
    });
    takePending(data);
    withPending = false;
    const page = data.organization?.repositories;
    for (const node of nodesOf(page)) repositories.push(toProbe(node.nameWithOwner, node));
    after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { repositories, pending };
}
