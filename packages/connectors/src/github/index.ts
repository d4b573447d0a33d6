import { type Connector, TeamStateError } from '@teamstate/core';
import { pullRequestActions, trackedRepositories } from './actions/index.js';
import { githubWebhookInstall, webhookAction } from './actions/webhook-action.js';
import { createGitHubClient, type GitHubClient } from './client/github-client.js';
import { timer } from './client/timer.js';
import { githubRepositoryFiles } from './files/repository-files.js';
import { type GitHubConnectorOptions, resolveGitHubOptions } from './options.js';
import { syncGitHub } from './sync/sync-github.js';
import { githubWebhooks } from './webhooks/github-webhooks.js';

export { idempotencyMarker } from './actions/index.js';
export { GitHubApiError, type RedactedRequest } from './client/github-error.js';
export { type GitHubKnowledgeOptions, githubKnowledge } from './knowledge/github-knowledge.js';
export { DEFAULT_KNOWLEDGE_PATHS } from './knowledge/path-globs.js';
export type { DeploymentSource, GitHubAppAuth, GitHubConnectorOptions } from './options.js';

/** Longest wait an action or a webhook accepts (they answer a person or GitHub, who will not wait a minute). */
const MAX_INLINE_WAIT_MS = 10_000;

/**
 * The GitHub connector: syncs organisation members and teams, repositories, pull requests (reviews,
 * labels, draft/ready times, first commit, size, merge state), deployments (Deployments API, workflow
 * runs or releases) with the pull requests each shipped, and incident issues, incrementally and within
 * GitHub's rate limits; carries out `github.pr.*` actions; receives signed webhooks.
 *
 * @example
 * import { github } from '@teamstate/connectors/github'
 * const ts = await createTeamState({
 *   connectors: [github({ token: process.env.GITHUB_TOKEN, repositories: ['acme/api'], teamOfRepository: { 'acme/api': 'payments' } })],
 * })
 * await ts.sync({ only: ['github'] })
 */
export function github(options: GitHubConnectorOptions): Connector {
  const resolved = resolveGitHubOptions(options);
  const clientFor = (ctx: { now(): Date; signal?: AbortSignal }, tuning: { maxServerErrorRetries?: number } = {}): GitHubClient =>
    createGitHubClient({
      auth: resolved.auth,
      restUrl: resolved.restUrl,
      graphqlUrl: resolved.graphqlUrl,
      now: () => ctx.now(),
      signal: ctx.signal,
      maxServerErrorRetries: tuning.maxServerErrorRetries,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      // Actions and webhooks ride out short server hiccups but not rate-limit waits of a minute or more.
      wait: (ms, reason) => {
        if (ms > MAX_INLINE_WAIT_MS)
          throw new TeamStateError('upstream_error', `${reason}; not waiting ${Math.ceil(ms / 1000)} s here: try again later`);
        return resolved.sleep ? resolved.sleep(ms, new AbortController().signal) : timer(ms);
      },
    });
  const secret = resolved.webhookSecret;
  const tracked = trackedRepositories(resolved);
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['github'],
    description: `GitHub ${resolved.repositories?.join(', ') ?? `organisation ${resolved.org}`}`,
    async sync(ctx) {
      const wait = async (ms: number, reason: string) => {
        if (!resolved.sleep) return ctx.sleep(ms, reason);
        ctx.progress({ waitingMs: ms, message: reason });
        await resolved.sleep(ms, ctx.signal);
        ctx.signal.throwIfAborted();
      };
      const client = createGitHubClient({
        auth: resolved.auth,
        restUrl: resolved.restUrl,
        graphqlUrl: resolved.graphqlUrl,
        now: ctx.now,
        wait,
        signal: ctx.signal,
        log: ctx.log,
      });
      await syncGitHub(ctx, client, resolved, wait);
    },
    actions: [
      ...pullRequestActions(
        {
          clientFor,
          pause: (ms) => (resolved.sleep ? resolved.sleep(ms, new AbortController().signal) : timer(ms)),
        },
        tracked,
      ),
      webhookAction({ clientFor }, secret),
    ],
    webhookInstall: githubWebhookInstall(resolved, clientFor),
    repositoryFiles: githubRepositoryFiles(tracked, clientFor),
    ...(secret ? { webhooks: githubWebhooks({ ...resolved, webhookSecret: secret }, clientFor) } : {}),
  };
}
