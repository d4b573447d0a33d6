import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, scalar, text } from '../../kernel/store/row-decoder.js';
import type { Embedder } from '../../spec/embedder.js';
import { embedTexts, vectorBlob } from './embed-texts.js';

/**
 * The vectors of knowledge passages (docs/knowledge.md#adding-an-embedder), present only once an embedder has been configured. Their
 * width comes from the embedder, so these tables are not part of the migrations: they are created on first use and
 * rebuilt (emptied, so every passage is embedded again) when the embedder's id or dimensions change.
 *
 * - `knowledge_vector_space`: one row, the embedder id and dimensions the vectors were made with.
 * - `knowledge_vectors`: `chunk_id` (the passage, as in `knowledge_chunks`) and `embedding F32_BLOB(<dimensions>)`,
 *   with the libSQL vector index `knowledge_vectors_idx` (cosine distance, read with `vector_top_k`).
 * - Trigger `knowledge_vectors_chunk_delete`: a passage deleted (its document changed or gone) takes its vector along
 *   in the same transaction, so vectors never outlive their text; a passage without a vector is embedded at the
 *   next sync.
 */
export const VECTOR_TABLE = 'knowledge_vectors';
/** The vector index of {@link VECTOR_TABLE}, for `vector_top_k`. */
export const VECTOR_INDEX = 'knowledge_vectors_idx';
const SPACE_TABLE = 'knowledge_vector_space';
const DELETE_TRIGGER = 'knowledge_vectors_chunk_delete';

/**
 * The DiskANN settings of the vector index. libSQL's defaults insert about 25 vectors a second on a loaded 2-core
 * machine (a graph search per insert with 70 candidates, full-precision neighbours); neighbours compressed to 8 bits,
 * 16 per node and 32 insert candidates insert about ten times faster, and still find the nearest passages (measured
 * by `pnpm bench knowledge`). Search reads 100 candidates; the passages found are ranked by their exact distance.
 */
const VECTOR_INDEX_OPTIONS = "'metric=cosine', 'compress_neighbors=float1bit', 'max_neighbors=16', 'insert_l=32', 'search_l=100'";

/** Texts per `embed()` call (and vectors per write transaction). */
export const EMBED_BATCH = 64;
/**
 * The longest text sent to an embedder, in characters (about 1,500 tokens): a passage is at most 1,500 characters
 * unless it holds one long code block or table, and many local models read no more than 512 tokens anyway.
 */
export const EMBED_CHARS = 6_000;

const space = columns({ embedder: text, dimensions: integer });
/** A passage to embed. */
const passage = columns({ chunkId: integer, title: text, headingPath: text, text: text });

/** The embedder the stored vectors were made with, if any. */
export async function vectorSpace(store: Store): Promise<{ embedder: string; dimensions: number } | undefined> {
  const { rows } = await store.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", [
    SPACE_TABLE,
    VECTOR_TABLE,
  ]);
  if (rows.length < 2) return undefined;
  return space.first((await store.execute(`SELECT embedder, dimensions FROM ${SPACE_TABLE} WHERE id = 1`)).rows);
}

/** Whether the stored vectors were made by this embedder (same id and dimensions), so a query vector can be compared. */
export async function vectorsMatch(store: Store, embedder: Embedder): Promise<boolean> {
  const space = await vectorSpace(store);
  return space?.embedder === embedder.id && space.dimensions === embedder.dimensions;
}

/**
 * Makes the vector tables fit the embedder: created on first use, rebuilt empty when the embedder's id or dimensions
 * differ from the stored vectors'. Nothing is written when they already fit.
 * @returns the embedder the old vectors came from when they were dropped, `null` when the tables were created.
 */
