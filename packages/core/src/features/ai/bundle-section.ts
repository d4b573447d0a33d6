import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../../records/feature.js';
import { aiUsageFromRow, aiUsageToRow } from './ai-usage-rows.js';
import type { AiUsageRow } from './schema.js';
import { aiUsageSpec } from './table-specs.js';

/** The bundle's `aiUsage`: one row per day, tool and subject; a later report of the same day replaces the earlier. */
export const aiUsageSection: BundleSection<'aiUsage'> = {
  list: 'aiUsage',
  tables: ['ai_usage'],
  references: (usage) => [
    { kind: 'person', id: usage.person, path: 'person' },
    { kind: 'team', id: usage.team, path: 'team' },
  ],
  write: (tx, workspace, usage) =>
    upsertRows(
      tx,
      aiUsageSpec,
      usage.map((day) => toRow(aiUsageSpec, aiUsageToRow(workspace, day))),
    ),
  async read(execute, workspace, person) {
    const { rows } = await execute(
      `SELECT ${aiUsageSpec.select()} FROM ai_usage WHERE workspace = ?1 ${person === undefined ? '' : 'AND person_id = ?2'} ORDER BY day, tool, subject`,
      person === undefined ? [workspace] : [workspace, person],
    );
    return (rows as unknown as AiUsageRow[]).map(aiUsageFromRow);
  },
};
