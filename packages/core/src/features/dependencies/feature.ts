import { tableSection } from '../../records/bundle/table-section.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { dependencies } from './dependencies-api.js';
import type { Dependencies } from './dependency-chain.js';
import { workItemLinkSchema } from './link-model.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';
import { workItemLinksSpec } from './table-specs.js';

/** The bundle's `workItemLinks`: one row per link. */
export const workItemLinksSection = tableSection({
  list: 'workItemLinks',
  element: workItemLinkSchema,
  spec: workItemLinksSpec,
  orderBy: 'from_id, to_id, kind',
  personColumn: "''",
  references: (link) => [
    { kind: 'work item', id: link.from, path: 'from' },
    { kind: 'work item', id: link.to, path: 'to' },
  ],
  toRow: (workspace, link) => ({ workspace, fromId: link.from, toId: link.to, kind: link.kind }),
  fromRow: (row) => ({ from: row.fromId, to: row.toId, kind: row.kind }),
});

/** `ts.dependencies`: a work item's chain (also `ts.workItems.dependencies`). */
export interface DependenciesApi {
  /**
   * What blocks the item (an id or key) and what it blocks, each with its depth, and the roots to start from.
   * @example const { blockedBy, roots } = await ts.workItems.dependencies('PAY-12')
   */
  of(idOrKey: string): Promise<Dependencies>;
}

/** Dependencies between work items: the bundle's `workItemLinks` and what connectors sync of them. */
export const dependenciesFeature = defineFeature({
  name: 'dependencies',
  migrations,
  tables,
  bundle: { lists: [workItemLinksSection] },
  api: (context: FeatureContext): DependenciesApi => ({
    of: (idOrKey) => dependencies({ store: context.store, workspace: context.workspace }, idOrKey),
  }),
  hooks: {
    async onRecordsCleared(tx, workspace) {
      await tx.execute({ sql: 'DELETE FROM work_item_links WHERE workspace = ?', args: [workspace] });
    },
    async onLinksReplaced(tx, workspace, { items, sides, kinds }) {
      // The batch then writes back the links the source still reports.
      const args = [workspace, JSON.stringify(items), JSON.stringify(kinds)];
      const kind = 'kind IN (SELECT value FROM json_each(?3))';
      for (const column of sides === 'both' ? ['from_id', 'to_id'] : [sides === 'from' ? 'from_id' : 'to_id']) {
        await tx.execute({
          sql: `DELETE FROM work_item_links WHERE workspace = ?1 AND ${kind} AND ${column} IN (SELECT value FROM json_each(?2))`,
          args,
        });
      }
    },
  },
});
