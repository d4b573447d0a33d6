import { defineActionType, type WebhookInstall, type WebhookInstallStep } from '@teamstate/core';
import { z } from 'zod';
import type { JiraApi } from '../client/jira-api.js';
import { type JiraWebhook, type JiraWebhookBody, webhookId } from '../client/webhook-admin.js';
import type { ApiProvider } from './action-support.js';

/** The events `POST /webhooks/jira` uses, subscribed by `teamstate webhooks install`. */
export const JIRA_WEBHOOK_EVENTS = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'sprint_created',
  'sprint_updated',
  'sprint_started',
  'sprint_closed',
  'sprint_deleted',
] as const;

/** The JQL filter of the configured projects: `project in (PAY, OPS)`. */
export const projectsJql = (projects: readonly string[]) => `project in (${[...projects].sort().join(', ')})`;

const params = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL the webhook posts to' }),
  jql: z.string().min(1).max(2_000),
  events: z.array(z.string().min(1)).min(1),
  /** The id of the webhook to repair; absent: a new one. */
  webhookId: z.string().regex(/^\d+$/).optional(),
});
type Params = z.output<typeof params>;

const sameUrl = (a: string | undefined, b: string) => a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
const normalJql = (jql: string | undefined) => (jql ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

function differences(hook: JiraWebhook, p: { jql: string; events: readonly string[] }): string[] {
  const wrong: string[] = [];
  if (hook.enabled === false) wrong.push('disabled');
  const missing = p.events.filter((e) => !hook.events.includes(e));
  if (missing.length > 0) wrong.push(`events ${missing.join(', ')} missing`);
  if (normalJql(hook.filters?.['issue-related-events-section']) !== normalJql(p.jql))
    wrong.push(`filter "${hook.filters?.['issue-related-events-section'] ?? ''}" instead of "${p.jql}"`);
  return wrong;
}

async function installed(jira: JiraApi, p: Params): Promise<{ webhookId: string } | undefined> {
  const hook = (await jira.listWebhooks()).find((h) => sameUrl(h.url, p.url) && differences(h, p).length === 0);
  return hook ? { webhookId: webhookId(hook) } : undefined;
}

/**
 * `jira.webhook.create { url, jql, events, webhookId? }`: creates the Jira webhook posting `events` of the issues `jql`
 * selects to `url`, signed with `connectors.jira.webhookSecret` (never a parameter), or repairs webhook `webhookId`.
 * Needs a Jira administrator's credentials; refused when no secret is configured.
 */
export function webhookAction(api: ApiProvider, secret: string | undefined) {
  return defineActionType({
    type: 'jira.webhook.create',
    description: 'Create or repair the Jira webhook that sends issue and sprint events to teamstate serve',
    risk: 'medium',
    params,
    precondition: async () =>
      secret
        ? { ok: true }
        : { ok: false, reason: 'connectors.jira.webhookSecret is not set: set it (e.g. ${JIRA_WEBHOOK_SECRET}) to sign the webhook' },
    async execute(p: Params) {
      const jira = await api();
      const done = await installed(jira, p);
      if (done) return done;
      const body: JiraWebhookBody = {
        name: 'teamstate',
        url: p.url,
        events: p.events,
        filters: { 'issue-related-events-section': p.jql },
        excludeBody: false,
        enabled: true,
        ...(secret ? { secret } : {}),
      };
      const hook = p.webhookId === undefined ? await jira.createWebhook(body) : await jira.updateWebhook(p.webhookId, body);
      return { webhookId: webhookId(hook) };
    },
    async checkExecuted(p: Params) {
      const found = await installed(await api(), p);
      return found ? { executed: true, result: found } : { executed: false };
    },
  });
}

/** The one webhook the connector needs: the configured projects' issue and sprint events, posted to `<url>/webhooks/jira`. */
export function jiraWebhookInstall(projects: readonly string[], api: ApiProvider): WebhookInstall {
  return {
    async plan(ctx) {
      const url = `${ctx.url.replace(/\/+$/, '')}/webhooks/jira`;
      const events = [...JIRA_WEBHOOK_EVENTS];
      const jql = projectsJql(projects);
      const scope = `projects ${[...projects].sort().join(', ')}`;
      const hooks = (await (await api()).listWebhooks()).filter((h) => sameUrl(h.url, url));
      const good = hooks.find((h) => differences(h, { jql, events }).length === 0);
      if (good) return [{ scope, status: 'ok', detail: `webhook ${webhookId(good)} sends issue and sprint events to ${url}` }];
      const action = { type: 'jira.webhook.create', target: `jira:${[...projects].sort().join(',')}`, params: { url, jql, events } };
      const broken = hooks[0];
      const step: WebhookInstallStep = broken
        ? {
            scope,
            status: 'repair',
            detail: `webhook ${webhookId(broken)}: ${differences(broken, { jql, events }).join('; ')}`,
            action: { ...action, params: { ...action.params, webhookId: webhookId(broken) } },
          }
        : { scope, status: 'create', detail: `a webhook for ${jql} sending issue and sprint events to ${url}`, action };
      return [step];
    },
  };
}
