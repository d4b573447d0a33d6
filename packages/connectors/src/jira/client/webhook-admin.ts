import type { Client } from 'jira.js/core';

/** A webhook as `GET /rest/webhooks/1.0/webhook` returns it (Cloud and Data Center; the fields used). */
export interface JiraWebhook {
  /** `https://<site>/rest/webhooks/1.0/webhook/<id>`. */
  self: string;
  name: string;
  url: string;
  events: string[];
  filters?: { 'issue-related-events-section'?: string };
  enabled?: boolean;
}

/** What `jira.webhook.create` sends: the hook as wanted (the secret added from the connector's configuration). */
export interface JiraWebhookBody {
  name: string;
  url: string;
  events: string[];
  filters: { 'issue-related-events-section': string };
  excludeBody: false;
  enabled: true;
  secret?: string;
}

/** The webhook administration operations (an administrator's credentials), the same on Cloud and Data Center. */
export interface JiraWebhookAdmin {
  listWebhooks(): Promise<JiraWebhook[]>;
  createWebhook(body: JiraWebhookBody): Promise<JiraWebhook>;
  updateWebhook(id: string, body: JiraWebhookBody): Promise<JiraWebhook>;
}

/** The id at the end of a webhook's `self` URL. */
export const webhookId = (hook: { self: string }) => hook.self.replace(/\/+$/, '').split('/').pop() ?? '';

export function webhookAdmin(client: Client): JiraWebhookAdmin {
  return {
    listWebhooks: () => client.sendRequest<JiraWebhook[]>({ url: '/rest/webhooks/1.0/webhook', method: 'GET' }),
    createWebhook: (body) => client.sendRequest<JiraWebhook>({ url: '/rest/webhooks/1.0/webhook', method: 'POST', body }),
    updateWebhook: (id, body) =>
      client.sendRequest<JiraWebhook>({ url: `/rest/webhooks/1.0/webhook/${encodeURIComponent(id)}`, method: 'PUT', body }),
  };
}
