import { describe, expect, it } from 'vitest';
import * as store from './index.js';

describe('store barrel (the future @teamstate/core/store)', () => {
  it('exports the tables, the sql tag and the read-only reader, and nothing that writes', () => {
    expect(Object.keys(store).sort()).toEqual([
      'RECORD_TABLES',
      'and',
      'assertReadOnly',
      'createStoreReader',
      'describeTables',
      'join',
      'raw',
      'sql',
      'tables',
      'valueList',
    ]);
    expect(Object.keys(store.tables)).toEqual(expect.arrayContaining(['workItems', 'reviews', 'approvals', 'auditEvents']));
  });
});
