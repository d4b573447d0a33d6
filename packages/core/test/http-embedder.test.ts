import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpEmbedder } from '../src/features/knowledge/http-embedder.js';
import { localKnowledge } from '../src/features/knowledge/local-source.js';
import { TeamStateError, UpstreamError } from '../src/kernel/errors.js';
import { createTeamState } from '../src/team-state.js';
import { testEmbedder } from '../src/testing/test-embedder.js';

// httpEmbedder against an OpenAI-compatible /v1/embeddings endpoint (OpenAI, Ollama, llama.cpp, vLLM), mocked at the
// network boundary with msw and recorded payload shapes.
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));
const EMBEDDINGS = fixture('openai-embeddings-response.json') as { data: { embedding: number[]; index: number }[] };
const UNAUTHORIZED = fixture('openai-embeddings-401.json');
const OLLAMA = 'http://127.0.0.1:11434/v1';
const API_KEY = 'sk-test-9f8e7d6c5b4a39281706';

interface Received {
  url: string;
  authorization: string | null;
  body: { model: string; input: string[]; encoding_format: string };
}
const received: Received[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  received.length = 0;
});
afterAll(() => server.close());

function serve(answer: (body: Received['body'], attempt: number) => Response | Promise<Response>, url = `${OLLAMA}/embeddings`) {
  server.use(
    http.post(url, async ({ request }) => {
      const body = (await request.json()) as Received['body'];
      received.push({ url: request.url, authorization: request.headers.get('authorization'), body });
      return answer(body, received.length);
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TeamStateError.isInstance(error)).toBe(true);
  return error as TeamStateError;
}

describe('httpEmbedder', () => {
  it('posts { model, input } to <url>/embeddings and returns the vectors in input order', async () => {
    // Answered out of order: the index of each item decides.
    serve(() => HttpResponse.json({ ...EMBEDDINGS, data: [...EMBEDDINGS.data].reverse() }));
    const embedder = httpEmbedder({ url: OLLAMA, model: 'all-minilm', dimensions: 384 });
    expect(embedder).toMatchObject({ specificationVersion: 'v1', id: 'all-minilm', dimensions: 384 });
    const vectors = await embedder.embed(['how do I roll back?', 'PgBouncer pools'], {});
    expect(vectors).toEqual([EMBEDDINGS.data[0]!.embedding, EMBEDDINGS.data[1]!.embedding]);
    expect(received).toEqual([
      {
        url: `${OLLAMA}/embeddings`,
        authorization: null,
        body: { model: 'all-minilm', input: ['how do I roll back?', 'PgBouncer pools'], encoding_format: 'float' },
      },
    ]);
  });

  it('takes the full endpoint as url too, and sends the API key as a bearer token', async () => {
    serve(() => HttpResponse.json(EMBEDDINGS), 'https://api.openai.com/v1/embeddings');
    const embedder = httpEmbedder({
      url: 'https://api.openai.com/v1/embeddings',
      model: 'text-embedding-3-small',
      apiKey: API_KEY,
      dimensions: 384,
      id: 'openai-small',
    });
    await embedder.embed(['a', 'b'], {});
    expect(received[0]).toMatchObject({ url: 'https://api.openai.com/v1/embeddings', authorization: `Bearer ${API_KEY}` });
    expect(embedder.id).toBe('openai-small');
  });

  it('names the embedder and never shows the API key when the server refuses', async () => {
    serve(() => HttpResponse.json(UNAUTHORIZED, { status: 401 }));
    const embedder = httpEmbedder({ url: OLLAMA, model: 'all-minilm', apiKey: API_KEY, dimensions: 384 });
    const error = await failure(embedder.embed(['a'], {}));
    expect(UpstreamError.isInstance(error) && error.statusCode).toBe(401);
    expect(error.message).toBe(`embedder "all-minilm": POST ${OLLAMA}/embeddings answered 401: ${UNAUTHORIZED.error.message}`);
    // A proxy echoing the whole key back: masked.
    serve(() => HttpResponse.json({ error: `bad key ${API_KEY}` }, { status: 400 }));
    const echoed = await failure(embedder.embed(['a'], {}));
    expect(echoed.message).toBe(`embedder "all-minilm": POST ${OLLAMA}/embeddings answered 400: bad key ***`);
    expect(JSON.stringify({ ...echoed, message: echoed.message, stack: echoed.stack })).not.toContain(API_KEY);
  });

  it('tries a 429 again after Retry-After, and gives up after its retries', async () => {
    serve((_body, attempt) =>
      attempt === 1
        ? HttpResponse.json({ error: { message: 'Rate limit reached' } }, { status: 429, headers: { 'retry-after': '0' } })
        : HttpResponse.json(EMBEDDINGS),
    );
    const embedder = httpEmbedder({ url: OLLAMA, model: 'all-minilm', dimensions: 384 });
    expect(await embedder.embed(['a', 'b'], {})).toHaveLength(2);
    expect(received).toHaveLength(2);

    received.length = 0;
    serve(() => HttpResponse.json({ error: { message: 'overloaded' } }, { status: 503, headers: { 'retry-after': '0' } }));
    const error = await failure(httpEmbedder({ url: OLLAMA, model: 'all-minilm', dimensions: 384, retries: 1 }).embed(['a'], {}));
    expect(error.message).toBe(`embedder "all-minilm": POST ${OLLAMA}/embeddings answered 503: overloaded`);
    expect(received).toHaveLength(2);
  });

  it('refuses an answer that is not an embeddings list, naming the embedder', async () => {
    serve(() => HttpResponse.json({ embeddings: [[1, 2]] }));
    const error = await failure(httpEmbedder({ url: OLLAMA, model: 'all-minilm', dimensions: 384 }).embed(['a'], {}));
    expect(error.message).toBe(
      `embedder "all-minilm": POST ${OLLAMA}/embeddings answered without a "data" list of embeddings (is this an OpenAI-compatible /embeddings endpoint?)`,
    );
  });

  it('stops when the signal is aborted', async () => {
    serve(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      return HttpResponse.json(EMBEDDINGS);
    });
    const controller = new AbortController();
    const pending = httpEmbedder({ url: OLLAMA, model: 'all-minilm', dimensions: 384 }).embed(['a'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('checks its options, naming the field', () => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    };
    expect(message(() => httpEmbedder({ url: 'localhost:11434', model: 'm', dimensions: 8 }))).toBe(
      'knowledge.embedder.url: expected an http:// or https:// URL, got localhost://…',
    );
    expect(message(() => httpEmbedder({ url: 'not a url', model: 'm', dimensions: 8 }))).toMatch(
      /^knowledge\.embedder\.url: expected the API's URL/,
    );
    expect(message(() => httpEmbedder({ url: OLLAMA, model: '', dimensions: 8 }))).toMatch(/^knowledge\.embedder\.model: required/);
    expect(message(() => httpEmbedder({ url: OLLAMA, model: 'm', dimensions: 0 }))).toMatch(/^knowledge\.embedder\.dimensions: expected/);
  });

  it('indexes and searches through createTeamState, and a wrong dimensions setting fails the sync naming the embedder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-http-embedder-'));
    try {
      mkdirSync(join(folder, 'docs'));
      writeFileSync(join(folder, 'docs', 'db.md'), '# Database\n\n## Pooling\n\nEvery service connects through PgBouncer.\n');
      const model = testEmbedder({ dimensions: 384 });
      serve(async (body) =>
        HttpResponse.json({
          object: 'list',
          data: (await model.embed(body.input, {})).map((embedding, index) => ({ object: 'embedding', embedding, index })),
          model: body.model,
          usage: { prompt_tokens: body.input.length * 8, total_tokens: body.input.length * 8 },
        }),
      );
      const sources = [localKnowledge({ paths: ['docs'], baseDir: folder })];
      const ts = await createTeamState({
        database: join(folder, 'k.db'),
        knowledge: { sources, embedder: httpEmbedder({ url: OLLAMA, model: 'all-minilm', apiKey: API_KEY, dimensions: 384 }) },
      });
      expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ status: 'succeeded', embedded: 1 });
      expect((await ts.knowledge.search('pgbounce'))[0]?.headingPath).toEqual(['Database', 'Pooling']);
      await ts.close();

      const wrong = await createTeamState({
        database: join(folder, 'k2.db'),
        knowledge: { sources, embedder: httpEmbedder({ url: OLLAMA, model: 'all-minilm', apiKey: API_KEY, dimensions: 768 }) },
      });
      const result = await wrong.knowledge.sync();
      expect(result.sources[0]!.error).toEqual({
        code: 'embedder_failed',
        message: 'embedder "all-minilm": vector 0 has 384 numbers, expected 768 (its dimensions); set dimensions to what the model returns',
      });
      await wrong.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
