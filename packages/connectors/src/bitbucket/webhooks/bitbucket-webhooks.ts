import { createHmac, timingSafeEqual } from 'node:crypto';
import { type WebhookContext, type WebhookOutcome, WebhookPayloadError, type WebhookSpec } from '@teamstate/core';
import { z } from 'zod';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { BitbucketApi } from '../client/bitbucket-api.js';
import { BitbucketPeople } from '../map/bitbucket-people.js';
import { firstCommitOf, mapPullRequest, readActivity } from '../map/map-pull-request.js';
import type { ResolvedBitbucketOptions } from '../options.js';

/** `X-Hub-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body with the webhook's secret, compared in constant time. */
export function verifyBitbucketSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

const pullRequestHook = z.object({
  repository: z.object({ full_name: z.string().regex(/^[^\s/]+\/[^\s/]+$/) }),
  pullrequest: z.object({ id: z.number().int().positive() }),
});

/**
 * Webhooks at `POST /webhooks/bitbucket` (a repository or workspace webhook with a secret): pull request events
 * (`pullrequest:*`) store the pull request read back with its activity and commits. Deduplicated by `X-Request-UUID`.
 * Pipelines and deployments are read by the next sync.
 */
export function bitbucketWebhooks(
  options: ResolvedBitbucketOptions & { webhookSecret: string },
  apiFor: (ctx: WebhookContext) => BitbucketApi,
): WebhookSpec {
  async function pullRequest(repository: string, id: number, ctx: WebhookContext): Promise<WebhookOutcome> {
    const api = apiFor(ctx);
    const slug = repository.split('/')[1] ?? '';
    const [pr, activity, commits] = await Promise.all([api.pullRequest(slug, id), api.activity(slug, id), api.commits(slug, id)]);
    if (!pr) return { ignored: `${repository}#${id} was not found` };
    const parsed = readActivity(activity);
    const people = new BitbucketPeople(ctx.resolvePeople);
    people.add(pr.author);
    for (const review of parsed.reviews) people.add(review.user);
    await people.resolve();
    const team = options.teamOf(repository);
    const firstCommitAt = firstCommitOf(commits);
    const item = mapPullRequest(pr, repository, parsed, people, {
      ...(team ? { team } : {}),
      ...(firstCommitAt ? { firstCommitAt } : {}),
      detectAi: (input) => ctx.detectAi(input),
    });
    return { records: { ...(await ownershipRecords(ctx.existing, [repository], options)), workItems: [item] } };
  }
  const tracked = (repository: string) => {
    const [workspace, slug] = repository.split('/');
    return (
      workspace?.toLowerCase() === options.workspace.toLowerCase() && (!options.repositories || options.repositories.includes(slug ?? ''))
    );
  };
  return {
    specificationVersion: 'v1',
    provider: 'bitbucket',
    verify: (request) => verifyBitbucketSignature(options.webhookSecret, request.rawBody, request.headers['x-hub-signature']),
    deliveryId: (request) => request.headers['x-request-uuid'] || undefined,
    eventName: (request) => request.headers['x-event-key'] || undefined,
    async handle(event, ctx) {
      if (!event.name.startsWith('pullrequest:')) return { ignored: `${event.name} events are not used (enable the pull request events)` };
      const result = pullRequestHook.safeParse(event.payload);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new WebhookPayloadError(
          `${event.name}: payload.${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'} (is this a Bitbucket pull request delivery?)`,
        );
      }
      const repository = result.data.repository.full_name;
      if (!tracked(repository)) return { ignored: `${repository} is not a synced repository` };
      return pullRequest(repository, result.data.pullrequest.id, ctx);
    },
  };
}
