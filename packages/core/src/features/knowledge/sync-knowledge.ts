import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import { erasedReference, hasErasures } from '../../records/identity/erasures.js';
import { txExecute } from '../../records/store/existing-ids.js';
import { saveCursors } from '../../records/sync/cursors.js';
import type { Embedder } from '../../spec/embedder.js';
import type {
  KnowledgeDocumentInput,
  KnowledgeOwnersInput,
  KnowledgeSource,
  KnowledgeSourceContext,
  KnownKnowledgeDocument,
} from '../../spec/knowledge-source.js';
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
import { embedMissing, prepareVectorSpace } from './vector-index.js';

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

/** What syncing the knowledge sources works with. */
export interface KnowledgeSyncDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  sources: readonly KnowledgeSource[];
  embedder?: Embedder;
}

/** The options of `ts.knowledge.sync()`. */
export interface KnowledgeSyncOptions {
  only?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: KnowledgeSyncProgress) => void;
}

/** Documents written per transaction. */
const BATCH = 100;

/** A sync cursor a knowledge source set. */
const cursor = columns({ key: text, value: text });
const cursorValue = columns({ value: text });

/** One source's sync under way: what it indexed before, what this sync has seen so far, and what it counts. */
interface SourceSync {
  deps: KnowledgeSyncDeps;
  source: KnowledgeSource;
  result: KnowledgeSourceResult;
  warnings: string[];
  onProgress: KnowledgeSyncOptions['onProgress'];
  known: Map<string, KnownKnowledgeDocument>;
  stored: Awaited<ReturnType<typeof storedDocuments>>;
  owners: Awaited<ReturnType<typeof storedOwners>>;
  /** An author who was erased is named by their pseudonym (none looked up in a workspace that never erased anyone). */
  pseudonymOf: ((author: string) => Promise<string | undefined>) | undefined;
  cursorScope: string;
  cursors: Map<string, string>;
  /** The source's visibility as stored: its teams, sorted, as JSON; null for everyone. */
  visibility: string | null;
  /** Kept documents whose visibility the config changed since: their text stays, their visibility follows the source. */
  revisible: string[];
  seen: Set<string>;
  /** Documents prepared and not written yet. */
  pending: PreparedDocument[];
}

/**
 * Indexes the configured sources (or `only` those): new and changed documents are chunked and written, unchanged
 * ones cost no write, and documents gone from their source leave the index. A source that fails is reported in its
 * result while the others still sync.
 */
export async function syncKnowledge(deps: KnowledgeSyncDeps, options: KnowledgeSyncOptions = {}): Promise<KnowledgeSyncResult> {
  const { embedder, log } = deps;
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
    const dropped = await prepareVectorSpace(deps.store, embedder);
    if (dropped)
      log.info(
        `knowledge: the embedder changed (${dropped.embedder}, ${dropped.dimensions} dimensions → ${embedder.id}, ${embedder.dimensions}); every passage is embedded again`,
      );
  }
  for (const source of deps.sources) {
    if (only !== undefined && !only.includes(source.id)) continue;
    sources.push(await syncSource(deps, source, warnings, options.signal, options.onProgress));
  }
  return { ok: sources.every((source) => source.status === 'succeeded'), sources, warnings };
}

