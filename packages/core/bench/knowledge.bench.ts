import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { chunkMarkdown, createTeamState, type Embedder, localKnowledge } from '@teamstate/core';
import { testEmbedder } from '@teamstate/core/testing';
import { generateScaleCorpus } from './knowledge-scale-corpus.js';

// `pnpm bench knowledge` (issue 19): retrieval quality on a labelled set (knowledge-corpus/ and
// knowledge-questions.json) next to a plain BM25 over the same heading chunks computed here, then the index at scale
// (5,000 generated documents, about 50,000 chunks): index rate, unchanged re-index, search p50/p99 and size, each
// with a raw FTS5 baseline measured in the same run. The embedder path (vectors fused with BM25 by reciprocal rank) is
// measured with the deterministic test embedder (hashed words and character trigrams, no model): its figures are the
// cost of the vector index and of fusion, not the quality a real embedding model gives.

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const CORPUS = join(import.meta.dirname, 'knowledge-corpus');
const QUESTIONS = (
  JSON.parse(readFileSync(join(import.meta.dirname, 'knowledge-questions.json'), 'utf8')) as { questions: { q: string; doc: string }[] }
).questions;
const DOCUMENTS = Number(process.env.BENCH_KNOWLEDGE_DOCS ?? 5_000);
/** `BENCH_KNOWLEDGE_VECTORS=0` leaves out the embedder at scale (minutes of embedding and vector indexing). */
const VECTORS = process.env.BENCH_KNOWLEDGE_VECTORS !== '0';
/** The width of the test embedder's vectors (a small real model's is 384). */
const BENCH_DIMENSIONS = 256;

/** A standard English stop-word list for the plain baseline (the SMART/NLTK core). */
const BASELINE_STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does ' +
    'doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself ' +
    'just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than ' +
    'that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which ' +
    'while who whom why will with would you your yours yourself yourselves'
  ).split(' '),
);

