import { tableSection } from '../../records/bundle/table-section.js';
import { aiUsageSchema } from './ai-usage-model.js';
import { aiUsageFromRow, aiUsageToRow } from './ai-usage-rows.js';
import { aiUsageSpec } from './table-specs.js';

/** The bundle's `aiUsage`: one row per day, tool and subject; a later report of the same day replaces the earlier. */
export const aiUsageSection = tableSection({
  list: 'aiUsage',
  element: aiUsageSchema,
  spec: aiUsageSpec,
  orderBy: 'day, tool, subject',
  references: (usage) => [
    { kind: 'person', id: usage.person, path: 'person' },
    { kind: 'team', id: usage.team, path: 'team' },
  ],
  toRow: aiUsageToRow,
  fromRow: aiUsageFromRow,
});
