import { createHash, timingSafeEqual } from 'node:crypto';
import { type SyncBatch, type WebhookContext, type WebhookOutcome, WebhookPayloadError, type WebhookSpec } from '@teamstate/core';
import { z } from 'zod';
import { READ_POLICY, type RetryPolicy } from '../../upstream/http-retry.js';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { GitLabApi } from '../client/gitlab-api.js';
import { GitLabPeople } from '../map/gitlab-accounts.js';
import { mapDeployment, mapJobs, mergeRequestOfRef } from '../map/map-builds.js';
import { addPeopleOf, firstCommitOf, mapMergeRequest, mergeRequestId, readyFromNotes, reviewsFromNotes } from '../map/map-merge-request.js';
import type { ResolvedGitLabOptions } from '../options.js';

/** The longest a webhook waits for GitLab to answer a read-back (GitLab itself gives up on a hook after 10 s). */
const READ_BACK_TIMEOUT_MS = 10_000;

/** `X-Gitlab-Token` is the webhook's secret token, sent as is: compared in constant time (over digests of equal length). */
export function verifyGitLabToken(secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = createHash('sha256').update(secret).digest();
  const given = createHash('sha256').update(header).digest();
  return timingSafeEqual(expected, given) && header.length === secret.length;
}

const project = z.object({ path_with_namespace: z.string().regex(/^[^\s/]+(\/[^\s/]+)+$/) });
const mergeRequestHook = z.object({ project, object_attributes: z.object({ iid: z.number().int().positive() }) });
const noteHook = z.object({
  project,
  object_attributes: z.object({ noteable_type: z.string() }),
  merge_request: z.object({ iid: z.number().int().positive() }).optional(),
});
const pipelineHook = z.object({
  project,
  object_attributes: z.object({ id: z.number().int().positive() }),
  merge_request: z.object({ iid: z.number().int().positive() }).nullish(),
});
const jobHook = z.object({ project, pipeline_id: z.number().int().positive() });
const deploymentHook = z.object({ project, deployment_id: z.number().int().positive() });

function parse<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new WebhookPayloadError(
    `${event}: payload.${issue.path.join('.')} ${issue.message.replace(/^Invalid input: /, '')} (is this a GitLab ${event} delivery?)`,
  );
}

/**
 * Webhooks at `POST /webhooks/gitlab` (project or group hooks with a secret token): merge request and note events store
 * the merge request read back with its notes, commits and changed paths, pipeline and job events the pipeline's jobs as builds,
 * deployment events the deployment. Deduplicated by `Idempotency-Key` (GitLab 17.4+, the same on retries), else
 * `X-Gitlab-Event-UUID`. A failed read-back fails the attempt, and core's queue retries the stored delivery.
 */
