import { defineFeature } from '../../records/feature.js';

/**
 * The knowledge index: its documents and chunks are records of the workspace (`RECORD_TABLES`), not bundle lists. A
 * document an erased person wrote is kept, its author named by the pseudonym (as their pull requests are).
 */
export const knowledgeFeature = defineFeature({
  name: 'knowledge',
  recordTables: ['knowledge_documents', 'knowledge_chunks'],
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
});
