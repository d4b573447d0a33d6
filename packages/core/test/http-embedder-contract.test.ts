import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { httpEmbedder } from '../src/features/knowledge/http-embedder.js';
import { embedderContract } from '../src/testing/embedder-contract.js';
import { testEmbedder } from '../src/testing/test-embedder.js';

// httpEmbedder runs the embedder conformance suite against an OpenAI-compatible /v1/embeddings endpoint mocked with
// msw: the recorded response's shape, with each input's vector computed from its text (in reverse order, as a server
// may answer, with `index` saying which is which).
const RECORDED = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'openai-embeddings-response.json'), 'utf8'));
const DIMENSIONS = 16;
const model = testEmbedder({ dimensions: DIMENSIONS });
const server = setupServer(
  http.post('http://127.0.0.1:11434/v1/embeddings', async ({ request }) => {
    const { input } = (await request.json()) as { input: string[] };
    const vectors = await model.embed(input, {});
    const data = vectors.map((embedding, index) => ({ object: 'embedding', embedding, index })).reverse();
    return HttpResponse.json({ ...RECORDED, data, usage: { prompt_tokens: input.length, total_tokens: input.length } });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

embedderContract({
  name: 'httpEmbedder',
  create: () => httpEmbedder({ url: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text', dimensions: DIMENSIONS }),
});
