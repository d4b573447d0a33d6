import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { knowledgeSourceKindSchema } from '../../kernel/model/common.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, real, scalar, text, textOf } from '../../kernel/store/row-decoder.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import { checkKnown } from '../../records/arguments.js';
import type { Embedder } from '../../spec/embedder.js';
import type { KnowledgeSourceKind } from '../../spec/knowledge-source.js';
import { embedTexts, vectorBlob } from './embed-texts.js';
import { checkKnowledgeQuery, knowledgeMatch, queryTerms } from './knowledge-query.js';
import { fuseRanks } from './reciprocal-rank-fusion.js';
import { VECTOR_INDEX, VECTOR_TABLE, vectorsMatch } from './vector-index.js';

/** Filters of `ts.knowledge.search()`. */
export interface KnowledgeSearchOptions {
  /** Only documents this team may see (documents without a visibility list are everyone's). */
  team?: string;
  /** Only documents this person may see (through their teams). */
  person?: string;
  /**
   * Only documents any of these teams may see; `[]`: only documents everyone may see. What the MCP server passes for
   * its caller (their teams, or none when the caller is not a known person).
   */
  teams?: readonly string[];
  /** Only documents from this source. */
  source?: KnowledgeSourceKind;
  /** How many passages, 1–50 (default 5). */
  limit?: number;
}

/** A passage found by `ts.knowledge.search()`, with what to cite. */
export interface KnowledgePassage {
  /** The passage's markdown. */
  text: string;
  /** The headings above it, outermost first. */
  headingPath: string[];
  /** Relevance (higher is better); comparable within one search only. */
  score: number;
  document: {
    title: string;
    /** A URL, or for local files their path. */
    uri: string;
    source: KnowledgeSourceKind;
    /** When the document last changed (ISO 8601, UTC). */
    updatedAt: string;
  };
}

/**
 * The passages of a search, best first; `note` (not enumerated, so JSON shows the list alone) says when the answer is
 * ranked by BM25 alone for a reason the reader should know (the month's cost cap reached).
 */
export type KnowledgeAnswer = KnowledgePassage[] & { note?: string };

/** At most this many passages of one document in an answer. */
export const PASSAGES_PER_DOCUMENT = 2;
/**
 * Column weights of `bm25()`: title, headings, text, identifier parts. The heading path (which holds the H1) weighs
 * most; the title, repeated in every passage of a document, little (measured by `pnpm bench knowledge` and on a
 * real-world runbook collection, where a heavy title ranked every page of a family of similarly named documents alike).
 */
const WEIGHTS = [0.5, 2, 1, 0.6] as const;
/** What a document's second passage's score is multiplied by when ranked against other documents' passages. */
const SECOND_PASSAGE_WEIGHT = 0.5;
/** How many index-ranked passages are looked at per passage wanted. */
const CANDIDATES_PER_RESULT = 12;

/**
 * A ranked passage: what ranking needs (its text and document are read for the passages kept only). `rank` is the
 * FTS5 `bm25()` score or the vector distance (REAL; lower is better).
 */
const candidate = columns({ chunkId: integer, documentId: text, rank: real });
type Candidate = ReturnType<typeof candidate.one>;

/** What a kept passage shows and cites. */
const passageDetail = columns({
  chunkId: integer,
  headingPath: text,
  text: text,
  title: text,
  uri: text,
  source: textOf<KnowledgeSourceKind>(),
  updatedAt: integer,
});
type PassageDetails = ReturnType<typeof passageDetail.one>;

/** A person and, once per team, a team they belong to (NULL: none). */
const personTeam = columns({ team_id: nullable(text) });

/** The teams a person belongs to (an unknown person is an error naming the argument). */
async function teamsOf(store: Store, workspace: string, person: string): Promise<string[]> {
  const { rows } = await store.execute(
    'SELECT p.id, m.team_id FROM people p LEFT JOIN memberships m ON m.workspace = p.workspace AND m.person_id = p.id WHERE p.workspace = ? AND p.id = ?',
    [workspace, person],
  );
  if (rows.length === 0) throw new TeamStateError('not_found', `person: no person "${person}" in this workspace`);
  return personTeam.all(rows).flatMap((row) => (row.team_id === null ? [] : [row.team_id]));
}