/** Plain BM25 (k1 1.2, b 0.75) over heading chunks: lowercase words, stop words removed, no stemming, no field weights. */
function plainBm25(chunks: { doc: string; text: string }[]) {
  const words = (text: string) => (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !BASELINE_STOP_WORDS.has(w));
  const docs = chunks.map((chunk) => {
    const tf = new Map<string, number>();
    const list = words(chunk.text);
    for (const w of list) tf.set(w, (tf.get(w) ?? 0) + 1);
    return { doc: chunk.doc, tf, length: list.length };
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const w of d.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const avg = docs.reduce((sum, d) => sum + d.length, 0) / docs.length;
  const n = docs.length;
  return (query: string) => {
    const terms = [...new Set(words(query))];
    return docs
      .map((d) => {
        let score = 0;
        for (const term of terms) {
          const f = d.tf.get(term);
          if (!f) continue;
          const idf = Math.log(1 + (n - df.get(term)! + 0.5) / (df.get(term)! + 0.5));
          score += (idf * (f * 2.2)) / (f + 1.2 * (1 - 0.75 + (0.75 * d.length) / avg));
        }
        return { doc: d.doc, score };
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((hit) => hit.doc);
  };
}

/** recall@5 and MRR@10 of ranked lists of document paths (one relevant document per question). */
function quality(rankings: string[][]): { recall5: number; mrr10: number; misses: number[] } {
  let hits = 0;
  let reciprocal = 0;
  const misses: number[] = [];
  rankings.forEach((ranking, i) => {
    const rank = ranking.slice(0, 10).indexOf(QUESTIONS[i]!.doc);
    if (rank >= 0 && rank < 5) hits++;
    else misses.push(i);
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  });
  return { recall5: hits / rankings.length, mrr10: reciprocal / rankings.length, misses };
}

function walk(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(folder, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith('.md')
        ? [`${prefix}${entry.name}`]
        : [],
  );
}

async function retrieval(report: BenchReport) {
  report.section(`knowledge: retrieval quality (${QUESTIONS.length} questions, ${walk(CORPUS).length} documents)`);
  const folder = mkdtempSync(join(tmpdir(), 'teamstate-bench-knowledge-'));
  try {
    const rank = async (embedder?: Embedder) => {
      const ts = await createTeamState({
        database: join(folder, `${embedder?.id ?? 'bm25'}.db`),
        knowledge: { sources: [localKnowledge({ paths: [CORPUS] })], ...(embedder ? { embedder } : {}) },
      });
      await ts.knowledge.sync();
      const rankings: string[][] = [];
      for (const { q } of QUESTIONS) {
        const passages = await ts.knowledge.search(q, { limit: 10 });
        rankings.push(passages.map((p) => p.document.uri.slice(CORPUS.length + 1)));
      }
      await ts.close();
      return rankings;
    };
    const ours = await rank();
    const fused = await rank(testEmbedder({ dimensions: BENCH_DIMENSIONS }));
    // The baseline ranks the same heading chunks (heading path and text), with no per-document limit.
    const chunks = walk(CORPUS).flatMap((path) =>
      chunkMarkdown(readFileSync(join(CORPUS, path), 'utf8'), path).chunks.map((chunk) => ({
        doc: path,
        text: `${chunk.headingPath.join(' ')}\n${chunk.text}`,
      })),
    );
    const baseline = plainBm25(chunks);
    const theirs = QUESTIONS.map(({ q }) => baseline(q));
    const a = quality(ours);
    const b = quality(theirs);
    const c = quality(fused);
    report.figure('teamstate recall@5', a.recall5, '', `plain BM25 ${b.recall5.toFixed(3)}`);
    report.figure('teamstate MRR@10', a.mrr10, '', `plain BM25 ${b.mrr10.toFixed(3)}`);
    report.figure('teamstate + test embedder (RRF) recall@5', c.recall5, '', `plain BM25 ${b.recall5.toFixed(3)}`);
    report.figure('teamstate + test embedder (RRF) MRR@10', c.mrr10, '', `plain BM25 ${b.mrr10.toFixed(3)}`);
    report.figure('plain BM25 recall@5', b.recall5, '');
    report.figure('plain BM25 MRR@10', b.mrr10, '');
    if (process.env.BENCH_KNOWLEDGE_VERBOSE)
      for (const i of a.misses)
        console.log(`    miss: ${QUESTIONS[i]!.q} -> ${ours[i]!.slice(0, 3).join(', ')} (want ${QUESTIONS[i]!.doc})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The labelled handbook's words: the scale corpus's most shared words come from them. */
const handbookWords = () => [
  ...new Set(
    walk(CORPUS)
      .map((path) => readFileSync(join(CORPUS, path), 'utf8'))
      .join('\n')
      .toLowerCase()
      .match(/[a-z]{3,}/g)!,
  ),
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

async function scale(report: BenchReport) {
  report.section(`knowledge: index of ${DOCUMENTS.toLocaleString('en-US')} markdown documents`);
  const folder = mkdtempSync(join(tmpdir(), 'teamstate-bench-knowledge-scale-'));
  try {
    const docs = join(folder, 'docs');
    const corpus = generateScaleCorpus(docs, DOCUMENTS, handbookWords());
    const database = join(folder, 'k.db');
    const ts = await createTeamState({ database, knowledge: { sources: [localKnowledge({ paths: [docs] })] } });
    let started = performance.now();
    const first = await ts.knowledge.sync();
    const indexMs = performance.now() - started;
    const chunks = first.sources[0]!.chunks;
    report.figure('chunks indexed', chunks, 'chunks', `${first.sources[0]!.added} documents`);
    report.figure('index rate', chunks / (indexMs / 1000), 'chunks/s', `${(indexMs / 1000).toFixed(1)} s`);
    started = performance.now();
    const again = await ts.knowledge.sync();
    const unchangedMs = performance.now() - started;
    report.figure(
      're-index, nothing changed',
      unchangedMs,
      'ms',
      `${again.sources[0]!.unchanged} unchanged, ${again.sources[0]!.chunks} chunks written`,
    );
    const queries = Array.from({ length: 100 }, (_, i) => QUESTIONS[i % QUESTIONS.length]!.q);
    const searchTimes = async (search: (q: string) => Promise<unknown>) => {
      const times: number[] = [];
      for (const q of queries) {
        const t0 = performance.now();
        await search(q);
        times.push(performance.now() - t0);
      }
      return times;
    };
    const times = await searchTimes((q) => ts.knowledge.search(q));
    await ts.close();
    report.figure('search p50', percentile(times, 0.5), 'ms');
    report.figure('search p99', percentile(times, 0.99), 'ms', 'target < 50 ms');
    report.figure('database size', statSync(database).size / 1_048_576, 'MB');

    if (VECTORS) await vectorSearch(report, database, docs, times, searchTimes);

    // Raw baseline: the same chunk texts into a bare FTS5 table, and bare MATCH … ORDER BY bm25 LIMIT 10 queries.
    const raw = createClient({ url: `file:${join(folder, 'raw.db')}` });
    await raw.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='porter unicode61')");
    const source = createClient({ url: `file:${database}` });
    const { rows } = await source.execute('SELECT text FROM knowledge_chunks');
    started = performance.now();
    const tx = await raw.transaction('write');
    for (let i = 0; i < rows.length; i += 500)
      await tx.execute({
        sql: `INSERT INTO fts (text) VALUES ${rows
          .slice(i, i + 500)
          .map(() => '(?)')
          .join(', ')}`,
        args: rows.slice(i, i + 500).map((row) => String(row.text)),
      });
    await tx.commit();
    const rawMs = performance.now() - started;
    report.figure(
      'raw FTS5 insert rate',
      rows.length / (rawMs / 1000),
      'chunks/s',
      `ratio ${(rows.length / (rawMs / 1000) / (chunks / (indexMs / 1000))).toFixed(1)}x faster than indexing (no parsing, no hashing)`,
    );
    // The raw query holds the question's words less the baseline's stop words (otherwise `the`, `how`, `do` match
    // nearly every passage): what a bare FTS5 search of the content words costs.
    const rawMatch = (q: string) =>
      (q.toLowerCase().match(/[a-z0-9]+/g) ?? [])
        .filter((w) => !BASELINE_STOP_WORDS.has(w))
        .map((w) => `"${w}"`)
        .join(' OR ');
    const rawTimes: number[] = [];
    for (const q of queries) {
      const t0 = performance.now();
      await raw.execute({ sql: 'SELECT rowid, bm25(fts) AS r FROM fts WHERE fts MATCH ? ORDER BY r LIMIT 10', args: [rawMatch(q)] });
      rawTimes.push(performance.now() - t0);
    }
    report.figure(
      'raw FTS5 search p50',
      percentile(rawTimes, 0.5),
      'ms',
      `teamstate/raw ${(percentile(times, 0.5) / percentile(rawTimes, 0.5)).toFixed(2)}`,
    );
    report.figure('raw FTS5 search p99', percentile(rawTimes, 0.99), 'ms');
    // How real-looking the corpus is, to judge the figures above by: its vocabulary and how much a question matches.
    await raw.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row')");
    const terms = Number((await raw.execute('SELECT count(*) AS n FROM vocab')).rows[0]!.n);
    const singles = Number((await raw.execute('SELECT count(*) AS n FROM vocab WHERE doc = 1')).rows[0]!.n);
    report.figure(
      'corpus distinct terms (stemmed)',
      terms,
      'terms',
      `${corpus.vocabulary.toLocaleString('en-US')} generated words, ${singles.toLocaleString('en-US')} terms in one passage only, ${(corpus.words / 1e6).toFixed(1)} M words`,
    );
    const matched: number[] = [];
    for (const { q } of QUESTIONS)
      matched.push(Number((await raw.execute({ sql: 'SELECT count(*) AS n FROM fts WHERE fts MATCH ?', args: [rawMatch(q)] })).rows[0]!.n));
    report.figure(
      'passages matched per question, mean',
      matched.reduce((sum, n) => sum + n, 0) / matched.length,
      'passages',
      `median ${percentile(matched, 0.5)}, max ${Math.max(...matched)} of ${rows.length.toLocaleString('en-US')} (content words, OR)`,
    );
    raw.close();
    source.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The same index with the test embedder: every passage embedded, then searches that fuse vector and BM25 ranks. */
async function vectorSearch(
  report: BenchReport,
  database: string,
  docs: string,
  times: number[],
  searchTimes: (search: (q: string) => Promise<unknown>) => Promise<number[]>,
) {
  const plain = testEmbedder({ dimensions: BENCH_DIMENSIONS });
  let embedderMs = 0;
  const embedder: Embedder = {
    ...plain,
    async embed(texts, options) {
      const t0 = performance.now();
      const out = await plain.embed(texts, options);
      embedderMs += performance.now() - t0;
      return out;
    },
  };
  const vectors = await createTeamState({ database, knowledge: { sources: [localKnowledge({ paths: [docs] })], embedder } });
  const started = performance.now();
  const embedded = (await vectors.knowledge.sync()).sources[0]!.embedded ?? 0;
  const embedMs = performance.now() - started;
  report.figure(
    'embed + vector index rate',
    embedded / (embedMs / 1000),
    'chunks/s',
    `${embedded.toLocaleString('en-US')} passages, ${BENCH_DIMENSIONS} dimensions, ${(embedMs / 1000).toFixed(1)} s`,
  );
  report.figure('  of which in the test embedder', embedderMs, 'ms', 'the rest: reading passages, writing vectors, the vector index');
  const vectorTimes = await searchTimes((q) => vectors.knowledge.search(q));
  await vectors.close();
  report.figure('search with embedder p50', percentile(vectorTimes, 0.5), 'ms', `BM25 alone ${percentile(times, 0.5).toFixed(1)} ms`);
  report.figure('search with embedder p99', percentile(vectorTimes, 0.99), 'ms', 'target < 50 ms');
  report.figure('database size with vectors', statSync(database).size / 1_048_576, 'MB');
}

export async function run(report: BenchReport): Promise<void> {
  await retrieval(report);
  if (DOCUMENTS > 0) await scale(report);
}
