// Every GraphQL document the connector sends, validated against GitHub's published schema: a field
// GitHub does not have, a wrong argument type or an unused variable fails here, not in production.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as queries from '../src/github/client/queries.js';
import { githubGraphqlSchema } from './github/fake-github-graphql.js';

const staticQueries = Object.entries(queries).filter(([, value]) => typeof value === 'string' && value.startsWith('query ')) as [
  string,
  string,
][];

const dynamicQueries: [string, string][] = [
  ...(['deployments', 'workflow_runs', 'releases'] as const).flatMap((source) => [
    [`probeQuery(3, ${source}, pending)`, queries.probeQuery(3, source, true)] as [string, string],
    [`probeQuery(1, ${source})`, queries.probeQuery(1, source, false)] as [string, string],
    [`organizationProbeQuery(${source}, archived, pending)`, queries.organizationProbeQuery(source, true, true)] as [string, string],
    [`organizationProbeQuery(${source})`, queries.organizationProbeQuery(source, false, false)] as [string, string],
  ]),
  ['connectionsQuery', queries.connectionsQuery([{ connection: 'reviews' }, { connection: 'labels' }, { connection: 'assignees' }])],
  ['commitHistoryQuery', queries.commitHistoryQuery(3, 50)],
];

describe('GraphQL documents', () => {
  it.each([...staticQueries, ...dynamicQueries])('%s is valid against the GitHub schema', (_, query) => {
    const errors = validate(githubGraphqlSchema(), parse(query));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('covers every query the connector exports', () => {
    expect(staticQueries.map(([name]) => name).sort()).toEqual([
      'DEPLOYMENTS_QUERY',
      'DEPLOYMENT_NODES_QUERY',
      'DEPLOYMENT_WITH_NEIGHBOURS_QUERY',
      'INCIDENTS_QUERY',
      'MEMBERS_QUERY',
      'PULL_REQUESTS_QUERY',
      'PULL_REQUEST_QUERY',
      'RELEASES_QUERY',
      'RELEASE_NODES_QUERY',
      'TEAMS_QUERY',
      'TEAM_MEMBERS_QUERY',
    ]);
  });
});
