import { createHash } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, optional, scalar, text } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { insertRows } from '../../kernel/store/upsert.js';
import type { KnowledgeDocumentInput, KnowledgeSource, KnownKnowledgeDocument } from '../../spec/knowledge-source.js';
import { type ChunkOptions, chunkMarkdown } from './chunk-markdown.js';
import { identifierTerms } from './identifier-terms.js';
import type { KnowledgeDocumentInsert, KnowledgeDocumentRow } from './schema.js';
import { knowledgeSpecs as t } from './table-specs.js';

/** A document ready to be written: checked, hashed and chunked. */
export interface PreparedDocument {
  id: string;
  row: KnowledgeDocumentInsert;
  chunks: { headingPath: string[]; text: string }[];
}

/** The sha256 (hex) of a document's markdown. */
export const contentHash = (markdown: string) => createHash('sha256').update(markdown).digest('hex');

/** What a source is told about a document it indexed before. */
const knownDocument = columns({ uri: text, version: text, content_hash: text, space: optional(text), repository: optional(text) });

/** The documents a source indexed before, by uri. */
export async function knownDocuments(store: Store, workspace: string, origin: string): Promise<Map<string, KnownKnowledgeDocument>> {
  const { rows } = await store.execute(
    'SELECT uri, version, content_hash, space, repository FROM knowledge_documents WHERE workspace = ? AND origin = ?',
    [workspace, origin],
  );
  return new Map(
    knownDocument.all(rows).map((row) => [
      row.uri,
      {
        uri: row.uri,
        version: row.version,
        contentHash: row.content_hash,
        ...(row.space === undefined ? {} : { space: row.space }),
        ...(row.repository === undefined ? {} : { repository: row.repository }),
      },
    ]),
  );
}

/**
 * What is stored about a document: when any of it changes, the document is rewritten. `updatedAt` is not part of it:
 * a file touched but not changed keeps its row (and its earlier time).
 */
function fingerprint(row: KnowledgeDocumentInsert): string {
  return JSON.stringify([row.title, row.version, row.contentHash, row.author, row.visibility, row.path, row.repository, row.space]);
}

/** The stored rows of a source's documents, by id, each with its fingerprint. */
export async function storedDocuments(
  store: Store,
  workspace: string,
  origin: string,
): Promise<Map<string, { row: KnowledgeDocumentRow; fingerprint: string }>> {
  const { rows } = await store.execute(
    `SELECT ${t.knowledgeDocuments.select()} FROM knowledge_documents WHERE workspace = ? AND origin = ?`,
    [workspace, origin],
  );
  return new Map(t.knowledgeDocuments.rows.all(rows).map((row) => [row.id, { row, fingerprint: fingerprint(row) }]));
}

/** A document's id: its source and uri. */
export const documentId = (source: KnowledgeSource, uri: string) => `${source.source}:${uri}`;

/**
 * Whether a document is stored exactly as the source gives it now, judged without parsing it: the same content
 * hash, version, visibility and location, and the same title and author when the source names them (otherwise
 * they come from the unchanged text). What makes re-indexing an unchanged corpus cost one hash per file.
 */
export function isUnchanged(
  row: KnowledgeDocumentRow | undefined,
  source: KnowledgeSource,
  input: KnowledgeDocumentInput,
  hash: string,
): boolean {
  if (!row) return false;
  const visibility = source.visibility === undefined ? null : JSON.stringify([...source.visibility].sort());
  return (
    row.contentHash === hash &&
    row.version === (input.version ?? hash) &&
    row.visibility === visibility &&
    row.path === (input.path ?? null) &&
    row.repository === (input.repository ?? null) &&
    row.space === (input.space ?? null) &&
    (input.title === undefined || input.title.trim() === '' || row.title === input.title.trim()) &&
    (input.author === undefined || row.author === input.author)
  );
}

