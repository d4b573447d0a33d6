import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { validateEmbedder } from '../../spec/validate-specs.js';
import { createKnowledgeApi, type KnowledgeOptions, validateKnowledgeSources } from './knowledge-api.js';
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
    return createKnowledgeApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      log: context.log,
      sources,
      embedder,
      reading: context.reading,
    });
  },
  recordTables: ['knowledge_documents', 'knowledge_chunks'],
});
