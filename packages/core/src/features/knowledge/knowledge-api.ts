import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { knowledgeSourceKindSchema } from '../../kernel/model/common.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { Reading } from '../../records/identity/viewer.js';
import type { Embedder } from '../../spec/embedder.js';
import type { KnowledgeSource } from '../../spec/knowledge-source.js';
import { type KnowledgeAnswer, type KnowledgeSearchOptions, searchKnowledge } from './search-knowledge.js';
import { type KnowledgeSyncProgress, type KnowledgeSyncResult, syncKnowledge } from './sync-knowledge.js';
import { type WhoKnowsOptions, type WhoKnowsPerson, whoKnows } from './who-knows.js';

export type { KnowledgeSourceResult, KnowledgeSyncProgress, KnowledgeSyncResult } from './sync-knowledge.js';

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
   * two per document. The query is words, never search syntax. Ranked by BM25 alone because the month's cost cap is
   * reached, the list's `note` says so.
   * @example const [best] = await ts.knowledge.search('how do I roll back a deploy?')
   */
  search(query: string, options?: KnowledgeSearchOptions): Promise<KnowledgeAnswer>;
  /**
   * People most likely to know about a topic, with the evidence: documents they wrote, pull requests they authored or
   * reviewed and issues they resolved on it; recent evidence weighs more.
   * @example const [expert] = await ts.knowledge.whoKnows('refund retries')
   */
  whoKnows(topic: string, options?: WhoKnowsOptions): Promise<WhoKnowsPerson[]>;
}

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

/** The teams whose documents a reader finds: all (undefined) for the database's owner, else those they are in or lead. */
async function viewerTeams(reading: Reading): Promise<string[] | undefined> {
  const viewer = await reading.viewer();
  return viewer && [...new Set([...viewer.teams, ...viewer.lead])];
}

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
  return {
    sync: (options) => syncKnowledge(deps, options),
    search: async (query, options) =>
      searchKnowledge(
        store,
        workspace,
        query,
        options,
        embedder === undefined ? undefined : { embedder, log },
        await viewerTeams(deps.reading),
      ),
    whoKnows: async (topic, options) => whoKnows({ store, workspace, clock, viewerTeams: await viewerTeams(deps.reading) }, topic, options),
  };
}
