import {
  type Deployment,
  type SyncBatch,
  verifySha256Signature,
  type WebhookContext,
  type WebhookOutcome,
  WebhookPayloadError,
  type WebhookSpec,
} from '@teamstate/core';
import { z } from 'zod';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { GitHubClient } from '../client/github-client.js';
import type { DeploymentNode, PullRequestNode } from '../client/graphql-types.js';
import { DEPLOYMENT_WITH_NEIGHBOURS_QUERY, PULL_REQUEST_QUERY } from '../client/queries.js';
import { PeopleLookup } from '../map/github-accounts.js';
import { mapBuilds } from '../map/map-builds.js';
import { mapDeployment } from '../map/map-deployment.js';
import { addPeopleOfPayload, mapPayloadPullRequest, payloadPullRequest } from '../map/map-payload-pull-request.js';
import { addPeopleOf, mapPullRequest, pullRequestId } from '../map/map-pull-request.js';
import type { ResolvedGitHubOptions } from '../options.js';
import { pullRequestsInRanges } from '../sync/commit-ranges.js';
import { completeConnections } from '../sync/complete-connections.js';
import { splitRepository } from '../sync/sync-cursors.js';

/** The longest a webhook waits for GitHub to answer the read-back of a pull request. */
const READ_BACK_TIMEOUT_MS = 10_000;

const repositoryPayload = z.object({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/) });
const pullRequestPayload = z.object({ repository: repositoryPayload, pull_request: payloadPullRequest });
const deploymentStatusPayload = z.object({
  repository: repositoryPayload,
  deployment: z.object({ node_id: z.string().min(1), environment: z.string().min(1) }),
  deployment_status: z.object({ state: z.string().min(1) }),
});

const checkSuitePayload = z.object({
  repository: repositoryPayload,
  check_suite: z.object({
    head_sha: z.string().min(1),
    pull_requests: z.array(z.object({ number: z.number().int().positive() })),
  }),
});

function parse<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new WebhookPayloadError(
    `${event}: payload.${issue.path.join('.')} ${issue.message.replace(/^Invalid input: /, '')} (is this a GitHub ${event} delivery?)`,
  );
}

/**
 * Receives GitHub webhooks (`POST /webhooks/github`): `pull_request` and `pull_request_review` store
 * the pull request, `check_suite` the pull requests it ran on with their builds, `deployment_status` the deployment
 * (with the pull requests it shipped). The
 * payload says what changed; the record is read back from GitHub with the same query and mapping as a
 * sync, so it is complete (upserts replace every column) and late or out-of-order deliveries still
 * write the current state. When the read-back fails, the pull request the payload carries is stored
 * (`{ records, retry }`) and core's queue retries the delivery; a failed deployment read is retried. Signatures (`X-Hub-Signature-256`) are checked by core before anything is
 * parsed; deliveries are deduplicated by `X-GitHub-Delivery`.
 */
