// The knowledge feature's door: the facade's `ts.knowledge` and its definition.
export { knowledgeFeature } from './feature.js';
export { createKnowledgeApi, type Knowledge, type KnowledgeOptions } from './knowledge-api.js';
