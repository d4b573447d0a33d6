import { createServer } from 'node:net';
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
import { type Connector, createTeamState } from '@teamstate/core';
import { beforeAll, describe, expect, it } from 'vitest';

// A host that does not resolve, or a port nobody listens on, will not answer however long a sync waits: each
// connector ends its sync at once, naming the host and the cause, rather than backing off (1 s, 2 s … 32 s) six times.
// Waiting is counted through the injected sleep, never timed.

let refused: string;
beforeAll(async () => {
  // A port that was free a moment ago: nothing listens there now.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  refused = `127.0.0.1:${port}`;
});

type Build = (base: string, sleep: (ms: number) => Promise<void>) => Connector;

const CONNECTORS: Record<string, { build: Build; key: string }> = {
  bitbucket: {
    build: (base, sleep) => bitbucket({ token: 'bb-test', baseUrl: base, workspace: 'acme', sleep }),
    key: 'connectors.bitbucket.baseUrl',
  },
  circleci: {
    build: (base, sleep) => circleci({ token: 'cci-test', baseUrl: base, projects: ['gh/acme/api'], sleep }),
    key: 'connectors.circleci.baseUrl',
  },
  gitlab: {
    build: (base, sleep) => gitlab({ token: 'glpat-test', baseUrl: base, groups: ['acme'], sleep }),
    key: 'connectors.gitlab.baseUrl',
  },
  linear: { build: (base, sleep) => linear({ apiKey: 'lin_api_test', url: `${base}/graphql`, sleep }), key: 'connectors.linear.url' },
  opsgenie: {
    build: (base, sleep) => opsgenie({ apiKey: 'og-test', baseUrl: base, sleep }),
    key: 'connectors.opsgenie.baseUrl',
  },
  pagerduty: {
    build: (base, sleep) => pagerduty({ token: 'pd-test', baseUrl: base, sleep }),
    key: 'connectors.pagerduty.baseUrl',
  },
  statuspage: {
    build: (base, sleep) => statuspage({ token: 'sp-test', pageId: 'page1', baseUrl: base, sleep }),
    key: 'connectors.statuspage.baseUrl',
  },
  jira: {
    build: (base, sleep) => jira({ host: base, email: 'ana@acme.example', apiToken: 'jira-test', projects: ['PAY'], sleep }),
    key: 'connectors.jira.host',
  },
  slack: {
    build: (base, sleep) => slack({ token: 'xoxb-test', signingSecret: 'slack-signing-test', apiUrl: `${base}/api/`, sleep }),
    key: 'connectors.slack.apiUrl',
  },
  github: {
    build: (base, sleep) => github({ token: 'ghp_test', baseUrl: base, org: 'acme', repositories: ['acme/api'], sleep }),
    key: 'connectors.github.baseUrl',
  },
};

/** Syncs `connector` alone into an in-memory workspace; its result. */
async function syncAlone(connector: Connector) {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
  try {
    const result = await ts.sync({ only: [connector.id] });
    return result.connectors.find((r) => r.connector === connector.id);
  } finally {
    await ts.close();
  }
}

describe.each(Object.entries(CONNECTORS))('the %s connector, on a host that cannot be reached', (name, { build, key }) => {
  it('ends the sync at once on a name that does not resolve, naming the host and the cause', async () => {
    const waits: number[] = [];
    const result = await syncAlone(build(`https://${name}-teamstate.invalid`, async (ms) => void waits.push(ms)));
    expect(result?.status).toBe('failed');
    const message = result?.error?.message ?? '';
    expect(message).toContain(`${name}-teamstate.invalid`);
    expect(message).toMatch(/does not resolve|ENOTFOUND|EAI_AGAIN/);
    expect(message).toContain(key);
    expect(waits).toEqual([]);
  });

  it('ends the sync at once on a refused connection, naming the host and the cause', async () => {
    const waits: number[] = [];
    const result = await syncAlone(build(`http://${refused}`, async (ms) => void waits.push(ms)));
    expect(result?.status).toBe('failed');
    const message = result?.error?.message ?? '';
    expect(message).toContain(refused);
    expect(message).toMatch(/refused|ECONNREFUSED/);
    expect(waits).toEqual([]);
  });
});
