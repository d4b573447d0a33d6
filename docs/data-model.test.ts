import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTables } from '../packages/core/src/describe-tables.js';
import { REGENERATE, renderDataModel } from '../scripts/schema-docs.js';

describe('docs/data-model.md', () => {
  it(`is generated from the schema (run \`${REGENERATE}\` when this fails)`, () => {
    const page = readFileSync(join(import.meta.dirname, 'data-model.md'), 'utf8');
    expect(page, `docs/data-model.md is stale: run ${REGENERATE}`).toBe(renderDataModel());
  });

  it('lists every table and column of the schema', () => {
    const page = renderDataModel();
    const tables = describeTables();
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['work_items', 'reviews', 'approvals', 'audit_events']));
    for (const table of tables) {
      expect(page).toContain(`## ${table.name}\n`);
      for (const column of table.columns)
        expect(page, `${table.name}.${column.name}`).toMatch(new RegExp(`\\| \`${column.name}\` +\\| \`${column.property}\` +\\|`));
    }
  });
});
