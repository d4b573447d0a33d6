import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../src/kernel/model/work-item.js';
import type { WorkItemRow } from '../src/records/rows.js';
import { workItemFromRow, workItemToRow } from '../src/records/store/records.js';
import { tableSpecs, toRow } from '../src/records/store/table-specs.js';

describe('typed record mappings', () => {
  it('round-trips a work item through its row, with timestamps as epoch ms and flags as 0/1', () => {
    const item: WorkItem = {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Add retries',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-01T10:00:00.000Z',
      mergedAt: '2026-03-02T12:30:00.000Z',
      draft: false,
      labels: ['bug'],
      additions: 10,
      deletions: 2,
    };
    const row = workItemToRow('w', item);
    expect(row).toMatchObject({ createdAt: Date.parse(item.createdAt), mergedAt: Date.parse(item.mergedAt!), draft: 0, labels: '["bug"]' });
    // What a SELECT returns: every column, NULL where the record has nothing.
    const selected = Object.fromEntries(tableSpecs.workItems.fields.map((field) => [field, row[field] ?? null])) as WorkItemRow;
    expect(workItemFromRow(selected, {})).toEqual(item);
  });

  it('orders a typed row into the table column order, absent optional columns as NULL', () => {
    expect(tableSpecs.people.columns).toEqual(['workspace', 'id', 'name', 'email', 'time_zone', 'time_zone_source', 'joined_at']);
    expect(toRow(tableSpecs.people, { workspace: 'w', id: 'ana', name: 'Ana' })).toEqual(['w', 'ana', 'Ana', null, null, null, null]);
    // A misspelt column is a compile error, not a silent NULL.
    // @ts-expect-error `mail` is not a column of people
    toRow(tableSpecs.people, { workspace: 'w', id: 'ana', name: 'Ana', mail: 'ana@example.com' });
  });

  it('selects a table with its columns named by property', () => {
    expect(tableSpecs.reviews.select('v')).toBe(
      'v.workspace AS "workspace", v.work_item_id AS "workItemId", v.seq AS "seq", v.reviewer_id AS "reviewerId", v.state AS "state", v.submitted_at AS "submittedAt"',
    );
  });
});
