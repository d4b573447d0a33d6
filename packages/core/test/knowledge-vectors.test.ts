import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEmbedder } from '@teamstate/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type Embedder, type KnowledgeSource, localKnowledge, type TeamState } from '../src/index.js';
import { type SqldServer, startSqld } from './helpers/sqld.js';

// The optional Embedder path of knowledge search (docs/knowledge.md#adding-an-embedder, issue 19): vectors in libSQL (F32_BLOB with a
// vector index), embedded incrementally at sync, and fused with BM25 by reciprocal rank at search; on a real database
// file, and on a real libSQL server (sqld).
let folder: string;
let docs: string;
let ts: TeamState;
const now = Date.parse('2026-03-18T09:00:00Z');

function write(path: string, content: string) {
  const file = join(docs, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

/** Wraps an embedder to record every text it is asked for. */
function recording(embedder: Embedder): Embedder & { texts: string[]; calls: number } {
  const recorder = {
    ...embedder,
    texts: [] as string[],
    calls: 0,
    async embed(texts: readonly string[], options: { signal?: AbortSignal }) {
      recorder.calls++;
      recorder.texts.push(...texts);
      return embedder.embed(texts, options);
    },
  };
  return recorder;
}

const local = () => localKnowledge({ paths: ['docs'], baseDir: folder });

async function open(embedder: Embedder | undefined, sources: KnowledgeSource[] = [local()], database = join(folder, 'teamstate.db')) {
  ts = await createTeamState({
    database,
    clock: () => new Date(now),
    knowledge: { sources, ...(embedder ? { embedder } : {}) },
  });
  return ts;
}

const count = async (sql: string) => Number((await ts.store.execute(sql)).rows[0]!.n);
const unembedded = () =>
  count('SELECT count(*) AS n FROM knowledge_chunks c WHERE NOT EXISTS (SELECT 1 FROM knowledge_vectors v WHERE v.chunk_id = c.chunk_id)');

const DATABASE = `# Database

## Connection pooling

Our PostgreSQL primary only takes 200 connections, so every service connects through PgBouncer in transaction mode.

## Backups

Nightly snapshots are kept for 30 days.
`;

const ONCALL = `# On-call handbook

## Paging

PagerDuty pages the primary first. Escalate after 15 minutes to the secondary.

## Retry settings

The worker retries failed jobs with \`retry_backoff\` (seconds) and gives up after \`maxRetries\` attempts.
`;

const DEPLOY = `# Deploys

## Rolling back a bad deploy

Run \`make rollback ENV=production\` and watch the error rate in Grafana.
`;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-vectors-'));
  docs = join(folder, 'docs');
  write('database.md', DATABASE);
  write('oncall.md', ONCALL);
  write('runbooks/deploy.md', DEPLOY);
});
afterEach(async () => {
  await ts?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('knowledge sync with an embedder', () => {
  it('writes a vector for every passage, embeds nothing when nothing changed, and only a changed document again', async () => {
    const embedder = recording(testEmbedder({ dimensions: 64 }));
    await open(embedder);
    const first = await ts.knowledge.sync();
    const passages = await count('SELECT count(*) AS n FROM knowledge_chunks');
    expect(first.sources[0]).toMatchObject({ status: 'succeeded', added: 3, chunks: passages, embedded: passages });
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(passages);
    expect(await unembedded()).toBe(0);
    // Each passage is embedded with its document title and headings.
    expect(embedder.texts).toContain(
      'On-call handbook › Paging\n\nPagerDuty pages the primary first. Escalate after 15 minutes to the secondary.',
    );
    const vector = (await ts.store.execute('SELECT vector_extract(embedding) AS v FROM knowledge_vectors LIMIT 1')).rows[0]!.v;
    expect(JSON.parse(String(vector))).toHaveLength(64);

    embedder.texts.length = 0;
    embedder.calls = 0;
    const again = await ts.knowledge.sync();
    expect(again.sources[0]).toMatchObject({ unchanged: 3, chunks: 0, embedded: 0 });
    expect(embedder.calls).toBe(0);

    write('oncall.md', ONCALL.replace('15 minutes', '30 minutes'));
    const changed = await ts.knowledge.sync();
    const oncallPassages = await count("SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = 'local:docs/oncall.md'");
    expect(changed.sources[0]).toMatchObject({ updated: 1, unchanged: 2, embedded: oncallPassages });
    expect(embedder.texts).toHaveLength(oncallPassages);
    expect(embedder.texts.every((text) => text.startsWith('On-call handbook'))).toBe(true);
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(passages);
    expect(await unembedded()).toBe(0);
  });

  it("removes a deleted document's vectors with its passages", async () => {
    await open(testEmbedder({ dimensions: 32 }));
    await ts.knowledge.sync();
    const before = await count('SELECT count(*) AS n FROM knowledge_vectors');
    const deploy = await count("SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = 'local:docs/runbooks/deploy.md'");
    rmSync(join(docs, 'runbooks/deploy.md'));
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ removed: 1, embedded: 0 });
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(before - deploy);
    expect(
      await count(
        'SELECT count(*) AS n FROM knowledge_vectors v WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.chunk_id = v.chunk_id)',
      ),
    ).toBe(0);
  });

  it('embeds every passage again when the embedder changes (another id or other dimensions)', async () => {
    await open(testEmbedder({ dimensions: 32 }));
    await ts.knowledge.sync();
    const passages = await count('SELECT count(*) AS n FROM knowledge_chunks');
    await ts.close();
    const wider = recording(testEmbedder({ dimensions: 48 }));
    await open(wider);
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ unchanged: 3, embedded: passages });
    expect(
      JSON.parse(String((await ts.store.execute('SELECT vector_extract(embedding) AS v FROM knowledge_vectors LIMIT 1')).rows[0]!.v)),
    ).toHaveLength(48);
    await ts.close();
    await open(testEmbedder({ dimensions: 48, id: 'another-model' }));
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ embedded: passages });
    expect((await ts.store.execute('SELECT embedder, dimensions FROM knowledge_vector_space')).rows.map((r) => ({ ...r }))).toEqual([
      { embedder: 'another-model', dimensions: 48 },
    ]);
  });

  it('fails the sync naming the embedder when a vector has the wrong length, and keeps full-text search', async () => {
    const liar: Embedder = { specificationVersion: 'v1', id: 'liar', dimensions: 8, embed: async (texts) => texts.map(() => [1, 0, 0, 0]) };
    await open(liar);
    const result = await ts.knowledge.sync();
    expect(result.ok).toBe(false);
    expect(result.sources[0]).toMatchObject({ status: 'failed', added: 3 });
    expect(result.sources[0]!.error).toEqual({
      code: 'embedder_failed',
      message: 'embedder "liar": vector 0 has 4 numbers, expected 8 (its dimensions); set dimensions to what the model returns',
    });
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(0);
    // Passages were written before embedding: full-text search answers (the query cannot be embedded either).
    expect((await ts.knowledge.search('escalate'))[0]!.document.uri).toBe('docs/oncall.md');
  });

  it('fails cleanly when the embedder throws, and the next sync embeds only what is missing', async () => {
    let failures = 1;
    const flaky = recording(testEmbedder({ dimensions: 32, id: 'flaky' }));
    const inner = flaky.embed;
    flaky.embed = async (texts, options) => {
      if (failures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
      return inner(texts, options);
    };
    await open(flaky);
    const failed = await ts.knowledge.sync();
    expect(failed.sources[0]!.error).toEqual({
      code: 'embedder_failed',
      message: 'embedder "flaky": connect ECONNREFUSED 127.0.0.1:11434',
    });
    const passages = await count('SELECT count(*) AS n FROM knowledge_chunks');
    expect((await ts.knowledge.search('escalate'))[0]!.document.uri).toBe('docs/oncall.md');
    const retried = await ts.knowledge.sync();
    expect(retried.sources[0]).toMatchObject({ status: 'succeeded', unchanged: 3, chunks: 0, embedded: passages });
    expect(await unembedded()).toBe(0);
  });

  it('passes the sync signal to embed() and stops when it is aborted', async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    const embedder: Embedder = {
      ...testEmbedder({ dimensions: 16 }),
      async embed(_texts, { signal }) {
        received = signal;
        controller.abort();
        signal?.throwIfAborted();
        return [];
      },
    };
    await open(embedder);
    const result = await ts.knowledge.sync({ signal: controller.signal });
    expect(received).toBe(controller.signal);
    expect(result.sources[0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/abort/i) } });
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(0);
  });
});

