import { bitbucket } from '@teamstate/connectors/bitbucket';
import { circleci } from '@teamstate/connectors/circleci';
import { github } from '@teamstate/connectors/github';
import { gitlab } from '@teamstate/connectors/gitlab';
import { jira } from '@teamstate/connectors/jira';
import { linear } from '@teamstate/connectors/linear';
import { opsgenie } from '@teamstate/connectors/opsgenie';
import { pagerduty } from '@teamstate/connectors/pagerduty';
import { slack } from '@teamstate/connectors/slack';
import { statuspage } from '@teamstate/connectors/statuspage';
import { createTeamState, type TeamState } from '@teamstate/core';
import { DEFAULT_TOOLSETS, TOOLSETS } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './fixtures/connect.js';

/**
 * What the tool definitions cost a client's context window before the first question: the JSON of the `tools` array
 * of `tools/list`, as the real MCP client receives it (docs/mcp.md#the-context-budget), measured with every built-in connector
 * configured (propose_action's description lists each action type). 20,000 until the hub's tools (ack_signal,
 * list_risks and the risk.* action types), the incidents and plans toolsets; 24,000 since.
 */
const BUDGET = 24_000;

let ts: TeamState;
beforeAll(async () => {
  // Every built-in connector configured, so propose_action describes every action type a real set-up can have.
  ts = await createTeamState({
    database: ':memory:',
    connectors: [
      github({ token: 'ghp_budget', repositories: ['acme/api'] }),
      gitlab({ token: 'glpat-budget', projects: ['acme/checkout'] }),
      jira({ host: 'https://acme.atlassian.net', email: 'bot@acme.example', apiToken: 'budget', projects: ['PAY'] }),
      linear({ apiKey: 'lin_api_budget', teams: ['PAY'] }),
      slack({ token: 'xoxb-budget', signingSecret: 'budget' }),
      pagerduty({ token: 'budget', from: 'bot@acme.example' }),
      statuspage({ token: 'budget', pageId: 'kctbh9vrtdwd' }),
      circleci({ token: 'budget', projects: ['gh/acme/api'] }),
      opsgenie({ apiKey: 'budget' }),
      bitbucket({ token: 'budget', workspace: 'acme' }),
    ],
  });
});
afterAll(() => ts.close());

async function size(toolsets?: readonly string[]): Promise<{ tools: number; characters: number }> {
  const server = await connect(ts, toolsets ? { toolsets } : {});
  try {
    const { tools } = await server.client.listTools();
    return { tools: tools.length, characters: JSON.stringify(tools).length };
  } finally {
    await server.close();
  }
}

describe('the context budget of tools/list (issue 22)', () => {
  it(`keeps the default set (every toolset but insights) within ${BUDGET.toLocaleString('en-US')} characters`, async () => {
    const all = await size();
    expect(ts.actions.list().length).toBeGreaterThanOrEqual(10);
    expect(all.tools).toBeGreaterThanOrEqual(16);
    expect(all.characters, `tools/list of ${all.tools} tools`).toBeLessThanOrEqual(BUDGET);
    console.log(`tools/list: ${all.tools} tools, ${all.characters} characters`);
  });

  it('measures each default toolset alone; together they cost what the default set costs', async () => {
    const each = Object.fromEntries(await Promise.all(DEFAULT_TOOLSETS.map(async (name) => [name, await size([name])] as const)));
    const all = await size();
    expect(Object.values(each).reduce((sum, one) => sum + one.tools, 0)).toBe(all.tools);
    // The array's brackets and commas aside, the sets add up: no tool is counted twice or left out.
    const joined = Object.values(each).reduce((sum, one) => sum + Math.max(0, one.characters - 2), 0) + 2;
    expect(Math.abs(joined - all.characters)).toBeLessThanOrEqual(DEFAULT_TOOLSETS.length);
    for (const [name, one] of Object.entries(each)) if (one.tools > 0) expect(one.characters, name).toBeLessThan(all.characters);
  });

  it('leaves insights out of the default set: enabled with --toolsets, it adds its own tools', async () => {
    const all = await size();
    const insights = await size(['insights']);
    expect(insights.tools).toBeGreaterThanOrEqual(2);
    expect((await size(TOOLSETS)).tools).toBe(all.tools + insights.tools);
    console.log(`insights: ${insights.tools} tools, ${insights.characters} characters`);
  });
});