export function githubWebhooks(
  options: ResolvedGitHubOptions & { webhookSecret: string },
  clientFor: (ctx: { now(): Date; signal?: AbortSignal }, tuning?: { maxServerErrorRetries?: number }) => GitHubClient,
): WebhookSpec {
  const tracked = (repository: string) =>
    options.repositories?.length
      ? options.repositories.some((r) => r.toLowerCase() === repository.toLowerCase())
      : splitRepository(repository).owner.toLowerCase() === options.org?.toLowerCase();

  async function pullRequest(event: string, payload: unknown, ctx: WebhookContext): Promise<WebhookOutcome> {
    const parsed = parse(pullRequestPayload, payload, event);
    const repository = options.spellingOf(parsed.repository.full_name);
    if (!tracked(repository)) return { ignored: `${repository} is not a synced repository` };
    // No retries inside an attempt: the webhook queue retries the delivery (with back-off) instead. GitHub
    // itself gives up on a delivery after 10 s, so the read-back does not wait longer than that either.
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(READ_BACK_TIMEOUT_MS)]);
    const client = clientFor({ now: () => ctx.now(), signal }, { maxServerErrorRetries: 0 });
    const people = new PeopleLookup(ctx.resolvePeople);
    let node: PullRequestNode | null | undefined;
    try {
      const data = await client.graphql<{ repository: { pullRequest: PullRequestNode | null } | null }>(PULL_REQUEST_QUERY, {
        ...splitRepository(repository),
        number: parsed.pull_request.number,
      });
      node = data.repository?.pullRequest;
      if (node) await completeConnections(client, [node]);
    } catch (error) {
      // GitHub is down or slow: what the payload carries is stored now, the read-back is retried later.
      addPeopleOfPayload(parsed.pull_request, people);
      await people.resolve();
      const item = mapPayloadPullRequest(parsed.pull_request, repository, options.teamOf(repository), people, (input) =>
        ctx.detectAi(input),
      );
      if (!item) throw error;
      const records: SyncBatch = { ...(await ownershipRecords(ctx.existing, [repository], options)), workItems: [item] };
      return { records, retry: `reading ${repository}#${parsed.pull_request.number} back failed: ${(error as Error).message}` };
    }
    if (!node) return { ignored: `${repository}#${parsed.pull_request.number} no longer exists` };
    addPeopleOf(node, people);
    await people.resolve();
    const records: SyncBatch = {
      ...(await ownershipRecords(ctx.existing, [repository], options)),
      workItems: [mapPullRequest(node, repository, options.teamOf(repository), people, (input) => ctx.detectAi(input))],
    };
    const builds = mapBuilds(node, repository);
    if (builds.length > 0) records.builds = builds;
    return { records };
  }

  /**
   * A check suite changed (requested, rerequested, completed): the pull requests whose head it ran on are read back
   * with the sync query, so their builds (and a red or green head) are stored at once. A failed read is retried.
   */
  async function checkSuite(payload: unknown, ctx: WebhookContext): Promise<WebhookOutcome> {
    const parsed = parse(checkSuitePayload, payload, 'check_suite');
    const repository = options.spellingOf(parsed.repository.full_name);
    if (!tracked(repository)) return { ignored: `${repository} is not a synced repository` };
    const numbers = [...new Set(parsed.check_suite.pull_requests.map((pr) => pr.number))];
    if (numbers.length === 0) return { ignored: `the check suite on ${parsed.check_suite.head_sha.slice(0, 12)} is no pull request's` };
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(READ_BACK_TIMEOUT_MS)]);
    const client = clientFor({ now: () => ctx.now(), signal }, { maxServerErrorRetries: 0 });
    const nodes: PullRequestNode[] = [];
    for (const number of numbers) {
      const data = await client.graphql<{ repository: { pullRequest: PullRequestNode | null } | null }>(PULL_REQUEST_QUERY, {
        ...splitRepository(repository),
        number,
      });
      if (data.repository?.pullRequest) nodes.push(data.repository.pullRequest);
    }
    if (nodes.length === 0) return { ignored: `${repository} pull requests ${numbers.join(', ')} no longer exist` };
    await completeConnections(client, nodes);
    const people = new PeopleLookup(ctx.resolvePeople);
    for (const node of nodes) addPeopleOf(node, people);
    await people.resolve();
    const records: SyncBatch = {
      ...(await ownershipRecords(ctx.existing, [repository], options)),
      workItems: nodes.map((node) => mapPullRequest(node, repository, options.teamOf(repository), people, (input) => ctx.detectAi(input))),
    };
    const builds = nodes.flatMap((node) => mapBuilds(node, repository));
    if (builds.length > 0) records.builds = builds;
    return { records };
  }

  async function deploymentStatus(payload: unknown, ctx: WebhookContext): Promise<WebhookOutcome> {
    const parsed = parse(deploymentStatusPayload, payload, 'deployment_status');
    const repository = options.spellingOf(parsed.repository.full_name);
    if (options.deploymentSource !== 'deployments') return { ignored: `deployments come from ${options.deploymentSource}` };
    if (!tracked(repository)) return { ignored: `${repository} is not a synced repository` };
    const environment = parsed.deployment.environment;
    if (options.environments && !options.environments.includes(environment)) return { ignored: `environment ${environment} is not synced` };
    const client = clientFor(ctx, { maxServerErrorRetries: 0 });
    const data = await client.graphql<{
      deployment: DeploymentNode | null;
      repository: { deployments: { nodes: (DeploymentNode | null)[] } } | null;
    }>(
      DEPLOYMENT_WITH_NEIGHBOURS_QUERY,
      { ...splitRepository(repository), id: parsed.deployment.node_id, environments: [environment] },
      { tolerateNotFound: (path) => path[0] === 'deployment' },
    );
    if (!data.deployment?.id) return { ignored: `deployment ${parsed.deployment.node_id} no longer exists` };
    const deployment: Deployment = mapDeployment(data.deployment, repository);
    if (options.mapPullRequests && deployment.status === 'success' && deployment.sha) {
      // The previous successful deployment of the environment is the base of this one's commit range.
      const previous = (data.repository?.deployments.nodes ?? [])
        .filter((n): n is DeploymentNode => n !== null && n.id !== data.deployment!.id)
        .map((n) => mapDeployment(n, repository))
        .filter((d) => d.status === 'success' && d.sha && Date.parse(d.finishedAt) < Date.parse(deployment.finishedAt))
        .sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt))[0];
      if (previous?.sha) {
        const [numbers] = await pullRequestsInRanges(client, splitRepository(repository), [{ head: deployment.sha, base: previous.sha }]);
        if (numbers) {
          const ids = numbers.map((n) => pullRequestId(repository, n));
          const known = await ctx.existing('work item', ids);
          deployment.pullRequests = ids.filter((id) => known.has(id));
        }
      }
    }
    return { records: { ...(await ownershipRecords(ctx.existing, [repository], options)), deployments: [deployment] } };
  }

  return {
    provider: 'github',
    verify: (request) => verifySha256Signature(options.webhookSecret, request.rawBody, request.headers['x-hub-signature-256']),
    deliveryId: (request) => request.headers['x-github-delivery'],
    eventName: (request) => request.headers['x-github-event'],
    async handle(event, ctx) {
      switch (event.name) {
        case 'pull_request':
        case 'pull_request_review':
          return pullRequest(event.name, event.payload, ctx);
        case 'deployment_status':
          return deploymentStatus(event.payload, ctx);
        case 'check_suite':
          return checkSuite(event.payload, ctx);
        case 'ping':
          return { ignored: 'ping: the webhook is set up' };
        default:
          return {
            ignored: `${event.name} events are not used (subscribe to pull_request, pull_request_review, deployment_status and check_suite)`,
          };
      }
    },
  };
}
