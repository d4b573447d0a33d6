import { type ActionContext, defineActionType, type WebhookInstall, type WebhookInstallStep } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { splitRepository } from '../sync/sync-cursors.js';

/** The events `POST /webhooks/github` uses (others are ignored), subscribed by `teamstate webhooks install`. */
export const GITHUB_WEBHOOK_EVENTS = ['deployment_status', 'pull_request', 'pull_request_review'] as const;

/** A hook as `GET /orgs/{org}/hooks` and `GET /repos/{owner}/{repo}/hooks` return it (the fields used). */
interface RestHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string | number; secret?: string };
}

const params = z.strictObject({
  /** An organisation hook (`target` is the organisation) or a repository's (`target` is `owner/name`). */
  scope: z.enum(['organization', 'repository']),
  target: z.string().regex(/^[^/\s]+(\/[^/\s]+)?$/, { error: 'expected an organisation or "owner/name"' }),
  url: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL the hook posts to' }),
  events: z.array(z.string().min(1)).min(1),
  /** The id of the hook to repair; absent: a new hook. */
  hookId: z.number().int().positive().optional(),
});
type Params = z.output<typeof params>;

const hooksRoute = (p: { scope: Params['scope']; target: string }) => {
  if (p.scope === 'organization') return { list: 'GET /orgs/{org}/hooks', one: '/orgs/{org}/hooks', route: { org: p.target } };
  const { owner, name } = splitRepository(p.target);
  return { list: 'GET /repos/{owner}/{repo}/hooks', one: '/repos/{owner}/{repo}/hooks', route: { owner, repo: name } };
};

async function listHooks(client: GitHubClient, p: { scope: Params['scope']; target: string }): Promise<RestHook[]> {
  const { list, route } = hooksRoute(p);
  return client.read<RestHook[]>(list, { ...route, per_page: 100 });
}

/** What is wrong with `hook` for `url` and `events` (empty: nothing). GitHub never shows the secret, only that one is set. */
function differences(hook: RestHook, events: readonly string[]): string[] {
  const wrong: string[] = [];
  if (!hook.active) wrong.push('inactive');
  const missing = events.filter((e) => !hook.events.includes(e) && !hook.events.includes('*'));
  if (missing.length > 0) wrong.push(`events ${missing.join(', ')} missing`);
  if (hook.config.content_type !== 'json') wrong.push(`content type ${hook.config.content_type ?? 'form'} instead of json`);
  if (String(hook.config.insecure_ssl ?? '0') !== '0') wrong.push('TLS verification off');
  if (!hook.config.secret) wrong.push('no secret');
  return wrong;
}

const sameUrl = (a: string | undefined, b: string) => a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The hook of `p` as wanted, once it is there (for `checkExecuted` and a write whose answer was lost). */
async function installed(client: GitHubClient, p: Params): Promise<{ hookId: number } | undefined> {
  const hook = (await listHooks(client, p)).find((h) => sameUrl(h.config.url, p.url) && differences(h, p.events).length === 0);
  return hook ? { hookId: hook.id } : undefined;
}

/**
 * `github.webhook.create { scope, target, url, events, hookId? }`: creates the organisation's or repository's hook
 * posting `events` as JSON to `url`, signed with `connectors.github.webhookSecret` (never a parameter: the approval does
 * not hold it), or repairs hook `hookId` (active, events, content type, TLS, secret). Refused when no secret is configured.
 */
export function webhookAction(deps: { clientFor(ctx: { now(): Date }): GitHubClient }, secret: string | undefined) {
  return defineActionType({
    type: 'github.webhook.create',
    description: 'Create or repair the GitHub webhook (organisation or repository) that sends events to teamstate serve',
    risk: 'medium',
    params,
    precondition: async () =>
      secret
        ? { ok: true }
        : { ok: false, reason: 'connectors.github.webhookSecret is not set: set it (e.g. ${GITHUB_WEBHOOK_SECRET}) to sign the hook' },
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      const done = await installed(client, p);
      if (done) return done;
      const { one, route } = hooksRoute(p);
      const body = { active: true, events: p.events, config: { url: p.url, content_type: 'json', insecure_ssl: '0', secret } };
      const hook =
        p.hookId === undefined
          ? await client.write<RestHook>(`POST ${one}`, { ...route, name: 'web', ...body })
          : await client.write<RestHook>(`PATCH ${one}/{hook_id}`, { ...route, hook_id: p.hookId, ...body });
      return { hookId: hook.id };
    },
    async checkExecuted(p: Params, ctx: ActionContext) {
      const found = await installed(deps.clientFor(ctx), p);
      return found ? { executed: true, result: found } : { executed: false };
    },
  });
}

/**
 * The hooks the connector needs: one on the organisation when `org` is configured without a repository list, else one
 * per listed repository; each `ok`, or to `create` or `repair`.
 */
export function githubWebhookInstall(
  resolved: { org?: string; repositories?: readonly string[] },
  clientFor: (ctx: { now(): Date; signal?: AbortSignal }) => GitHubClient,
): WebhookInstall {
  return {
    async plan(ctx) {
      const client = clientFor(ctx);
      const url = `${ctx.url.replace(/\/+$/, '')}/webhooks/github`;
      const events = [...GITHUB_WEBHOOK_EVENTS];
      const scopes: { scope: Params['scope']; target: string }[] = resolved.repositories?.length
        ? resolved.repositories.map((target) => ({ scope: 'repository' as const, target }))
        : resolved.org
          ? [{ scope: 'organization', target: resolved.org }]
          : [];
      const steps: WebhookInstallStep[] = [];
      for (const s of scopes) {
        const label = `${s.scope} ${s.target}`;
        const hooks = (await listHooks(client, s)).filter((h) => sameUrl(h.config.url, url));
        const good = hooks.find((h) => differences(h, events).length === 0);
        if (good) {
          steps.push({ scope: label, status: 'ok', detail: `hook ${good.id} sends ${events.join(', ')} to ${url}` });
          continue;
        }
        const broken = hooks[0];
        const action = { type: 'github.webhook.create', target: `github:${s.target}`, params: { ...s, url, events } };
        steps.push(
          broken
            ? {
                scope: label,
                status: 'repair',
                detail: `hook ${broken.id}: ${differences(broken, events).join('; ')}`,
                action: { ...action, params: { ...action.params, hookId: broken.id } },
              }
            : { scope: label, status: 'create', detail: `a hook sending ${events.join(', ')} to ${url}`, action },
        );
      }
      return steps;
    },
  };
}
