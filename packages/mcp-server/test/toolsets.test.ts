import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, createMcpServer, DEFAULT_TOOLSETS, TOOLSETS } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, actionsConnector, NOW, POLICY } from './fixtures/acme.js';
import { call, callRefused, connect } from './fixtures/connect.js';

/** The toolsets of issue 22 and the tools each holds, in tools/list order. */
const BY_TOOLSET = {
  delivery: [
    'team_overview',
    'list_people',
    'list_work_items',
    'get_work_item',
    'get_metrics',
    'list_signals',
    'ack_signal',
    'standup_digest',
    'sprint_health',
    'pr_review_queue',
  ],
  reports: ['search_reports', 'person_timeline', 'submit_daily_report'],
  actions: ['propose_action', 'get_approval', 'await_approval', 'list_approvals'],
  knowledge: ['search_knowledge', 'who_knows'],
  ai: ['ai_impact', 'ai_feedback_patterns', 'report_ai_issue'],
  incidents: ['list_incidents', 'incident_brief'],
  plans: ['list_risks', 'goals_progress', 'forecast'],
  insights: ['get_allocation', 'plan_capacity', 'pulse_results', 'oncall_health'],
} as const;

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [actionsConnector([])], policy: POLICY, clock: () => NOW });
  await ts.import(acmeBundle());
});
afterAll(() => ts.close());

async function listed(options?: Parameters<typeof createMcpServer>[1]): Promise<string[]> {
  const server = await connect(ts, options);
  try {
    return (await server.client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await server.close();
  }
}

describe('toolsets (issue 22)', () => {
  it('names the eight toolsets, all but insights offered by default', () => {
    expect(TOOLSETS).toEqual(['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans', 'insights']);
    expect(DEFAULT_TOOLSETS).toEqual(TOOLSETS.filter((name) => name !== 'insights'));
  });

  it('offers every default toolset when none is chosen, and insights when asked for', async () => {
    const { insights, ...defaults } = BY_TOOLSET;
    expect((await listed()).sort()).toEqual(Object.values(defaults).flat().sort());
    expect(await listed({ toolsets: ['insights'] })).toEqual(insights);
    expect((await listed({ toolsets: TOOLSETS })).sort()).toEqual(Object.values(BY_TOOLSET).flat().sort());
  });

  it('names the insights toolset in the instructions while it is not offered', async () => {
    const without = await connect(ts);
    const withIt = await connect(ts, { toolsets: ['delivery', 'insights'] });
    try {
      expect(without.client.getInstructions()).toContain('toolset insights (get_allocation');
      expect(withIt.client.getInstructions()).not.toContain('toolset insights');
    } finally {
      await without.close();
      await withIt.close();
    }
  });

  it('offers only the tools of the toolsets asked for', async () => {
    expect(await listed({ toolsets: ['delivery'] })).toEqual(BY_TOOLSET.delivery);
    expect(await listed({ toolsets: ['reports'] })).toEqual(BY_TOOLSET.reports);
    expect((await listed({ toolsets: ['delivery', 'actions'] })).sort()).toEqual([...BY_TOOLSET.delivery, ...BY_TOOLSET.actions].sort());
    expect(await listed({ toolsets: ['knowledge'] })).toEqual(BY_TOOLSET.knowledge);
    expect(await listed({ toolsets: ['ai'] })).toEqual(BY_TOOLSET.ai);
    expect(await listed({ toolsets: ['plans'] })).toEqual(BY_TOOLSET.plans);
  });

  it('refuses a call to a tool outside the chosen toolsets, naming the toolset to enable', async () => {
    const server = await connect(ts, { toolsets: ['delivery'] });
    try {
      expect(await callRefused(server.client, 'propose_action', { type: 'test.note.add', target: 'x', reason: 'y' })).toBe(
        'name: propose_action is in the toolset "actions", which this server does not offer (it offers: delivery); start it with --toolsets including actions',
      );
      expect(await ts.approvals.list()).toEqual([]);
      await call(server.client, 'team_overview');
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown toolset with one error listing the known ones', () => {
    expect(() => createMcpServer(ts, { toolsets: ['delivery', 'deliveries'] })).toThrow(
      'toolsets: unknown toolset "deliveries" (did you mean "delivery"?); known toolsets: delivery, actions, reports, knowledge, ai, incidents, plans, insights',
    );
    // Over HTTP each session gets its own server: the name is checked when the handler is made, not at the first request.
    expect(() => createMcpHttpHandler(ts, { token: 't'.repeat(32), toolsets: ['reprots'] })).toThrow(
      'toolsets: unknown toolset "reprots" (did you mean "reports"?)',
    );
    expect(() => createMcpServer(ts, { toolsets: [] })).toThrow(
      'toolsets: expected at least one of delivery, actions, reports, knowledge, ai, incidents, plans, insights',
    );
  });
});

describe('read-only (issue 22)', () => {
  it('offers only the tools annotated readOnlyHint: true', async () => {
    const server = await connect(ts, { readOnly: true });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        [
          ...BY_TOOLSET.delivery.filter((name) => name !== 'ack_signal'),
          'search_reports',
          'person_timeline',
          'get_approval',
          'list_approvals',
          ...BY_TOOLSET.knowledge,
          'ai_impact',
          'ai_feedback_patterns',
          ...BY_TOOLSET.incidents,
          ...BY_TOOLSET.plans,
        ].sort(),
      );
    } finally {
      await server.close();
    }
  });

  it('refuses a write tool with a message that says why, and changes nothing', async () => {
    const server = await connect(ts, { readOnly: true, onBehalfOf: 'ana' });
    try {
      expect(await callRefused(server.client, 'submit_daily_report', { text: 'Shipped the refund flow.' })).toBe(
        'name: submit_daily_report changes data and this server is read-only (started with --read-only)',
      );
      expect(await callRefused(server.client, 'await_approval', { id: 'apr_x' })).toContain('this server is read-only');
      expect((await ts.reports.list({ person: 'ana' })).items).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('combines with toolsets', async () => {
    expect(await listed({ toolsets: ['actions'], readOnly: true })).toEqual(['get_approval', 'list_approvals']);
  });

  it('leaves out of prompts the steps that call a tool the server does not offer', async () => {
    const text = async (options: Parameters<typeof createMcpServer>[1]) => {
      const server = await connect(ts, options);
      try {
        const prompt = await server.client.getPrompt({ name: 'pr_triage', arguments: { team: 'payments' } });
        return JSON.stringify(prompt.messages[0]?.content);
      } finally {
        await server.close();
      }
    };
    expect(await text({})).toContain('propose_action');
    expect(await text({ readOnly: true })).not.toContain('propose_action');
    expect(await text({ toolsets: ['delivery'] })).not.toContain('propose_action');
  });
});
