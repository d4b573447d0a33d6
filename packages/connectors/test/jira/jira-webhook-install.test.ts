import { readFileSync } from 'node:fs';
import { createTeamState } from '@teamstate/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SITE } from './fake-jira.js';
import { SECRET_TOKEN, testConnector, WEBHOOK_SECRET } from './jira-test-setup.js';

// Issue 50: the Jira connector plans and carries out `jira.webhook.create` (the admin webhooks API, the same on Cloud and
// Data Center), with a JQL filter for its projects, signed with its webhookSecret; behind msw, answered from a realistic
// fixture of the webhooks list.
interface Hook {
  self: string;
  name: string;
  url: string;
  events: string[];
  filters?: { 'issue-related-events-section'?: string };
  enabled?: boolean;
  secret?: string;
  [key: string]: unknown;
}
const fixture = readFileSync(new URL('../__fixtures__/jira/webhooks.json', import.meta.url), 'utf8');
let hooks: Hook[];
let writes: { method: string; path: string; body: Record<string, unknown> }[];
const base = `${SITE}/rest/webhooks/1.0/webhook`;
const shown = ({ secret: _secret, ...hook }: Hook) => hook;
const server = setupServer(
  http.get(base, () => HttpResponse.json(hooks.map(shown))),
  http.post(base, async ({ request }) => {
    const body = (await request.json()) as Hook;
    writes.push({ method: 'POST', path: new URL(request.url).pathname, body });
    const hook = { ...body, self: `${base}/${30 + hooks.length}` };
    hooks.push(hook);
    return HttpResponse.json(shown(hook), { status: 201 });
  }),
  http.put(`${base}/:id`, async ({ request, params }) => {
    const body = (await request.json()) as Hook;
    writes.push({ method: 'PUT', path: new URL(request.url).pathname, body });
    const hook = hooks.find((h) => h.self.endsWith(`/${String(params.id)}`));
    if (!hook) return HttpResponse.json({ errorMessages: ['Webhook not found'], errors: {} }, { status: 404 });
    Object.assign(hook, body);
    return HttpResponse.json(shown(hook));
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  hooks = JSON.parse(fixture) as Hook[];
  writes = [];
});

const EVENTS = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'sprint_created',
  'sprint_updated',
  'sprint_started',
  'sprint_closed',
  'sprint_deleted',
];

async function open(overrides = {}) {
  const connector = testConnector({ webhookSecret: WEBHOOK_SECRET, projects: ['PAY', 'OPS'], teamOfProject: {}, ...overrides });
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [connector],
    policy: { actions: { 'jira.webhook.create': { mode: 'auto' } } },
  });
  return { ts, connector };
}

// jira.js loads its schemas on first use (a second or more on a busy machine).
describe('jira.webhook.create and the webhook install plan (issue 50)', () => {
  it('plans a webhook for the projects, creates it signed with the secret, then finds it in place', async () => {
    const { ts, connector } = await open();
    try {
      const [step] = await connector.webhookInstall!.plan({ url: 'https://teamstate.acme.dev/', now: () => new Date() });
      expect(step).toEqual({
        scope: 'projects OPS, PAY',
        status: 'create',
        detail: 'a webhook for project in (OPS, PAY) sending issue and sprint events to https://teamstate.acme.dev/webhooks/jira',
        action: {
          type: 'jira.webhook.create',
          target: 'jira:OPS,PAY',
          params: { url: 'https://teamstate.acme.dev/webhooks/jira', jql: 'project in (OPS, PAY)', events: EVENTS },
        },
      });
      // The secret is the connector's, never in the approval's params.
      expect(JSON.stringify(step)).not.toContain(WEBHOOK_SECRET);
      const approval = await ts.actions.propose({ ...step!.action!, reason: 'install', requestedBy: 'teamstate-cli' });
      expect(approval.status, JSON.stringify(approval.error)).toBe('executed');
      expect(approval.result).toEqual({ webhookId: '31' });
      expect(writes).toEqual([
        {
          method: 'POST',
          path: '/rest/webhooks/1.0/webhook',
          body: {
            name: 'teamstate',
            url: 'https://teamstate.acme.dev/webhooks/jira',
            events: EVENTS,
            filters: { 'issue-related-events-section': 'project in (OPS, PAY)' },
            excludeBody: false,
            enabled: true,
            secret: WEBHOOK_SECRET,
          },
        },
      ]);
      const again = await connector.webhookInstall!.plan({ url: 'https://teamstate.acme.dev', now: () => new Date() });
      expect(again).toEqual([
        {
          scope: 'projects OPS, PAY',
          status: 'ok',
          detail: 'webhook 31 sends issue and sprint events to https://teamstate.acme.dev/webhooks/jira',
        },
      ]);
      expect(JSON.stringify(await ts.approvals.list({}))).not.toContain(SECRET_TOKEN);
    } finally {
      await ts.close();
    }
  });

  it('repairs a teamstate webhook whose filter or events drifted, and leaves other webhooks alone', async () => {
    hooks.push({
      self: `${base}/22`,
      name: 'teamstate',
      url: 'https://teamstate.acme.dev/webhooks/jira',
      events: ['jira:issue_updated'],
      filters: { 'issue-related-events-section': 'project = PAY' },
      enabled: true,
    });
    const { ts, connector } = await open();
    try {
      const [step] = await connector.webhookInstall!.plan({ url: 'https://teamstate.acme.dev', now: () => new Date() });
      expect(step).toMatchObject({ status: 'repair', action: { params: { webhookId: '22' } } });
      expect(step!.detail).toContain('filter "project = PAY" instead of "project in (OPS, PAY)"');
      expect((await ts.actions.propose({ ...step!.action!, reason: 'repair', requestedBy: 'teamstate-cli' })).status).toBe('executed');
      expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['PUT /rest/webhooks/1.0/webhook/22']);
      expect(hooks[0]!.url).toBe('https://bots.acme.dev/jira/release-notes');
      expect((await connector.webhookInstall!.plan({ url: 'https://teamstate.acme.dev', now: () => new Date() }))[0]!.status).toBe('ok');
    } finally {
      await ts.close();
    }
  });

  it('refuses to create a webhook without a webhookSecret to sign it', async () => {
    const { ts } = await open({ webhookSecret: undefined });
    try {
      await expect(
        ts.actions.propose({
          type: 'jira.webhook.create',
          target: 'jira:OPS,PAY',
          params: { url: 'https://teamstate.acme.dev/webhooks/jira', jql: 'project in (OPS, PAY)', events: EVENTS },
          reason: 'install',
          requestedBy: 'teamstate-cli',
        }),
      ).rejects.toThrow('jira.webhook.create: connectors.jira.webhookSecret is not set');
      expect(writes).toEqual([]);
    } finally {
      await ts.close();
    }
  });
});
