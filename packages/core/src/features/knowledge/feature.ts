import type { FeatureDefinition } from '../../records/feature.js';

/** The knowledge index: its documents and chunks are records of the workspace (`RECORD_TABLES`), not bundle lists. */
export const knowledgeFeature: FeatureDefinition = {
  name: 'knowledge',
  recordTables: ['knowledge_documents', 'knowledge_chunks'],
};
