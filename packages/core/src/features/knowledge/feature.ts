import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { createSpendLedger } from '../../services/spend/index.js';
import { validateEmbedder } from '../../spec/validate-specs.js';
import { createKnowledgeApi, type KnowledgeOptions, validateKnowledgeSources } from './knowledge-api.js';
import { meteredEmbedder } from './metered-embedder.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

/**
 * The knowledge index: its documents and chunks are records of the workspace (`RECORD_TABLES`), not bundle lists. A
 * document an erased person wrote is kept, its author named by the pseudonym (as their pull requests are).
 */
export const knowledgeFeature = defineFeature({
  name: 'knowledge',
  migrations,
  tables,
  perReader: true,
  hooks: {
    checkOptions(options) {
      validateKnowledgeSources(options.knowledge?.sources ?? []);
      if (options.knowledge?.embedder !== undefined) validateEmbedder(options.knowledge.embedder);
    },
    person: {
      async erase(tx, { workspace, pseudonym, identifiers }) {
        // An author is whatever the source names: a person id, an email, a login or an account id (docs/knowledge.md).
        const { rowsAffected } = await tx.execute({
          sql: 'UPDATE knowledge_documents SET author = ? WHERE workspace = ? AND lower(author) IN (SELECT lower(value) FROM json_each(?))',
          args: [pseudonym, workspace, JSON.stringify(identifiers)],
        });
        return { knowledgeDocuments: rowsAffected };
      },
    },
  },
  api(context: FeatureContext<{ knowledge?: KnowledgeOptions }>) {
    const { sources = [], embedder } = context.options.knowledge ?? {};
    // The embedder's calls are metered on the spend ledger (when it has a price) at the write path's clock.
    const spend = createSpendLedger({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      capUsd: context.policy.limits.max_monthly_cost_usd,
    });
    return createKnowledgeApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      log: context.log,
      sources,
      embedder: embedder && meteredEmbedder(embedder, spend),
      reading: context.reading,
    });
  },
  recordTables: ['knowledge_documents', 'knowledge_chunks'],
});
