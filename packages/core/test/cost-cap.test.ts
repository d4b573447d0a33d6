import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, httpEmbedder, localKnowledge, type TeamState } from '../src/index.js';

// limits.max_monthly_cost_usd with a priced embedder (an OpenAI-compatible API mocked with msw): every embedding call
// is metered from the API's usage.total_tokens, the 80 % signal opens, and at the cap calls stop while search answers
// by BM25 and says so.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'openai-embeddings-response.json'), 'utf8')) as {
  data: { embedding: number[] }[];
  model: string;
};
const API = 'https://embeddings.example.test/v1';
const NOW = new Date('2026-03-20T10:00:00Z');
// Each call reports 400 tokens; at $1 per 1,000 tokens a call costs $0.40 against a $1 cap.
const TOKENS_PER_CALL = 400;

const calls: string[][] = [];
const server = setupServer(
  http.post(`${API}/embeddings`, async ({ request }) => {
    const { input } = (await request.json()) as { input: string[] };
    calls.push(input);
    return HttpResponse.json({
      object: 'list',
      model: fixture.model,
      data: input.map((_, index) => ({ object: 'embedding', index, embedding: fixture.data[index % fixture.data.length]!.embedding })),
      usage: { prompt_tokens: TOKENS_PER_CALL, total_tokens: TOKENS_PER_CALL },
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

let dir: string;
let ts: TeamState;
afterEach(async () => {
  await ts?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  calls.length = 0;
});

async function setup(capUsd: number) {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-cost-'));
  writeFileSync(
    join(dir, 'rollback.md'),
    '# Rolling back a deploy\n\nRun the rollback job from the deploys page, then check the canary.\n',
  );
  let now = NOW;
  ts = await createTeamState({
    database: ':memory:',
    policy: { limits: { max_monthly_cost_usd: capUsd } },
    knowledge: {
      sources: [localKnowledge({ paths: [dir] })],
      embedder: httpEmbedder({ url: API, model: 'text-embedding-3-small', dimensions: 384, apiKey: 'sk-test', costPer1kTokensUsd: 1 }),
    },
    clock: () => now,
  });
  return { at: (date: string) => (now = new Date(date)) };
}

describe('limits.max_monthly_cost_usd', () => {
  it('meters the embedder, raises limits.cost_near at 80 %, stops paid calls at the cap and searches by BM25 saying so', async () => {
    await setup(1);
    const [synced] = (await ts.knowledge.sync()).sources;
    expect(synced).toMatchObject({ status: 'succeeded', embedded: 1 });
    expect(await ts.spend.month()).toEqual({ month: '2026-03', usd: 0.4, capUsd: 1 });

    // A search query's own embedding is a paid call too.
    const first = await ts.knowledge.search('how do I roll back a deploy?');
    expect(first[0]?.document.title).toBe('Rolling back a deploy');
    expect(first.note).toBeUndefined();
    expect(await ts.spend.month()).toMatchObject({ usd: 0.8 });
    await ts.signals.refresh();
    const [near] = await ts.signals.list({ kind: 'limits.cost_near' });
    expect(near).toMatchObject({
      kind: 'limits.cost_near',
      severity: 'warning',
      subject: { type: 'workspace', id: 'default' },
      evidence: { month: '2026-03', usd: 0.8, capUsd: 1 },
    });

    // Below the cap a call still goes out (and may cross it); from then on none does.
    await ts.knowledge.search('canary');
    expect(await ts.spend.month()).toMatchObject({ usd: 1.2 });
    const made = calls.length;
    const capped = await ts.knowledge.search('how do I roll back a deploy?');
    expect(calls).toHaveLength(made);
    expect(capped[0]?.document.title).toBe('Rolling back a deploy');
    expect(capped.note).toMatch(/^ranked by BM25 alone: .*cost_cap_reached/);

    writeFileSync(join(dir, 'oncall.md'), '# On-call\n\nPage the secondary after 15 minutes.\n');
    const [stopped] = (await ts.knowledge.sync()).sources;
    expect(stopped).toMatchObject({ status: 'failed', error: { code: 'cost_cap_reached' } });
    expect(stopped?.error?.message).toContain('limits.max_monthly_cost_usd ($1)');
    expect(calls).toHaveLength(made);
    await ts.signals.refresh();
    expect(await ts.signals.list({ kind: 'limits.cost_near' })).toMatchObject([{ severity: 'critical' }]);
  });

  it('counts months by the injected clock in UTC: a new month starts from zero', async () => {
    const { at } = await setup(1);
    await ts.knowledge.sync();
    await ts.knowledge.search('rollback');
    await ts.knowledge.search('canary');
    expect(await ts.spend.month()).toMatchObject({ month: '2026-03', usd: 1.2 });
    at('2026-04-01T00:00:00Z');
    expect(await ts.spend.month()).toEqual({ month: '2026-04', usd: 0, capUsd: 1 });
    expect((await ts.knowledge.search('rollback')).note).toBeUndefined();
    expect(await ts.spend.month()).toMatchObject({ usd: 0.4 });
  });
});