/** Checks and chunks a document from a source. */
export function prepareDocument(
  workspace: string,
  source: KnowledgeSource,
  input: KnowledgeDocumentInput,
  now: number,
  chunkOptions?: ChunkOptions,
): PreparedDocument & { fingerprint: string } {
  const where = `knowledge source ${source.id}`;
  if (typeof input !== 'object' || input === null)
    throw new TeamStateError('invalid_argument', `${where}: expected a document { uri, markdown, updatedAt }`);
  if (typeof input.uri !== 'string' || input.uri.trim() === '')
    throw new TeamStateError('invalid_argument', `${where}: document.uri: required (a URL, or the file's path)`);
  if (typeof input.markdown !== 'string')
    throw new TeamStateError('invalid_argument', `${where}: ${input.uri}: markdown: expected the document's text as a string`);
  const updatedAt = typeof input.updatedAt === 'number' ? input.updatedAt : parseTimestamp(String(input.updatedAt));
  if (updatedAt === undefined || !Number.isFinite(updatedAt))
    throw new TeamStateError('invalid_argument', `${where}: ${input.uri}: updatedAt: expected an ISO 8601 timestamp or epoch milliseconds`);
  const hash = contentHash(input.markdown);
  const fallback = (input.path ?? input.uri)
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(md|mdx|markdown)$/i, '');
  const chunked = chunkMarkdown(input.markdown, fallback || input.uri, chunkOptions);
  const id = documentId(source, input.uri);
  const row: PreparedDocument['row'] = {
    workspace,
    id,
    source: source.source,
    origin: source.id,
    uri: input.uri,
    title: input.title?.trim() || chunked.title,
    repository: input.repository ?? null,
    space: input.space ?? null,
    path: input.path ?? null,
    version: input.version ?? hash,
    contentHash: hash,
    updatedAt,
    author: input.author ?? chunked.author ?? null,
    visibility: source.visibility === undefined ? null : JSON.stringify([...source.visibility].sort()),
    indexedAt: now,
  };
  return { id, row, chunks: chunked.chunks, fingerprint: fingerprint(row) };
}

/** The document with another author (an erased person's pseudonym instead of what the source names), fingerprinted again. */
export function withAuthor<D extends PreparedDocument & { fingerprint: string }>(document: D, author: string): D {
  const row = { ...document.row, author };
  return { ...document, row, fingerprint: fingerprint(row) };
}

/**
 * Writes documents (replacing their chunks) in the open transaction; the FTS index follows through the chunks'
 * triggers. Returns how many chunks were written.
 */
export async function writeDocuments(tx: Transaction, workspace: string, documents: readonly PreparedDocument[]): Promise<number> {
  if (documents.length === 0) return 0;
  // Replaced whole: the old chunks leave the index (through the triggers) before the new ones are written.
  await removeDocuments(
    tx,
    workspace,
    documents.map((document) => document.id),
  );
  await insertRows(
    tx,
    t.knowledgeDocuments,
    documents.map((document) => toRow(t.knowledgeDocuments, document.row)),
  );
  // chunk_id is the chunk's FTS rowid: unique across workspaces, continuing from the highest (an index lookup).
  const { rows } = await tx.execute('SELECT COALESCE(MAX(chunk_id), 0) AS top FROM knowledge_chunks');
  let next = scalar(rows, 'top', integer) + 1;
  const chunkRows: InValue[][] = [];
  for (const document of documents) {
    const headings = document.chunks.map((chunk) => chunk.headingPath);
    document.chunks.forEach((chunk, position) => {
      const headingWords = headings[position]!.join(' › ');
      chunkRows.push(
        toRow(t.knowledgeChunks, {
          workspace,
          documentId: document.id,
          position,
          chunkId: next++,
          headingPath: JSON.stringify(chunk.headingPath),
          title: document.row.title,
          headings: headingWords,
          text: chunk.text,
          terms: identifierTerms(`${document.row.title}\n${headingWords}\n${chunk.text}`).join(' '),
        }),
      );
    });
  }
  await insertRows(tx, t.knowledgeChunks, chunkRows);
  return chunkRows.length;
}

/** Removes documents (and their chunks and index entries) by id, in the open transaction. */
export async function removeDocuments(tx: Transaction, workspace: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const slice = ids.slice(i, i + 200);
    const marks = slice.map(() => '?').join(', ');
    await tx.execute({
      sql: `DELETE FROM knowledge_chunks WHERE workspace = ? AND document_id IN (${marks})`,
      args: [workspace, ...slice],
    });
    await tx.execute({ sql: `DELETE FROM knowledge_documents WHERE workspace = ? AND id IN (${marks})`, args: [workspace, ...slice] });
  }
}

/** Sets the visibility (a JSON list of team ids, or null for everyone) of documents kept unchanged, in the open transaction. */
export async function restampVisibility(
  tx: Transaction,
  workspace: string,
  ids: readonly string[],
  visibility: string | null,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const slice = ids.slice(i, i + 200);
    await tx.execute({
      sql: `UPDATE knowledge_documents SET visibility = ? WHERE workspace = ? AND id IN (${slice.map(() => '?').join(', ')})`,
      args: [visibility, workspace, ...slice],
    });
  }
}