export async function prepareVectorSpace(
  store: Store,
  embedder: Embedder,
): Promise<{ embedder: string; dimensions: number } | null | undefined> {
  const before = await vectorSpace(store);
  if (before?.embedder === embedder.id && before.dimensions === embedder.dimensions) return undefined;
  await store.write(async (tx) => {
    await tx.execute(`DROP TRIGGER IF EXISTS ${DELETE_TRIGGER}`);
    await tx.execute(`DROP INDEX IF EXISTS ${VECTOR_INDEX}`);
    await tx.execute(`DROP TABLE IF EXISTS ${VECTOR_TABLE}`);
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS ${SPACE_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), embedder TEXT NOT NULL, dimensions INTEGER NOT NULL)`,
    );
    await tx.execute({
      sql: `INSERT INTO ${SPACE_TABLE} (id, embedder, dimensions) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET embedder = excluded.embedder, dimensions = excluded.dimensions`,
      args: [embedder.id, embedder.dimensions],
    });
    // `chunk_id` is the rowid, which is what `vector_top_k` returns.
    await tx.execute(`CREATE TABLE ${VECTOR_TABLE} (chunk_id INTEGER PRIMARY KEY, embedding F32_BLOB(${embedder.dimensions}) NOT NULL)`);
    await tx.execute(`CREATE INDEX ${VECTOR_INDEX} ON ${VECTOR_TABLE} (libsql_vector_idx(embedding, ${VECTOR_INDEX_OPTIONS}))`);
    await tx.execute(
      `CREATE TRIGGER ${DELETE_TRIGGER} AFTER DELETE ON knowledge_chunks BEGIN DELETE FROM ${VECTOR_TABLE} WHERE chunk_id = old.chunk_id; END`,
    );
  });
  return before ?? null;
}

/** The text embedded for a passage: its document title and heading path, then the passage, cut at {@link EMBED_CHARS}. */
export function passageText(title: string, headingPath: readonly string[], text: string): string {
  const context = headingPath[0] === title ? headingPath : [title, ...headingPath];
  return `${context.join(' › ')}\n\n${text}`.slice(0, EMBED_CHARS);
}

/**
 * Embeds the passages of a source's documents that have no vector yet (new or changed documents, or all of them after
 * the embedder changed), {@link EMBED_BATCH} texts per call, each batch's vectors written in one transaction. An
 * unchanged index costs one read and no call. A failure stops here: the passages already embedded keep their vectors,
 * the rest are embedded at the next sync, and full-text search covers every passage meanwhile.
 * @returns how many passages were embedded.
 */
export async function embedMissing(
  store: Store,
  embedder: Embedder,
  scope: { workspace: string; origin: string },
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<number> {
  const missing = `FROM knowledge_chunks c JOIN knowledge_documents d ON d.workspace = c.workspace AND d.id = c.document_id
    WHERE c.workspace = ? AND d.origin = ? AND NOT EXISTS (SELECT 1 FROM ${VECTOR_TABLE} v WHERE v.chunk_id = c.chunk_id)`;
  const { rows: counted } = await store.execute(`SELECT count(*) AS n ${missing}`, [scope.workspace, scope.origin]);
  const total = scalar(counted, 'n', integer);
  let done = 0;
  let after = 0;
  while (done < total) {
    options.signal?.throwIfAborted();
    const rows = passage.all(
      (
        await store.execute(
          `SELECT c.chunk_id AS "chunkId", c.title AS "title", c.heading_path AS "headingPath", c.text AS "text" ${missing} AND c.chunk_id > ?
           ORDER BY c.chunk_id LIMIT ${EMBED_BATCH}`,
          [scope.workspace, scope.origin, after],
        )
      ).rows,
    );
    if (rows.length === 0) break;
    const texts = rows.map((row) => passageText(row.title, JSON.parse(row.headingPath) as string[], row.text));
    const vectors = await embedTexts(embedder, texts, options.signal);
    await store.write(async (tx) => {
      // Only for passages still there (a concurrent sync may have replaced them): no vector without its passage.
      const values = rows.map(() => '(?, ?)').join(', ');
      await tx.execute({
        sql: `INSERT INTO ${VECTOR_TABLE} (chunk_id, embedding)
              SELECT column1, column2 FROM (VALUES ${values}) WHERE column1 IN (SELECT chunk_id FROM knowledge_chunks)
              ON CONFLICT(chunk_id) DO UPDATE SET embedding = excluded.embedding`,
        args: rows.flatMap((row, i) => [row.chunkId, vectorBlob(vectors[i]!)]),
      });
    });
    done += rows.length;
    after = rows[rows.length - 1]!.chunkId;
    options.onProgress?.(done, total);
  }
  return done;
}
