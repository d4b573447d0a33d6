// Renders docs/data-model.md from the drizzle schema: every table with its columns, key and indexes.
// `pnpm exec tsx scripts/generate-schema-docs.ts` writes it; docs/data-model.test.ts fails when it is stale.
import { describeTables, type TableDescription } from '../packages/core/src/describe-tables.js';

/** The command that regenerates the page. */
export const REGENERATE = 'pnpm exec tsx scripts/generate-schema-docs.ts';

/** A Markdown table with padded columns (as the formatter, biome, writes them). */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, 3, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

function renderTable(table: TableDescription): string[] {
  const lines = [
    `## ${table.name}`,
    '',
    `${table.record ? 'Records' : 'Bookkeeping'}. Primary key: \`(${table.primaryKey.join(', ')})\`.`,
    '',
    ...markdownTable(
      ['Column', 'Property', 'Type', 'Null', 'Default'],
      table.columns.map((column) => [
        `\`${column.name}\``,
        `\`${column.property}\``,
        column.type,
        column.nullable ? 'yes' : 'no',
        'default' in column ? `\`${JSON.stringify(column.default)}\`` : '',
      ]),
    ),
  ];
  if (table.indexes.length > 0) {
    lines.push('', 'Indexes:', '', ...table.indexes.map((index) => `- \`${index.name}\` on \`(${index.columns.join(', ')})\``));
  }
  return [...lines, ''];
}

/** The whole page, one section per table. */
export function renderDataModel(): string {
  return [
    '# Data model',
    '',
    `<!-- Generated from packages/core/src/records/schema.ts, packages/core/src/services/*/schema.ts and packages/core/src/features/*/schema.ts by \`${REGENERATE}\`; do not edit by hand. -->`,
    '',
    'The tables of the embedded libSQL database, for custom metrics, signal detectors and SQL of your own',
    '([extending.md](extending.md)). Every table is scoped by `workspace` (the tenant id) and every key starts',
    'with it. Timestamps are UTC epoch milliseconds (INTEGER), flags 0/1, lists JSON text. A query built with',
    'the `sql` tag and run with a `StoreReader` returns INTEGER and REAL columns as numbers, TEXT as strings and',
    'NULL as `null`. In TypeScript, a row of a table is named by the Property column (`WorkItemRow`, the',
    "`$inferSelect` of drizzle's `workItems` table). Each table says whether it holds _records_ of a workspace",
    '(imported from and exported to a bundle, written by sync) or _bookkeeping_ of teamstate itself (not part of a',
    'bundle).',
    '',
    'Besides these tables, `reports_fts` is an FTS5 full-text index of `reports.text` and `reports.blockers`',
    '(rowid `reports.doc_id`, tokenizer `porter unicode61` with `_` a token character), kept in step with',
    '`reports` by triggers; search it through `ts.reports.search()`.',
    '',
    "Derived columns are the store's own, never in a bundle: `work_items.first_review_at` (pull requests: when the",
    'first review by someone other than the author was submitted, NULL without one) is recomputed by every write of',
    'the item, its reviews or its author (import, sync, webhooks, account merges), so metrics read it instead of',
    'looking reviews up row by row.',
    '',
    "A person's activity (pull requests opened and merged, reviews of someone else's item, moves of the issues assigned",
    'to them) is not stored apart: `person.after_hours`, `review.load_imbalance` and allocation read it from `work_items`',
    '(`work_items_created_idx`, `work_items_pr_merged_author_idx`, `work_items_author_idx`), `reviews`',
    '(`reviews_submitted_idx`, `reviews_reviewer_idx`) and `transitions` with `work_item_assignees`.',
    '',
    '`open_pr_reviews` is derived on write, by SQL triggers on `reviews` and `work_items`: the reviews of the pull',
    'requests open now, so that the open-PR detectors (`pr.awaiting_review`, `pr.stale`, `pr.changes_requested_idle`,',
    "`person.overloaded`) seek an open PR's reviews among a few thousand rather than among every review.",
    '',
    ...describeTables().flatMap(renderTable),
  ].join('\n');
}