describe('knowledge search with an embedder', () => {
  it('finds a passage that shares no word with the query, only with the embedder', async () => {
    await open(undefined);
    await ts.knowledge.sync();
    // Neither word is in the index (PgBouncer and connections are), so BM25 finds nothing.
    expect(await ts.knowledge.search('pgbounce connexions')).toEqual([]);
    await ts.close();

    await open(testEmbedder({ dimensions: 256 }));
    await ts.knowledge.sync();
    const [best] = await ts.knowledge.search('pgbounce connexions');
    expect(best).toMatchObject({ headingPath: ['Database', 'Connection pooling'], document: { uri: 'docs/database.md' } });
  });

  it('fuses BM25 and vector ranks by reciprocal rank (k = 60): a known answer', async () => {
    // One passage per document; the vectors are fixed so the vector ranking is known: C, B, A.
    write('a.md', '# Alpha\n\nalpha alpha notes\n');
    write('b.md', '# Beta\n\nalpha once\n');
    write('c.md', '# Gamma\n\nnothing here\n');
    rmSync(join(docs, 'database.md'));
    rmSync(join(docs, 'oncall.md'));
    rmSync(join(docs, 'runbooks'), { recursive: true });
    const fixed: Embedder = {
      specificationVersion: 'v1',
      id: 'fixed',
      dimensions: 2,
      async embed(texts) {
        return texts.map((text) =>
          text.startsWith('Gamma') ? [1, 0] : text.startsWith('Beta') ? [0.8, 0.6] : text.startsWith('Alpha') ? [0, 1] : [1, 0],
        );
      },
    };
    await open(undefined);
    await ts.knowledge.sync();
    // BM25 alone: Alpha (the word twice, and in its title), then Beta; Gamma does not match.
    expect((await ts.knowledge.search('alpha')).map((p) => p.document.title)).toEqual(['Alpha', 'Beta']);
    await ts.close();

    await open(fixed);
    await ts.knowledge.sync();
    const fused = await ts.knowledge.search('alpha');
    // Alpha: 1/(60+1) + 1/(60+3); Beta: 1/(60+2) + 1/(60+2); Gamma: 1/(60+1).
    expect(fused.map((p) => [p.document.title, p.score])).toEqual([
      ['Alpha', Number((1 / 61 + 1 / 63).toFixed(6))],
      ['Beta', Number((2 / 62).toFixed(6))],
      ['Gamma', Number((1 / 61).toFixed(6))],
    ]);
  });

  it('keeps visibility, at most two passages per document, and the limit', async () => {
    write(
      'secret.md',
      '# Database secrets\n\n## Postgres password rotation\n\nRotate the postgres password monthly.\n\n## Postgres users\n\nOne postgres user per service.\n\n## Postgres roles\n\nRoles per team.\n',
    );
    const open_ = localKnowledge({ paths: ['docs/database.md', 'docs/oncall.md'], baseDir: folder, id: 'open' });
    const restricted = localKnowledge({ paths: ['docs/secret.md'], baseDir: folder, id: 'restricted', visibility: ['platform'] });
    await open(testEmbedder({ dimensions: 128 }), [open_, restricted]);
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'platform', name: 'Platform' }] });
    await ts.knowledge.sync();
    const outsider = await ts.knowledge.search('postgres', { teams: [] });
    expect(outsider.length).toBeGreaterThan(0);
    expect(outsider.some((p) => p.document.uri === 'docs/secret.md')).toBe(false);
    const insider = await ts.knowledge.search('postgres', { team: 'platform', limit: 10 });
    expect(insider.filter((p) => p.document.uri === 'docs/secret.md')).toHaveLength(2);
    expect(await ts.knowledge.search('postgres', { limit: 1 })).toHaveLength(1);
  });

  it("ranks by BM25 alone while the stored vectors are another embedder's (until the next sync)", async () => {
    await open(testEmbedder({ dimensions: 32 }));
    await ts.knowledge.sync();
    await ts.close();
    const other = recording(testEmbedder({ dimensions: 64 }));
    await open(other);
    expect((await ts.knowledge.search('pgbounce connexions')).length).toBe(0);
    expect(other.calls).toBe(0);
  });
});

describe('knowledge vectors on a libSQL server (sqld)', () => {
  let sqld: SqldServer;
  beforeAll(async () => {
    sqld = await startSqld();
  });
  afterAll(async () => sqld?.stop());

  it('creates the vector index, embeds incrementally and searches by vector on the server', async () => {
    const embedder = recording(testEmbedder({ dimensions: 64 }));
    await open(embedder, [local()], sqld.url);
    const first = await ts.knowledge.sync();
    const passages = await count('SELECT count(*) AS n FROM knowledge_chunks');
    expect(first.sources[0]).toMatchObject({ status: 'succeeded', embedded: passages });
    expect(await unembedded()).toBe(0);
    embedder.calls = 0;
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ embedded: 0 });
    expect(embedder.calls).toBe(0);
    const [best] = await ts.knowledge.search('pgbounce connexions');
    expect(best).toMatchObject({ headingPath: ['Database', 'Connection pooling'] });
    rmSync(join(docs, 'database.md'));
    await ts.knowledge.sync();
    expect(await count('SELECT count(*) AS n FROM knowledge_vectors')).toBe(await count('SELECT count(*) AS n FROM knowledge_chunks'));
  });
});
