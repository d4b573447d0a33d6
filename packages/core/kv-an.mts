import { readFileSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { createTeamState } from '@teamstate/core';
import { knowledgeMatch, queryTerms } from './src/knowledge/knowledge-query.ts';
const QUESTIONS = JSON.parse(readFileSync('bench/knowledge-questions.json', 'utf8')).questions as { q: string }[];
const c = createClient({ url: 'file:/tmp/kv50/k.db' });
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))]!.toFixed(1);
const mode = process.argv[2] ?? 'all';
const rows: [number, number, number, string][] = [];
const tsearch: number[] = [];
const ts = await createTeamState({ database: '/tmp/kv50/k.db' });
for (let round = 0; round < 2; round++)
for (const { q } of QUESTIONS) {
  const terms = queryTerms(q);
  const match = knowledgeMatch(terms)!;
  let t = performance.now();
  const n = Number((await c.execute({ sql: 'SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH ?', args: [match] })).rows[0]!.n);
  const tc = performance.now() - t;
  t = performance.now();
  await c.execute({ sql: 'SELECT rowid, bm25(knowledge_fts, 0.5, 2, 1, 0.6) AS r FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY r LIMIT 60', args: [match] });
  const tb = performance.now() - t;
  t = performance.now();
  await ts.knowledge.search(q);
  tsearch.push(performance.now() - t);
  if (round === 1) rows.push([tb, tc, n, `${terms.length} ${q}`]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows.slice(0, 12)) console.log(r[0].toFixed(1), r[1].toFixed(1), r[2], r[3]);
console.log('bm25 p50', pct(rows.map((r) => r[0]), 0.5), 'p99', pct(rows.map((r) => r[0]), 0.99), 'search p50', pct(tsearch, 0.5), 'p99', pct(tsearch, 0.99));
await ts.close();
