import { describe, expect, it } from 'vitest';
import * as store from '../src/store.js';

describe('@teamstate/core/store', () => {
  it('exports the tables, the sql tag, the read-only reader, the row decoder and the database URL helpers, the delivery settings key and fragments, and nothing that writes', () => {
    expect(Object.keys(store).sort()).toEqual([
      'RECORD_TABLES',
      'and',
      'assertReadOnly',
      'attributedDeployment',
      'awaitingReviewAt',
      'blob',
      'byPerson',
      'columns',
      'createStoreReader',
      'deliverySettingsKey',
      'describeTables',
      'flag',
      'incidentOpenAt',
      'incidentTeam',
      'integer',
      'isIssue',
      'isPullRequest',
      'issueScope',
      'join',
      'nullable',
      'ofTeamRepository',
      'oneOf',
      'openPullRequestAt',
      'optional',
      'productionDeployment',
      'pullRequestScope',
      'raw',
      'real',
      'redactUrl',
      'resolveDatabaseUrl',
      'reworkPullRequest',
      'scalar',
      'scopedByRepository',
      'sql',
      'tableRows',
      'tables',
      'text',
      'textOf',
      'valueList',
      'workInProgress',
      'workItemTeam',
    ]);
    expect(Object.keys(store.tables)).toEqual(expect.arrayContaining(['workItems', 'reviews', 'approvals', 'auditEvents']));
  });
});
