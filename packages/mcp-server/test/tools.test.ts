import type { Approval } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { INJECTION } from './fixtures/acme.js';
import { call, callError, callRefused, useAcmeServer } from './fixtures/connect.js';

const acme = useAcmeServer();

const READ_TOOLS = [
  'team_overview',
  'list_people',
  'list_work_items',
  'get_work_item',
  'get_metrics',
  'list_signals',
  'standup_digest',
  'sprint_health',
  'pr_review_queue',
  'ai_impact',
  'goals_progress',
  'forecast',
  'search_reports',
  'person_timeline',
  'ai_feedback_patterns',
  'search_knowledge',
  'who_knows',
  'list_incidents',
  'incident_brief',
  'list_risks',
];
/** Tools that write to the local store only (never to GitHub, Jira or Slack). */
const WRITE_TOOLS = ['submit_daily_report', 'report_ai_issue', 'ack_signal'];
const CONTROL_TOOLS = ['propose_action', 'get_approval', 'await_approval', 'list_approvals'];

describe('tools/list', () => {
  it('lists the contract tools, each with a description for a model, bounded schemas and explicit annotations', async () => {
    const { tools } = await acme.client.listTools();
    // Their order is the schema snapshot's (tool-schemas.test.ts).
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS, ...CONTROL_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(150);
      expect(tool.inputSchema.type).toBe('object');
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties, tool.name).toBe(false);
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      // A read-only tool lists readOnlyHint and openWorldHint (the specification gives the other two meaning only for
      // tools that write); a tool that writes lists all four.
      const hints = tool.annotations?.readOnlyHint
        ? (['readOnlyHint', 'openWorldHint'] as const)
        : (['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const);
      for (const hint of hints) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(
        READ_TOOLS.includes(tool.name) || ['get_approval', 'list_approvals'].includes(tool.name),
      );
    }
  });

  it('bounds every limit and the wait', async () => {
    const { tools } = await acme.client.listTools();
    const property = (tool: string, name: string) =>
      tools.find((t) => t.name === tool)?.inputSchema.properties?.[name] as { minimum?: number; maximum?: number } | undefined;
    expect(property('list_work_items', 'limit')).toMatchObject({ minimum: 1, maximum: 100 });
    expect(property('list_people', 'limit')).toMatchObject({ minimum: 1, maximum: 100 });
    expect(property('list_approvals', 'limit')).toMatchObject({ minimum: 1, maximum: 100 });
    expect(property('await_approval', 'timeoutSeconds')).toMatchObject({ minimum: 1, maximum: 50 });
  });

  it('offers no tool that can decide an approval', async () => {
    const { tools } = await acme.client.listTools();
    expect(tools.filter((tool) => /approve|decide|decline|modify/.test(tool.name))).toEqual([]);
    const approvalIdTools = tools.filter((tool) => 'id' in (tool.inputSchema.properties ?? {}));
    for (const tool of approvalIdTools) expect(Object.keys(tool.inputSchema.properties ?? {})).not.toContain('decision');
  });

  it('lists the action types and what the policy does with them in the propose_action description', async () => {
    const { tools } = await acme.client.listTools();
    const description = tools.find((tool) => tool.name === 'propose_action')?.description ?? '';
    expect(description).toContain('- test.pr: merge (approver) {repository, number: int}');
    expect(description).toContain('- test.note: add (runs at once)');
    expect(description).toContain('- test.channel: archive (denied by policy)');
  });
});

