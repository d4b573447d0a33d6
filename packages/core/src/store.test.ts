import { describe, expect, it } from 'vitest';
import * as store from './store.js';

describe('@teamstate/core/store', () => {
  it('exports the tables, the sql tag, the read-only reader and the database URL helpers, the delivery settings key and fragments, and nothing that writes', () => {
    expect(Object.keys(store).sort()).toEqual([
      'RECORD_TABLES',
      'and',
      'assertReadOnly',
      'attributedDeployment',
      'createStoreReader',
      'deliverySettingsKey',
      'describeTables',
      'join',
      'productionDeployment',
      'raw',
      'redactUrl',
      'resolveDatabaseUrl',
      'reworkPullRequest',
      'sql',
      'tables',
      'valueList',
    ]);
    expect(Object.keys(store.tables)).toEqual(expect.arrayContaining(['workItems', 'reviews', 'approvals', 'auditEvents']));
  });
});