/** Syncs one source; a failure is its result's error, never the whole sync's. */
async function syncSource(
  deps: KnowledgeSyncDeps,
  source: KnowledgeSource,
  warnings: string[],
  signal: AbortSignal | undefined,
  onProgress: KnowledgeSyncOptions['onProgress'],
): Promise<KnowledgeSourceResult> {
  const { store, workspace, embedder, log } = deps;
  const sync = await startSourceSync(deps, source, warnings, onProgress);
  const { result } = sync;
  try {
    await source.sync(sourceContext(sync, signal));
    await flushDocuments(sync);
    await removeUnseen(sync);
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

/** Reads what the source indexed before (documents and CODEOWNERS files) and starts its counts at zero. */
async function startSourceSync(
  deps: KnowledgeSyncDeps,
  source: KnowledgeSource,
  warnings: string[],
  onProgress: KnowledgeSyncOptions['onProgress'],
): Promise<SourceSync> {
  const { store, workspace } = deps;
  const result: KnowledgeSourceResult = {
    source: source.id,
    status: 'succeeded',
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    skipped: 0,
    chunks: 0,
    ...(deps.embedder === undefined ? {} : { embedded: 0 }),
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
  return {
    deps,
    source,
    result,
    warnings,
    onProgress,
    known,
    stored,
    owners,
    pseudonymOf: erasures ? pseudonymOf : undefined,
    cursorScope: `knowledge:${source.id}`,
    cursors: new Map(),
    visibility: source.visibility === undefined ? null : JSON.stringify([...source.visibility].sort()),
    revisible: [],
    seen: new Set(),
    pending: [],
  };
}

/** What the source's `sync` is handed: each call lands in this sync's state. */
function sourceContext(sync: SourceSync, signal: AbortSignal | undefined): KnowledgeSourceContext {
  const { deps, source } = sync;
  return {
    known: async () => sync.known,
    put: (input) => putDocument(sync, input),
    putOwners: (input) => putOwnersFile(sync, input),
    getCursor: (key) => storedCursor(sync, key),
    setCursor(key: string, value: string) {
      sync.cursors.set(key, value);
    },
    keep: (uri) => keepDocument(sync, uri),
    warn(message: string) {
      sync.result.skipped++;
      sync.warnings.push(message);
      deps.log.warn(`knowledge ${source.id}: ${message}`);
    },
    progress: (update) => sync.onProgress?.({ source: source.id, ...update }),
    now: deps.clock,
    ...(signal === undefined ? {} : { signal }),
  };
}

/** Marks a document (or CODEOWNERS file) seen; refused when the source puts it twice in one sync. */
function seeOnce(sync: SourceSync, id: string, uri: string): void {
  if (sync.seen.has(id))
    throw new TeamStateError('invalid_argument', `knowledge source ${sync.source.id}: ${uri} was put twice in one sync`);
  sync.seen.add(id);
}

/** Indexes a put document unless it is unchanged; written in batches of {@link BATCH}. */
async function putDocument(sync: SourceSync, input: KnowledgeDocumentInput): Promise<void> {
  const { deps, source, stored, result } = sync;
  // An unchanged document is recognised by its hash, before any parsing.
  if (typeof input?.uri === 'string' && typeof input.markdown === 'string') {
    const id = documentId(source, input.uri);
    if (isUnchanged(stored.get(id)?.row, source, input, contentHash(input.markdown))) {
      seeOnce(sync, id, input.uri);
      result.unchanged++;
      return;
    }
  }
  let prepared = prepareDocument(deps.workspace, source, input, deps.clock().getTime());
  seeOnce(sync, prepared.id, input.uri);
  const pseudonym = sync.pseudonymOf && prepared.row.author ? await sync.pseudonymOf(prepared.row.author) : undefined;
  if (pseudonym) prepared = withAuthor(prepared, pseudonym);
  const before = stored.get(prepared.id)?.fingerprint;
  if (before === prepared.fingerprint) {
    result.unchanged++;
    return;
  }
  if (before === undefined) result.added++;
  else result.updated++;
  sync.pending.push(prepared);
  if (sync.pending.length >= BATCH) await flushDocuments(sync);
}

/** Writes the documents prepared and not written yet, in one transaction. */
async function flushDocuments(sync: SourceSync): Promise<void> {
  if (sync.pending.length === 0) return;
  const batch = sync.pending;
  sync.pending = [];
  sync.result.chunks += await sync.deps.store.write((tx) => writeDocuments(tx, sync.deps.workspace, batch));
}

/** Records a CODEOWNERS file unless it is unchanged. */
async function putOwnersFile(sync: SourceSync, input: KnowledgeOwnersInput): Promise<void> {
  const { deps, source } = sync;
  const prepared = prepareOwners(deps.workspace, source, input, deps.clock().getTime());
  seeOnce(sync, prepared.row.id, input.uri);
  if (sync.owners.get(prepared.row.id)?.fingerprint === prepared.fingerprint) return;
  await deps.store.write((tx) => writeOwners(tx, prepared.row));
}

/** A cursor the source set in an earlier successful sync. */
async function storedCursor(sync: SourceSync, key: string): Promise<string | undefined> {
  const { rows } = await sync.deps.store.execute('SELECT value FROM sync_cursors WHERE workspace = ? AND connector = ? AND key = ?', [
    sync.deps.workspace,
    sync.cursorScope,
    key,
  ]);
  return cursorValue.first(rows)?.value;
}

/** Marks a document (or CODEOWNERS file) indexed before as still there, without reading it again. */
function keepDocument(sync: SourceSync, uri: string): void {
  const { source, seen, result } = sync;
  const id = documentId(source, uri);
  if (sync.owners.has(id)) {
    seen.add(id);
    return;
  }
  const row = sync.stored.get(id)?.row;
  if (!row) throw new TeamStateError('invalid_argument', `knowledge source ${source.id}: keep(${uri}): not indexed before, put it instead`);
  if (!seen.has(id)) {
    // A kept document takes the source's visibility as configured now (without being read again).
    if (row.visibility !== sync.visibility) {
      sync.revisible.push(id);
      result.updated++;
    } else result.unchanged++;
  }
  seen.add(id);
}

/**
 * Once the source's sync returned: removes the documents and CODEOWNERS files it neither put nor kept, restamps the
 * kept documents' visibility and saves the cursors it changed, in one transaction (none when nothing changed).
 */
async function removeUnseen(sync: SourceSync): Promise<void> {
  const { deps, seen } = sync;
  const { store, workspace } = deps;
  const gone = [...sync.stored.keys()].filter((id) => !seen.has(id));
  const goneOwners = [...sync.owners.keys()].filter((id) => !seen.has(id));
  const changedCursors = await changedCursorsOf(sync);
  if (gone.length > 0 || goneOwners.length > 0 || changedCursors.length > 0 || sync.revisible.length > 0)
    await store.write(async (tx) => {
      await restampVisibility(tx, workspace, sync.revisible, sync.visibility);
      await removeDocuments(tx, workspace, gone);
      await removeOwners(tx, workspace, goneOwners);
      const at = deps.clock().getTime();
      await saveCursors(txExecute(tx), workspace, sync.cursorScope, changedCursors, at);
    });
  sync.result.removed = gone.length;
}

/** The cursors a sync set that differ from the stored ones (an unchanged cursor costs no write). */
async function changedCursorsOf(sync: SourceSync): Promise<[string, string][]> {
  if (sync.cursors.size === 0) return [];
  const { rows } = await sync.deps.store.execute('SELECT key, value FROM sync_cursors WHERE workspace = ? AND connector = ?', [
    sync.deps.workspace,
    sync.cursorScope,
  ]);
  const before = new Map(cursor.all(rows).map((row) => [row.key, row.value]));
  return [...sync.cursors].filter(([key, value]) => before.get(key) !== value);
}