describe('read tools', () => {
  it('team_overview: every team, or one', async () => {
    const all = await call<{ totals: { teams: number; workItems: number }; teams: { id: string }[] }>(acme.client, 'team_overview');
    expect(all.totals).toMatchObject({ teams: 3, workItems: 32 });
    expect(all.teams.map((team) => team.id)).toEqual(['leads', 'payments', 'platform']);
    const one = await call<{ teams: { id: string; openPullRequests: number; members: number }[] }>(acme.client, 'team_overview', {
      team: 'payments',
    });
    expect(one.teams).toHaveLength(1);
    expect(one.teams[0]).toMatchObject({ id: 'payments', members: 2 });
  });

  it('list_people: by team, by search, paged by id', async () => {
    const payments = await call<{ items: { id: string }[]; total: number }>(acme.client, 'list_people', { team: 'payments' });
    expect(payments.items.map((p) => p.id)).toEqual(['ana', 'ben']);
    const found = await call<{ items: { id: string; accounts: unknown[] }[] }>(acme.client, 'list_people', { search: 'CLEOM' });
    expect(found.items.map((p) => p.id)).toEqual(['cleo']);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ items: { id: string }[]; nextCursor?: string; total: number }>(acme.client, 'list_people', {
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(4);
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(['ana', 'ben', 'cleo', 'dev']);
  });

  it('list_work_items: filters combine, pages follow nextCursor without gaps or repeats, limit bounds a page', async () => {
    const open = await call<{ items: { key: string; state: string; kind: string }[] }>(acme.client, 'list_work_items', {
      kind: 'pull_request',
      state: 'open',
      repository: 'acme/api',
      limit: 100,
    });
    expect(open.items.length).toBeGreaterThan(0);
    expect(open.items.every((item) => item.state === 'open' && item.kind === 'pull_request')).toBe(true);
    const byLogin = await call<{ items: { author?: string; assignees?: string[] }[] }>(acme.client, 'list_work_items', {
      person: 'beno',
      limit: 100,
    });
    expect(byLogin.items.length).toBeGreaterThan(0);
    expect(byLogin.items.every((item) => item.author === 'ben' || item.assignees?.includes('ben'))).toBe(true);
    // assignee: only what is assigned to them, not what they merely authored (issue 17).
    const assigned = await call<{ items: { author?: string; assignees?: string[] }[] }>(acme.client, 'list_work_items', {
      assignee: 'ben',
      limit: 100,
    });
    expect(assigned.items.length).toBeGreaterThan(0);
    expect(assigned.items.every((item) => item.assignees?.includes('ben'))).toBe(true);
    const authoredOrAssigned = await call<{ items: unknown[] }>(acme.client, 'list_work_items', { person: 'ben', limit: 100 });
    expect(authoredOrAssigned.items.length).toBeGreaterThan(assigned.items.length);
    expect(await callError(acme.client, 'list_work_items', { assignee: 'anna' })).toMatch(/^assignee: unknown person/);
    const recent = await call<{ items: { key: string }[] }>(acme.client, 'list_work_items', { updatedSince: '2026-03-10T00:00:00Z' });
    expect(recent.items.map((item) => item.key)).toEqual(['PAY-1']);
    const stories = await call<{ items: { key: string }[] }>(acme.client, 'list_work_items', {
      team: 'payments',
      statusCategory: 'in_progress',
    });
    expect(stories.items.map((item) => item.key)).toEqual(['PAY-1']);

    const keys: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call<{ items: { key: string }[]; nextCursor?: string }>(acme.client, 'list_work_items', {
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(7);
      keys.push(...page.items.map((item) => item.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(keys).size).toBe(32);
  });

  it('list_work_items: summaries leave out bodies, reviews and transitions', async () => {
    const page = await call<{ items: Record<string, unknown>[] }>(acme.client, 'list_work_items', { limit: 100 });
    for (const item of page.items) {
      expect(item).not.toHaveProperty('body');
      expect(item).not.toHaveProperty('reviews');
      expect(item).not.toHaveProperty('transitions');
    }
    expect(page.items.find((item) => item.key === 'acme/api#1')).toMatchObject({ reviewCount: 1 });
    expect(JSON.stringify(page).length).toBeLessThan(40_000);
  });

  it('get_work_item: by key or id, with reviews, transitions and a bounded body', async () => {
    const pr = await call<{ id: string; reviews: unknown[]; body: string }>(acme.client, 'get_work_item', { id: 'acme/api#1' });
    expect(pr).toMatchObject({ id: 'pr-1', body: INJECTION });
    expect(pr.reviews).toHaveLength(1);
    const story = await call<{ key: string; body: string; bodyTruncated: boolean; transitions: unknown[] }>(acme.client, 'get_work_item', {
      id: 'PAY-1',
    });
    expect(story.transitions).toHaveLength(1);
    expect(story.bodyTruncated).toBe(true);
    expect(story.body.length).toBe(8_001);
  });
});

describe('control tools', () => {
  it('propose_action: the policy runs, holds or refuses, and the assistant is the requester', async () => {
    const auto = await call<{ status: string; mode: string; result: unknown; requestedBy: string }>(acme.client, 'propose_action', {
      type: 'test.note.add',
      target: 'PAY-1',
      params: { key: 'PAY-1', text: 'refunds need a design review' },
      reason: 'The user asked to leave a note',
    });
    expect(auto).toMatchObject({
      status: 'executed',
      mode: 'auto',
      requestedBy: 'assistant',
      result: { done: true, type: 'test.note.add' },
    });

    const held = await call<Approval & { next: string }>(acme.client, 'propose_action', {
      type: 'test.pr.merge',
      target: 'acme/api#2',
      params: { repository: 'acme/api', number: 2 },
      reason: 'CI is green and it has two approvals',
    });
    expect(held).toMatchObject({
      status: 'pending',
      mode: 'require_approval',
      risk: 'high',
      approvers: ['ana'],
      expiresAt: '2026-03-10T16:00:00.000Z',
    });
    expect(held.next).toContain('await_approval');
    // The model is never handed a way to approve its own proposal (issue 16, finding 4): no command to run.
    expect(held.next).toContain('in Slack or in their own terminal');
    expect(held.next).not.toMatch(/teamstate|approvals approve|--as\b|`/);
    expect(acme.executions.filter((e) => e.type === 'test.pr.merge')).toEqual([]);

    const refused = await call<{ status: string; mode: string }>(acme.client, 'propose_action', {
      type: 'test.channel.archive',
      target: '#random',
      params: { channel: 'random' },
      reason: 'Nobody posts there',
    });
    expect(refused).toMatchObject({ status: 'denied', mode: 'deny' });
    expect(acme.executions.map((e) => e.type)).toEqual(['test.note.add']);
  });

  it('get_approval and list_approvals read what was proposed', async () => {
    const [pending] = await acme.ts.approvals.list({ status: 'pending' });
    const got = await call<{ id: string; status: string }>(acme.client, 'get_approval', { id: pending!.id });
    expect(got).toMatchObject({ id: pending!.id, status: 'pending' });
    const listed = await call<{ items: { status: string; type: string }[] }>(acme.client, 'list_approvals', {});
    expect(listed.items.map((a) => a.status).sort()).toEqual(['denied', 'executed', 'pending']);
    const onlyPending = await call<{ items: { type: string }[] }>(acme.client, 'list_approvals', { status: 'pending' });
    expect(onlyPending.items.map((a) => a.type)).toEqual(['test.pr.merge']);
    const byType = await call<{ items: unknown[] }>(acme.client, 'list_approvals', { type: 'test.note.add', limit: 1 });
    expect(byType.items).toHaveLength(1);
  });

  it('await_approval: returns the pending state when the time is up, saying so', async () => {
    const [pending] = await acme.ts.approvals.list({ status: 'pending' });
    const result = await call<{ status: string; timedOut: boolean; waitedSeconds: number }>(acme.client, 'await_approval', {
      id: pending!.id,
      timeoutSeconds: 1,
    });
    expect(result).toMatchObject({ status: 'pending', timedOut: true });
    expect(result.waitedSeconds).toBeGreaterThanOrEqual(0.9);
  });

  it('await_approval: returns a terminal state at once', async () => {
    const [denied] = await acme.ts.approvals.list({ status: 'denied' });
    const result = await call<{ status: string; timedOut: boolean }>(acme.client, 'await_approval', { id: denied!.id, timeoutSeconds: 50 });
    expect(result).toMatchObject({ status: 'denied', timedOut: false });
  });
});

describe('bad input answers isError with a message that names the argument, and the server keeps serving', () => {
  const cases: [tool: string, args: Record<string, unknown>, message: string | RegExp][] = [
    ['team_overview', { team: 5 }, 'team: expected a non-empty id string of at most 200 characters, got 5'],
    ['team_overview', { team: 'paymnets' }, 'team: unknown team "paymnets" (did you mean "payments"?)'],
    ['get_metrics', { team: 'paymnets' }, 'team: unknown team "paymnets" (did you mean "payments"?)'],
    ['get_metrics', { repository: 'acme/apii' }, 'repository: unknown repository "acme/apii" (did you mean "acme/api"?)'],
    ['team_overview', { teams: 'payments' }, 'teams: unknown argument (did you mean "team"?)'],
    ['list_people', { limit: 0 }, 'limit: expected a whole number from 1 to 100, got 0'],
    ['list_people', { limit: 101 }, 'limit: expected a whole number from 1 to 100, got 101'],
    ['list_people', { limit: 'ten' }, 'limit: expected a whole number from 1 to 100, got "ten"'],
    ['list_people', { cursor: 'not-a-cursor' }, /^cursor: not a cursor returned by a previous page/],
    ['list_people', { team: 'nope' }, /^team: unknown team "nope"/],
    ['list_people', { search: '' }, 'search: expected a non-empty string of at most 100 characters, got ""'],
    ['list_work_items', { limit: 1000 }, 'limit: expected a whole number from 1 to 100, got 1000'],
    ['list_work_items', { limit: 2.5 }, 'limit: expected a whole number from 1 to 100, got 2.5'],
    ['list_work_items', { kind: 'prs' }, 'kind: expected one of pull_request|issue|story|bug|task|epic, got "prs"'],
    ['list_work_items', { statusCategory: 'doing' }, 'statusCategory: expected one of todo|in_progress|done, got "doing"'],
    [
      'list_work_items',
      { updatedSince: 'yesterday' },
      'updatedSince: expected an ISO 8601 timestamp with an offset, e.g. 2026-03-01T00:00:00Z, got "yesterday"',
    ],
    ['list_work_items', { updatedSince: '2026-02-30T00:00:00Z' }, /^updatedSince: expected an ISO 8601 timestamp/],
    ['list_work_items', { person: 'nobody' }, /^person: unknown person \(id, login or email\) "nobody"/],
    ['list_work_items', { repository: 'acme/apii' }, 'repository: unknown repository "acme/apii" (did you mean "acme/api"?)'],
    ['list_work_items', { cursor: 'zzz' }, /^cursor: not a cursor returned by a previous page/],
    ['list_work_items', { state: 42 }, 'state: expected a non-empty string of at most 100 characters, got 42'],
    ['get_work_item', {}, 'id: is required (expected a non-empty id string of at most 200 characters)'],
    ['get_work_item', { id: 42 }, 'id: expected a non-empty id string of at most 200 characters, got 42'],
    ['get_work_item', { id: 'acme/api#999' }, 'id: work item "acme/api#999" was not found in this workspace'],
    [
      'propose_action',
      { type: 'test.pr.merg', target: 'acme/api#2', params: { repository: 'acme/api', number: 2 }, reason: 'r' },
      /^type: unknown action type "test.pr.merg" \(did you mean "test.pr.merge"\?\)/,
    ],
    [
      'propose_action',
      { type: 'test.pr.merge', target: 'acme/api#2', params: { repository: 'acme/api', number: 'two' }, reason: 'r' },
      /^params\.number: /,
    ],
    [
      'propose_action',
      { type: 'test.pr.merge', target: 'acme/api#2', params: 'merge it', reason: 'r' },
      /^params: expected an object of the action's params, got "merge it"/,
    ],
    ['propose_action', { type: 'test.pr.merge', params: { repository: 'acme/api', number: 2 }, reason: 'r' }, /^target: is required/],
    ['propose_action', { type: 'test.pr.merge', target: 'acme/api#2', params: {}, reason: '' }, /^reason: expected a non-empty string/],
    [
      'propose_action',
      { type: 'test.pr.merge', target: 'x', params: { repository: 'acme/api', number: 2 }, reason: 'r', requestedBy: 'ana' },
      'requestedBy: unknown argument (allowed: type, target, params, reason, model)',
    ],
    ['get_approval', { id: 'apr_missing' }, 'id: approval "apr_missing" was not found in this workspace'],
    ['await_approval', { id: 'apr_missing', timeoutSeconds: 1 }, 'id: approval "apr_missing" was not found in this workspace'],
    ['await_approval', { id: 'apr_x', timeoutSeconds: 51 }, 'timeoutSeconds: expected a whole number from 1 to 50, got 51'],
    ['await_approval', { id: 'apr_x', timeoutSeconds: 0 }, 'timeoutSeconds: expected a whole number from 1 to 50, got 0'],
    ['await_approval', { id: 'apr_x', timeoutSeconds: '10' }, 'timeoutSeconds: expected a whole number from 1 to 50, got "10"'],
    ['list_approvals', { status: 'open' }, /^status: expected one of auto\|pending\|approved/],
    ['list_approvals', { limit: -1 }, 'limit: expected a whole number from 1 to 100, got -1'],
  ];

  it('answers a call of an unknown tool with a JSON-RPC error naming it and the tools there are', async () => {
    expect(await callRefused(acme.client, 'approve_action', { id: 'apr_x' })).toMatch(
      /^name: unknown tool "approve_action"; available: team_overview, /,
    );
    await call(acme.client, 'team_overview', { team: 'payments' });
  });

  it.each(cases)('%s %j', async (tool, args, message) => {
    const text = await callError(acme.client, tool, args);
    if (typeof message === 'string') expect(text).toBe(message);
    else expect(text).toMatch(message);
    // The same connection still answers.
    await call(acme.client, 'team_overview', { team: 'payments' });
  });

  it('reports every bad argument of one call, one per line', async () => {
    const text = await callError(acme.client, 'list_work_items', { limit: 0, kind: 'prs', updatedSince: 'soon' });
    expect(text.split('\n').map((line) => line.split(':')[0])).toEqual(['kind', 'updatedSince', 'limit']);
  });
});
