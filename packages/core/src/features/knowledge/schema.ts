import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { KnowledgeSourceKind } from '../../spec/knowledge-source.js';

// The tables the knowledge feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Knowledge documents (docs/knowledge.md): one markdown page from a source (`local` folders, `github`
 * repositories, `confluence` spaces), identified by its source and `uri`. `version` is what the source says
 * (blob sha, page version, or the content's sha256 for local files); `content_hash` is the sha256 of the text
 * that was chunked, so an unchanged document is never rewritten.
 */
export const knowledgeDocuments = sqliteTable(
  'knowledge_documents',
  {
    workspace: text('workspace').notNull(),
    /** `<source>:<uri>`. */
    id: text('id').notNull(),
    source: text('source').$type<KnowledgeSourceKind>().notNull(),
    /** Which configured source wrote it (`local`, `demo-handbook`, …): a sync removes only its own documents. */
    origin: text('origin').notNull(),
    /** A URL, or for local files their path. */
    uri: text('uri').notNull(),
    title: text('title').notNull(),
    repository: text('repository'),
    space: text('space'),
    path: text('path'),
    version: text('version').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: integer('updated_at').notNull(),
    author: text('author'),
    /** JSON array of the team ids allowed to see it; NULL: everyone in the workspace. */
    visibility: text('visibility'),
    indexedAt: integer('indexed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('knowledge_documents_origin_idx').on(t.workspace, t.origin)],
);

/**
 * The passages of a knowledge document, split at its headings. `chunk_id` is the row of the chunk in
 * `knowledge_fts` (FTS5, hand-written in the same migration; kept in step by triggers in the transaction of every
 * write): `title` and `headings` are indexed with more weight than `text`, and `terms` holds the parts of the code
 * identifiers in the text (`retry_backoff` → `retry backoff`, `maxRetries` → `max retries`), so both the whole
 * identifier and its parts are found.
 */
export const knowledgeChunks = sqliteTable(
  'knowledge_chunks',
  {
    workspace: text('workspace').notNull(),
    documentId: text('document_id').notNull(),
    position: integer('position').notNull(),
    chunkId: integer('chunk_id').notNull(),
    /** JSON array of the headings above the passage, outermost first. */
    headingPath: text('heading_path').notNull(),
    /** The document title, indexed with the passage. */
    title: text('title').notNull(),
    /** The heading path as words, indexed. */
    headings: text('headings').notNull(),
    /** The passage (markdown). */
    text: text('text').notNull(),
    /** Identifier parts and whole dotted names, indexed only. */
    terms: text('terms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.documentId, t.position] }), uniqueIndex('knowledge_chunks_chunk_idx').on(t.chunkId)],
);

/**
 * A repository's CODEOWNERS file, as a knowledge source read it (docs/knowledge.md#codeowners): evidence for `who_knows`,
 * never searched. `rules` is the parsed file (JSON array of `{ line, pattern, owners }`, in file order: the last
 * rule matching a path wins). It follows the documents' lifecycle: kept while the source puts or keeps it, removed
 * when the file is gone.
 */
export const knowledgeCodeowners = sqliteTable(
  'knowledge_codeowners',
  {
    workspace: text('workspace').notNull(),
    /** `<source>:<uri>`. */
    id: text('id').notNull(),
    /** Which configured source wrote it. */
    origin: text('origin').notNull(),
    /** The file's URL. */
    uri: text('uri').notNull(),
    /** `owner/name`. */
    repository: text('repository').notNull(),
    /** `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`. */
    path: text('path').notNull(),
    /** The blob sha. */
    version: text('version').notNull(),
    contentHash: text('content_hash').notNull(),
    /** JSON array of `{ line, pattern, owners }`. */
    rules: text('rules').notNull(),
    updatedAt: integer('updated_at').notNull(),
    indexedAt: integer('indexed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    index('knowledge_codeowners_origin_idx').on(t.workspace, t.origin),
    index('knowledge_codeowners_repository_idx').on(t.workspace, t.repository),
  ],
);

/** A `knowledge_documents` row as read. */
export type KnowledgeDocumentRow = typeof knowledgeDocuments.$inferSelect;
/** A `knowledge_documents` row as written. */
export type KnowledgeDocumentInsert = typeof knowledgeDocuments.$inferInsert;

// Tables this feature keeps that drizzle does not declare: the passages' full-text index (by triggers), and the vector
// index and its embedder's space, created at run time when an embedder is configured (vector-index.ts).
// owned-tables: knowledge_fts, knowledge_vectors, knowledge_vector_space
