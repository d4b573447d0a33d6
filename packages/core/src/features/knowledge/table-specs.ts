import { specOf } from '../../kernel/store/table-spec.js';
import { knowledgeChunks, knowledgeDocuments } from './schema.js';

/** Bulk-writer specs of the knowledge index's tables. */
export const knowledgeSpecs = { knowledgeDocuments: specOf(knowledgeDocuments), knowledgeChunks: specOf(knowledgeChunks) } as const;
