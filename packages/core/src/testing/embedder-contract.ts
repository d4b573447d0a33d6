import { describe, expect, it } from 'vitest';
import type { Embedder } from '../spec/embedder.js';
import { validateEmbedder } from '../spec/validate-specs.js';

/** Options of {@link embedderContract}. */
export interface EmbedderContractOptions {
  /** A name for the suite. */
  name: string;
  /** Builds the embedder (its server, if any, is the test's to serve). */
  create: () => Embedder | Promise<Embedder>;
}

const TEXTS = [
  'Roll back a bad deploy with argocd app rollback.',
  'retry_backoff and maxRetries tune the worker.',
  '',
  'Ünïcödé, emoji 🚀 and a very long line '.repeat(50),
];

/**
 * The conformance suite every embedder runs (the test embedder, `httpEmbedder`, yours): a valid v1 spec; one vector per
 * text, in order, each with exactly `dimensions` finite numbers; the same text gives the same vector wherever it
 * stands in a batch; an empty batch is fine; an aborted signal stops the call.
 *
 * @example
 * embedderContract({ name: 'my-embeddings', create: () => myEmbeddings({ url: fake.url }) })
 */
export function embedderContract(options: EmbedderContractOptions): void {
  describe(`embedder contract: ${options.name}`, () => {
    it('is a valid v1 embedder', async () => {
      const embedder = await options.create();
      expect(() => validateEmbedder(embedder)).not.toThrow();
    });

    it('gives one vector per text, in order, each of `dimensions` finite numbers', async () => {
      const embedder = await options.create();
      const vectors = await embedder.embed(TEXTS, {});
      expect(vectors).toHaveLength(TEXTS.length);
      for (const vector of vectors) {
        expect(vector).toHaveLength(embedder.dimensions);
        expect(vector.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
      }
    });

    it('gives a text the same vector wherever it stands in a batch', async () => {
      const embedder = await options.create();
      const [first] = await embedder.embed([TEXTS[0]!], {});
      const reversed = await embedder.embed([...TEXTS].reverse(), {});
      expect(reversed.at(-1)).toEqual(first);
    });

    it('answers an empty batch with no vectors', async () => {
      const embedder = await options.create();
      expect(await embedder.embed([], {})).toEqual([]);
    });

    it('stops when its signal is aborted', async () => {
      const embedder = await options.create();
      const controller = new AbortController();
      controller.abort(new Error('stopped by the test'));
      await expect(embedder.embed(TEXTS, { signal: controller.signal })).rejects.toThrow();
    });
  });
}
