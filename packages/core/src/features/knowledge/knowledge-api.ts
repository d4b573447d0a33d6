import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { knowledgeSourceKindSchema } from '../../kernel/model/common.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import { erasedReference, hasErasures } from '../../records/identity/erasures.js';
import type { Reading } from '../../records/identity/viewer.js';
import { txExecute } from '../../records/store/existing-ids.js';
import { saveCursors } from '../../records/sync/cursors.js';
import type { Embedder } from '../../spec/embedder.js';
import type { KnowledgeDocumentInput, KnowledgeOwnersInput, KnowledgeSource } from '../../spec/knowledge-source.js';
import {
  contentHash,
  documentId,
  isUnchanged,
  knownDocuments,
  type PreparedDocument,
  prepareDocument,
  removeDocuments,
  restampVisibility,
  storedDocuments,
  withAuthor,
  writeDocuments,
} from './knowledge-index.js';
import { prepareOwners, removeOwners, storedOwners, writeOwners } from './knowledge-owners.js';
import { type KnowledgePassage, type KnowledgeSearchOptions, searchKnowledge } from './search-knowledge.js';
import { embedMissing, prepareVectorSpace } from './vector-index.js';
import { type WhoKnowsOptions, type WhoKnowsPerson, whoKnows } from './who-knows.js';

/** The `knowledge` option of `createTeamState()`. */
export interface KnowledgeOptions {
  /** Where documents come from: `localKnowledge({ paths })`, the demo handbook, your own {@link KnowledgeSource}. */
  sources?: readonly KnowledgeSource[];
  /**
   * Optional: vectors for every passage, made by this embedder when the sources sync, and search fusing vector and
   * BM25 ranks (docs/knowledge.md#adding-an-embedder). `httpEmbedder({ url, model, dimensions })` for an
   * OpenAI-compatible embeddings API or local model server, or your own {@link Embedder}.
   */
  embedder?: Embedder;
}

/** Progress of `ts.knowledge.sync()`. */
export interface KnowledgeSyncProgress {
  source: string;
  phase?: string;
  done?: number;
  total?: number;
}

/** What one source's sync did. */
export interface KnowledgeSourceResult {
  source: string;
  status: 'succeeded' | 'failed';
  /** Documents new to the index. */
  added: number;
  /** Documents whose text or metadata changed. */
  updated: number;
  /** Documents left as they were (no write). */
  unchanged: number;
  /** Documents that left the index (their file or page is gone). */
  removed: number;
  /** Files or pages skipped, each with a warning. */
  skipped: number;
  /** Passages written. */
  chunks: number;
  /** With an embedder: passages embedded (new and changed ones, or all after the embedder changed). */
  embedded?: number;
  error?: { code: string; message: string };
}

/** What `ts.knowledge.sync()` did, per source, and the warnings (files skipped and why). */
export interface KnowledgeSyncResult {
  ok: boolean;
  sources: KnowledgeSourceResult[];
  warnings: string[];
}

/** `ts.knowledge` (docs/knowledge.md). */
export interface Knowledge {
  /**
   * Indexes the configured sources: new and changed documents are chunked and written, unchanged ones cost no
   * write, and documents gone from their source leave the index. One source failing does not stop the others.
   * @example const { sources } = await ts.knowledge.sync({ onProgress: (p) => console.error(p.source, p.phase) })
   */
  sync(options?: {
    only?: readonly string[];
    signal?: AbortSignal;
    onProgress?: (progress: KnowledgeSyncProgress) => void;
  }): Promise<KnowledgeSyncResult>;
  /**
   * Passages that answer a question, best first, with what to cite (title, uri, heading path, last updated); at most
   * two per document. The query is words, never search syntax.
   * @example const [best] = await ts.knowledge.search('how do I roll back a deploy?')
   */
  search(query: string, options?: KnowledgeSearchOptions): Promise<KnowledgePassage[]>;
  /**
   * People most likely to know about a topic, with the evidence: documents they wrote, pull requests they authored or
   * reviewed and issues they resolved on it; recent evidence weighs more.
   * @example const [expert] = await ts.knowledge.whoKnows('refund retries')
   */
  whoKnows(topic: string, options?: WhoKnowsOptions): Promise<WhoKnowsPerson[]>;
}

/** Documents written per transaction. */
const BATCH = 100;

