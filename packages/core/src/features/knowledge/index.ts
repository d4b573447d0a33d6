// The knowledge feature's public face: exactly the names @teamstate/core exports from it.
export { type ChunkedMarkdown, type ChunkOptions, chunkMarkdown, type MarkdownChunk } from './chunk-markdown.js';
export { CODEOWNERS_PATHS, type CodeownersRule, codeownersRuleFor, parseCodeowners } from './codeowners.js';
export { type HttpEmbedderOptions, httpEmbedder } from './http-embedder.js';
export type {
  Knowledge,
  KnowledgeOptions,
  KnowledgeSourceResult,
  KnowledgeSyncProgress,
  KnowledgeSyncResult,
} from './knowledge-api.js';
export { KNOWLEDGE_QUERY_MAX } from './knowledge-query.js';
export { type LocalKnowledgeOptions, localKnowledge } from './local-source.js';
export type { KnowledgeAnswer, KnowledgePassage, KnowledgeSearchOptions } from './search-knowledge.js';
export type { WhoKnowsEvidence, WhoKnowsOptions, WhoKnowsPerson } from './who-knows.js';