function limitOf(value: unknown): number {
  if (value === undefined) return 5;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 50)
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 50, got ${JSON.stringify(value)}`);
  return value;
}

/** The embedder of a search, when one is configured: the query is embedded and vector ranks fuse with BM25's. */
export interface SearchVectors {
  embedder: Embedder;
  /** Where an embedder failure is reported (the search then ranks by BM25 alone). */
  log: Logger;
}

/**
 * Searches the knowledge index: BM25 over passages (porter-stemmed words; the document title and the heading path
 * weigh more than the text), any of the question's content words (stop words dropped), at most
 * {@link PASSAGES_PER_DOCUMENT} passages per document, best first. With an embedder whose vectors are in the index,
 * the passages nearest to the query's vector are ranked too, and both rankings are fused by reciprocal rank.
 */
export async function searchKnowledge(
  store: Store,
  workspace: string,
  rawQuery: unknown,
  options: KnowledgeSearchOptions = {},
  vectors?: SearchVectors,
  /** The teams of the reading viewer (theirs and those they lead): only documents visible to everyone or to one of them. */
  viewerTeams?: readonly string[],
): Promise<KnowledgeAnswer> {
  const query = checkKnowledgeQuery(rawQuery);
  if (typeof options !== 'object' || options === null)
    throw new TeamStateError('invalid_argument', 'options: expected { team?, person?, teams?, source?, limit? }');
  const limit = limitOf(options.limit);
  const kind = options.source === undefined ? undefined : knowledgeSourceKindSchema.safeParse(options.source);
  if (kind && !kind.success)
    throw new TeamStateError('invalid_argument', `source: ${kind.error.issues[0]?.message}, got ${JSON.stringify(options.source)}`);
  // An unknown team is a mistake to report (with the closest team), never everyone's documents or nobody.
  await checkKnown((text, values) => store.execute(text, values), workspace, 'team', options.team);
  const match = knowledgeMatch(queryTerms(query));
  if (match === undefined) return [];
  // `+c.workspace`: passages are looked up by chunk_id (the FTS rowid), never through a workspace index.
  const where: string[] = ['+c.workspace = ?2'];
  const args: InValue[] = [match, workspace];
  if (options.source !== undefined) {
    args.push(options.source);
    where.push(`d.source = ?${args.length}`);
  }
  const viewers: string[][] = [];
  if (options.team !== undefined) {
    if (typeof options.team !== 'string') throw new TeamStateError('invalid_argument', 'team: expected a team id');
    viewers.push([options.team]);
  }
  if (options.person !== undefined) viewers.push(await teamsOf(store, workspace, options.person));
  if (options.teams !== undefined) {
    if (!Array.isArray(options.teams) || options.teams.some((team) => typeof team !== 'string'))
      throw new TeamStateError('invalid_argument', 'teams: expected a list of team ids');
    viewers.push([...options.teams]);
  }
  if (viewerTeams !== undefined) viewers.push([...viewerTeams]);
  for (const teams of viewers) {
    const marks = teams.map((team) => {
      args.push(team);
      return `?${args.length}`;
    });
    where.push(
      `(d.visibility IS NULL${marks.length === 0 ? '' : ` OR EXISTS (SELECT 1 FROM json_each(d.visibility) WHERE value IN (${marks.join(', ')}))`})`,
    );
  }
  // The documents are joined only when a filter needs them (every passage has its document).
  const documentsJoin = where.length > 1 ? 'JOIN knowledge_documents d ON d.workspace = c.workspace AND d.id = c.document_id' : '';
  const candidates = limit * CANDIDATES_PER_RESULT;
  args.push(candidates);
  const limitArg = `?${args.length}`;
  // Asked for while BM25 ranks (an embedding API answers in its own time).
  const queryVector = vectors === undefined ? undefined : embedQuery(store, vectors, query);
  // The FTS index holds every workspace's passages. The best matches are ranked on the index alone (as fast as a bare
  // FTS5 query) and then looked up and filtered; only when too few of them survive the filters is every match ranked
  // with the filters applied.
  const rankedQuery = (hits: string) =>
    store.execute(
      `WITH hits AS (${hits})
       SELECT c.chunk_id AS "chunkId", c.document_id AS "documentId", hits.rank AS "rank"
       FROM hits CROSS JOIN knowledge_chunks c ON c.chunk_id = hits.chunk
       ${documentsJoin}
       WHERE ${where.join(' AND ')}
       ORDER BY hits.rank, c.chunk_id LIMIT ${limitArg}`,
      args,
    );
  const hitsSql = `SELECT rowid AS chunk, bm25(knowledge_fts, ${WEIGHTS.join(', ')}) AS rank FROM knowledge_fts WHERE knowledge_fts MATCH ?1`;
  let rows = candidate.all((await rankedQuery(`${hitsSql} ORDER BY rank LIMIT ${limitArg}`)).rows);
  const documents = new Set(rows.map((row) => row.documentId));
  if (documents.size < limit) {
    const { rows: more } = await store.execute(
      `SELECT count(*) AS n FROM (SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH ?1 LIMIT ?2)`,
      [match, candidates + 1],
    );
    if (scalar(more, 'n', integer) > candidates) rows = candidate.all((await rankedQuery(hitsSql)).rows);
  }
  let ranked: { score: number; row: Candidate }[] = rows.map((row) => ({ score: -row.rank, row }));
  const { vector, note } = (await queryVector) ?? {};
  if (vector !== undefined) {
    // The same filters, ?1 being the query's vector: the nearest passages by the index, filtered; all of them ranked
    // exactly only when too few survive the filters.
    const nearestQuery = (nearest: string) =>
      store.execute(
        `WITH nearest AS (${nearest})
         SELECT c.chunk_id AS "chunkId", c.document_id AS "documentId", nearest.distance AS "rank"
         FROM nearest CROSS JOIN knowledge_chunks c ON c.chunk_id = nearest.chunk
         ${documentsJoin}
         WHERE ${where.join(' AND ')}
         ORDER BY nearest.distance, c.chunk_id LIMIT ${limitArg}`,
        [vector, ...args.slice(1)],
      );
    let near = candidate.all(
      (
        await nearestQuery(
          `SELECT v.chunk_id AS chunk, vector_distance_cos(v.embedding, ?1) AS distance
           FROM vector_top_k('${VECTOR_INDEX}', ?1, ${limitArg}) AS top JOIN ${VECTOR_TABLE} v ON v.rowid = top.id`,
        )
      ).rows,
    );
    if (new Set(near.map((row) => row.documentId)).size < limit) {
      const { rows: more } = await store.execute(`SELECT count(*) AS n FROM (SELECT 1 FROM ${VECTOR_TABLE} LIMIT ?)`, [candidates + 1]);
      if (scalar(more, 'n', integer) > candidates)
        near = candidate.all(
          (await nearestQuery(`SELECT chunk_id AS chunk, vector_distance_cos(embedding, ?1) AS distance FROM ${VECTOR_TABLE}`)).rows,
        );
    }
    ranked = fuseRanks([rows, near], (row) => row.chunkId).map(({ item, score }) => ({ score, row: item }));
  }
  // A document's second passage competes with a lower score: an answer cites several documents before it cites
  // one document twice.
  const perDocument = new Map<string, number>();
  const kept: { score: number; row: Candidate }[] = [];
  for (const { score, row } of ranked) {
    const seen = perDocument.get(row.documentId) ?? 0;
    if (seen >= PASSAGES_PER_DOCUMENT) continue;
    perDocument.set(row.documentId, seen + 1);
    kept.push({ score: score * (seen === 0 ? 1 : SECOND_PASSAGE_WEIGHT), row });
  }
  kept.sort((a, b) => b.score - a.score || a.row.chunkId - b.row.chunkId);
  const answer = kept.slice(0, limit);
  const details = await passageDetails(
    store,
    workspace,
    answer.map(({ row }) => row.chunkId),
  );
  // A passage removed by a sync in another process between the two reads is left out rather than failing the search.
  const passages: KnowledgeAnswer = answer.flatMap(({ score, row: { chunkId } }) => {
    const row = details.get(chunkId);
    if (row === undefined) return [];
    return [
      {
        text: row.text,
        headingPath: JSON.parse(row.headingPath) as string[],
        score: Number(score.toFixed(vector === undefined ? 4 : 6)),
        document: { title: row.title, uri: row.uri, source: row.source, updatedAt: new Date(row.updatedAt).toISOString() },
      },
    ];
  });
  if (note !== undefined) Object.defineProperty(passages, 'note', { value: note, enumerable: false });
  return passages;
}

/** The text, headings and document of the passages an answer keeps, by chunk id (one query). */
async function passageDetails(store: Store, workspace: string, chunkIds: readonly number[]): Promise<Map<number, PassageDetails>> {
  if (chunkIds.length === 0) return new Map();
  const { rows } = await store.execute(
    `SELECT c.chunk_id AS "chunkId", c.heading_path AS "headingPath", c.text AS "text",
            d.title AS "title", d.uri AS "uri", d.source AS "source", d.updated_at AS "updatedAt"
     FROM knowledge_chunks c JOIN knowledge_documents d ON d.workspace = c.workspace AND d.id = c.document_id
     WHERE c.chunk_id IN (${chunkIds.map(() => '?').join(', ')}) AND +c.workspace = ?`,
    [...chunkIds, workspace],
  );
  return new Map(passageDetail.all(rows).map((row) => [row.chunkId, row]));
}

/**
 * The query's vector, when the index holds this embedder's vectors. An embedder that fails is logged, naming it, and
 * the search goes on with BM25 alone: the docs stay searchable while an embedding server is down.
 */
async function embedQuery(store: Store, { embedder, log }: SearchVectors, query: string): Promise<{ vector?: Uint8Array; note?: string }> {
  // Never rejects: it runs while BM25 ranks, and a rejection nobody awaits yet would take the process down.
  try {
    if (!(await vectorsMatch(store, embedder))) return {};
    const [vector] = await embedTexts(embedder, [query]);
    return { vector: vectorBlob(vector!) };
  } catch (error) {
    log.warn(`knowledge search: ranked by BM25 alone, ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    // The month's cost cap is the reader's business too: the answer says why it is ranked by words alone.
    return TeamStateError.isInstance(error) && error.code === 'cost_cap_reached' ? { note: COST_CAP_NOTE } : {};
  }
}

/** What an answer ranked by BM25 alone because the month's cost cap was reached says. */
export const COST_CAP_NOTE =
  "ranked by BM25 alone: the month's cost cap (limits.max_monthly_cost_usd) is reached (cost_cap_reached), so the query was not embedded";