/** Checks the configured sources (ids unique, shape). */
export function validateKnowledgeSources(sources: readonly KnowledgeSource[]): void {
  const ids = new Set<string>();
  for (const [i, source] of sources.entries()) {
    if (source?.specificationVersion !== 'v1' || typeof source.id !== 'string' || typeof source.sync !== 'function')
      throw new TeamStateError(
        'invalid_config',
        `knowledge.sources[${i}]: expected a KnowledgeSource { specificationVersion: 'v1', id, source, sync }`,
      );
    const kind = knowledgeSourceKindSchema.safeParse(source.source);
    if (!kind.success)
      throw new TeamStateError(
        'invalid_config',
        `knowledge.sources[${i}].source: ${kind.error.issues[0]?.message}, got ${JSON.stringify(source.source)}`,
      );
    if (ids.has(source.id))
      throw new TeamStateError('invalid_config', `knowledge.sources[${i}].id: "${source.id}" is used twice (ids are unique)`);
    ids.add(source.id);
  }
}

/** A sync cursor a knowledge source set. */
const cursor = columns({ key: text, value: text });
const cursorValue = columns({ value: text });

/** Builds `ts.knowledge`. */
export function createKnowledgeApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  sources: readonly KnowledgeSource[];
  embedder?: Embedder;
  /** Who reads: documents restricted to teams are found only by members and leads of one of them. */
  reading: Reading;
}): Knowledge {
  const { store, workspace, clock, log, embedder } = deps;
  // The database's owner reads every document; a viewer those visible to everyone or to a team they are in or lead.
  const viewerTeams = async () => {
    const viewer = await deps.reading.viewer();
    return viewer && [...new Set([...viewer.teams, ...viewer.lead])];
  };

  // The cursors a sync set that differ from the stored ones (an unchanged cursor costs no write).
  async function changed(scope: string, cursors: ReadonlyMap<string, string>): Promise<[string, string][]> {
    if (cursors.size === 0) return [];
    const { rows } = await store.execute('SELECT key, value FROM sync_cursors WHERE workspace = ? AND connector = ?', [workspace, scope]);
    const before = new Map(cursor.all(rows).map((row) => [row.key, row.value]));
    return [...cursors].filter(([key, value]) => before.get(key) !== value);
  }

  async function syncSource(
    source: KnowledgeSource,
    warnings: string[],
    signal: AbortSignal | undefined,
    onProgress: ((progress: KnowledgeSyncProgress) => void) | undefined,
  ): Promise<KnowledgeSourceResult> {
    const result: KnowledgeSourceResult = {
      source: source.id,
      status: 'succeeded',
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      skipped: 0,
      chunks: 0,
      ...(embedder === undefined ? {} : { embedded: 0 }),
    };
    // An author who was erased is named by their pseudonym, as the erasure left their documents (none looked up
    // in a workspace that never erased anyone).
    const reads = { execute: (statement: { sql: string; args: InValue[] }) => store.execute(statement.sql, statement.args) };
    const erasures = await hasErasures(reads, workspace);
    const pseudonyms = new Map<string, Promise<string | undefined>>();
    const pseudonymOf = (author: string) => {
      if (!pseudonyms.has(author)) pseudonyms.set(author, erasedReference(reads, workspace, author));
      return pseudonyms.get(author)!;
    };
    const known = await knownDocuments(store, workspace, source.id);
    const stored = await storedDocuments(store, workspace, source.id);
    const owners = await storedOwners(store, workspace, source.id);
    for (const [, file] of owners) known.set(file.known.uri, file.known);
    const cursorScope = `knowledge:${source.id}`;
    const cursors = new Map<string, string>();
    const visibility = source.visibility === undefined ? null : JSON.stringify([...source.visibility].sort());
    // Kept documents whose visibility the config changed since: their text stays, their visibility follows the source.
    const revisible: string[] = [];
    const seen = new Set<string>();
    let pending: PreparedDocument[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      result.chunks += await store.write((tx) => writeDocuments(tx, workspace, batch));
    };
    try {
      await source.sync({
        known: async () => known,
        async put(input: KnowledgeDocumentInput) {
          const once = (id: string) => {
            if (seen.has(id))
              throw new TeamStateError('invalid_argument', `knowledge source ${source.id}: ${input.uri} was put twice in one sync`);
            seen.add(id);
          };
          // An unchanged document is recognised by its hash, before any parsing.
          if (typeof input?.uri === 'string' && typeof input.markdown === 'string') {
            const id = documentId(source, input.uri);
            if (isUnchanged(stored.get(id)?.row, source, input, contentHash(input.markdown))) {
              once(id);
              result.unchanged++;
              return;
            }
          }
          let prepared = prepareDocument(workspace, source, input, clock().getTime());
          once(prepared.id);
          const pseudonym = erasures && prepared.row.author ? await pseudonymOf(prepared.row.author) : undefined;
          if (pseudonym) prepared = withAuthor(prepared, pseudonym);
          const before = stored.get(prepared.id)?.fingerprint;
          if (before === prepared.fingerprint) {
            result.unchanged++;
            return;
          }
          if (before === undefined) result.added++;
          else result.updated++;
          pending.push(prepared);
          if (pending.length >= BATCH) await flush();
        },
        async putOwners(input: KnowledgeOwnersInput) {
          const prepared = prepareOwners(workspace, source, input, clock().getTime());
          if (seen.has(prepared.row.id))
            throw new TeamStateError('invalid_argument', `knowledge source ${source.id}: ${input.uri} was put twice in one sync`);
          seen.add(prepared.row.id);
          if (owners.get(prepared.row.id)?.fingerprint === prepared.fingerprint) return;
          await store.write((tx) => writeOwners(tx, prepared.row));
        },
        async getCursor(key: string) {
          const { rows } = await store.execute('SELECT value FROM sync_cursors WHERE workspace = ? AND connector = ? AND key = ?', [
            workspace,
            cursorScope,
            key,
          ]);
          return cursorValue.first(rows)?.value;
        },
        setCursor(key: string, value: string) {
          cursors.set(key, value);
        },
        keep(uri: string) {
          const id = documentId(source, uri);
          if (owners.has(id)) {
            seen.add(id);
            return;
          }
          const row = stored.get(id)?.row;
          if (!row)
            throw new TeamStateError('invalid_argument', `knowledge source ${source.id}: keep(${uri}): not indexed before, put it instead`);
          if (!seen.has(id)) {
            // A kept document takes the source's visibility as configured now (without being read again).
            if (row.visibility !== visibility) {
              revisible.push(id);
              result.updated++;
            } else result.unchanged++;
          }
          seen.add(id);
        },
        warn(message: string) {
          result.skipped++;
          warnings.push(message);
          log.warn(`knowledge ${source.id}: ${message}`);
        },
        progress: (update) => onProgress?.({ source: source.id, ...update }),
        now: clock,
        ...(signal === undefined ? {} : { signal }),
      });
      await flush();
      const gone = [...stored.keys()].filter((id) => !seen.has(id));
      const goneOwners = [...owners.keys()].filter((id) => !seen.has(id));
      const changedCursors = await changed(cursorScope, cursors);
      if (gone.length > 0 || goneOwners.length > 0 || changedCursors.length > 0 || revisible.length > 0)
        await store.write(async (tx) => {
          await restampVisibility(tx, workspace, revisible, visibility);
          await removeDocuments(tx, workspace, gone);
          await removeOwners(tx, workspace, goneOwners);
          const at = clock().getTime();
          await saveCursors(txExecute(tx), workspace, cursorScope, changedCursors, at);
        });
      result.removed = gone.length;
      // Vectors come after the passages are written: an embedder failing leaves every passage searchable by BM25,
      // and the next sync embeds only what is still missing.
      if (embedder !== undefined)
        result.embedded = await embedMissing(
          store,
          embedder,
          { workspace, origin: source.id },
          {
            ...(signal === undefined ? {} : { signal }),
            onProgress: (done, total) => onProgress?.({ source: source.id, phase: 'embedding', done, total }),
          },
        );
    } catch (error) {
      // What was written stays (each batch is whole); nothing is removed, so a failed read never empties the index.
      result.status = 'failed';
      const code = TeamStateError.isInstance(error) ? error.code : 'sync_failed';
      result.error = { code, message: redactSecrets(error instanceof Error ? error.message : String(error)) };
      log.error(`knowledge ${source.id}: sync failed`, { message: result.error.message });
    }
    return result;
  }

  return {
    async sync(options = {}) {
      const only = options.only;
      if (only !== undefined) {
        const unknown = only.filter((id) => !deps.sources.some((source) => source.id === id));
        if (unknown.length > 0)
          throw new TeamStateError(
            'invalid_argument',
            `only: no knowledge source ${unknown.map((id) => `"${id}"`).join(', ')} (configured: ${deps.sources.map((s) => s.id).join(', ') || 'none'})`,
          );
      }
      const warnings: string[] = [];
      const sources: KnowledgeSourceResult[] = [];
      if (embedder !== undefined) {
        const dropped = await prepareVectorSpace(store, embedder);
        if (dropped)
          log.info(
            `knowledge: the embedder changed (${dropped.embedder}, ${dropped.dimensions} dimensions → ${embedder.id}, ${embedder.dimensions}); every passage is embedded again`,
          );
      }
      for (const source of deps.sources) {
        if (only !== undefined && !only.includes(source.id)) continue;
        sources.push(await syncSource(source, warnings, options.signal, options.onProgress));
      }
      return { ok: sources.every((source) => source.status === 'succeeded'), sources, warnings };
    },
    search: async (query, options) =>
      searchKnowledge(store, workspace, query, options, embedder === undefined ? undefined : { embedder, log }, await viewerTeams()),
    whoKnows: async (topic, options) => whoKnows({ store, workspace, clock, viewerTeams: await viewerTeams() }, topic, options),
  };
}