export function gitlabWebhooks(
  options: ResolvedGitLabOptions & { webhookSecret: string },
  apiFor: (ctx: { now(): Date; signal?: AbortSignal }, readPolicy?: RetryPolicy) => GitLabApi,
): WebhookSpec {
  // No retries inside an attempt: the webhook queue retries the stored delivery (with back-off) instead.
  const apiOf = (ctx: WebhookContext) =>
    apiFor(
      { now: () => ctx.now(), signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(READ_BACK_TIMEOUT_MS)]) },
      { ...READ_POLICY, maxRetries: 0 },
    );

  async function mergeRequest(repository: string, iid: number, ctx: WebhookContext): Promise<WebhookOutcome> {
    const api = apiOf(ctx);
    const mr = await api.mergeRequest(repository, iid);
    const notes = await api.notes(repository, iid);
    const reviews = reviewsFromNotes(notes);
    const readyAt = readyFromNotes(notes);
    const firstCommitAt = firstCommitOf(await api.commits(repository, iid));
    const paths = (await api.diffs(repository, iid)).map((d) => d.new_path);
    const people = new GitLabPeople(ctx.resolvePeople);
    addPeopleOf(mr, reviews, people);
    await people.resolve();
    const team = options.teamOf(repository);
    const item = mapMergeRequest(mr, repository, reviews, people, {
      ...(team ? { team } : {}),
      paths,
      ...(firstCommitAt ? { firstCommitAt } : {}),
      ...(readyAt ? { readyAt } : {}),
      detectAi: (input) => ctx.detectAi(input),
    });
    return { records: { ...(await ownershipRecords(ctx.existing, [repository], options)), workItems: [item] } };
  }

  async function pipeline(repository: string, id: number, mrIid: number | undefined, ctx: WebhookContext): Promise<WebhookOutcome> {
    const jobs = await apiOf(ctx).pipelineJobs(repository, id);
    if (jobs.length === 0) return { ignored: `pipeline ${id} of ${repository} has no jobs` };
    const iid = mrIid ?? mergeRequestOfRef(jobs[0]!.pipeline.ref);
    const pr = iid === undefined ? undefined : mergeRequestId(repository, iid);
    const known = pr ? await ctx.existing('work item', [pr]) : new Set<string>();
    const builds = mapJobs(jobs, repository, () => (pr && known.has(pr) ? pr : undefined));
    const records: SyncBatch = { ...(await ownershipRecords(ctx.existing, [repository], options)), builds };
    return { records };
  }

  return {
    specificationVersion: 'v1',
    provider: 'gitlab',
    verify: (request) => verifyGitLabToken(options.webhookSecret, request.headers['x-gitlab-token']),
    deliveryId: (request) => request.headers['idempotency-key'] || request.headers['x-gitlab-event-uuid'] || undefined,
    eventName: (request, payload) => {
      const header = request.headers['x-gitlab-event'];
      if (header) return header;
      const kind = (payload as { object_kind?: unknown } | null)?.object_kind;
      return typeof kind === 'string' ? kind : undefined;
    },
    async handle(event, ctx) {
      const tracked = (repository: string) => options.tracks(repository);
      switch (event.name) {
        case 'Merge Request Hook': {
          const parsed = parse(mergeRequestHook, event.payload, event.name);
          const repository = parsed.project.path_with_namespace;
          if (!tracked(repository)) return { ignored: `${repository} is not a synced project` };
          return mergeRequest(repository, parsed.object_attributes.iid, ctx);
        }
        case 'Note Hook': {
          const parsed = parse(noteHook, event.payload, event.name);
          const repository = parsed.project.path_with_namespace;
          if (parsed.object_attributes.noteable_type !== 'MergeRequest' || !parsed.merge_request)
            return { ignored: `a note on a ${parsed.object_attributes.noteable_type}, not a merge request` };
          if (!tracked(repository)) return { ignored: `${repository} is not a synced project` };
          return mergeRequest(repository, parsed.merge_request.iid, ctx);
        }
        case 'Pipeline Hook': {
          const parsed = parse(pipelineHook, event.payload, event.name);
          const repository = parsed.project.path_with_namespace;
          if (!tracked(repository)) return { ignored: `${repository} is not a synced project` };
          return pipeline(repository, parsed.object_attributes.id, parsed.merge_request?.iid, ctx);
        }
        case 'Job Hook': {
          const parsed = parse(jobHook, event.payload, event.name);
          const repository = parsed.project.path_with_namespace;
          if (!tracked(repository)) return { ignored: `${repository} is not a synced project` };
          return pipeline(repository, parsed.pipeline_id, undefined, ctx);
        }
        case 'Deployment Hook': {
          const parsed = parse(deploymentHook, event.payload, event.name);
          const repository = parsed.project.path_with_namespace;
          if (!tracked(repository)) return { ignored: `${repository} is not a synced project` };
          const api = apiOf(ctx);
          const deployment = await api.deployment(repository, parsed.deployment_id);
          const environments =
            deployment.environment.tier === undefined ? new Map((await api.environments(repository)).map((e) => [e.name, e])) : new Map();
          return {
            records: {
              ...(await ownershipRecords(ctx.existing, [repository], options)),
              deployments: [mapDeployment(deployment, repository, environments)],
            },
          };
        }
        default:
          return {
            ignored: `${event.name} events are not used (enable merge request, comments, pipeline, job and deployment events)`,
          };
      }
    },
  };
}
