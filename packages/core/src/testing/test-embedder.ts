import type { Embedder } from '../spec/embedder.js';

/** Options of {@link testEmbedder}. */
export interface TestEmbedderOptions {
  /** Length of every vector (default 256). */
  dimensions?: number;
  /** The embedder's id (default `test-embedder`); a different id makes the index re-embed everything. */
  id?: string;
}

/** FNV-1a, 32 bits: a stable hash, so the same text always gives the same vector. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A deterministic {@link Embedder} for tests and benchmarks, with no model: every word and every character trigram of
 * its padded form (`#deploy#` → `#de`, `dep`, …) is hashed into one of `dimensions` buckets with a sign, and the vector
 * is normalised to length 1. Texts that share words or parts of words (`postgres` and `postgresql`, `kubectl` and
 * `kubernetes`) get close vectors even when no word is the same, which is what a test of the vector path needs; it
 * knows nothing of meaning (synonyms are as far apart as any two words).
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', knowledge: { sources, embedder: testEmbedder({ dimensions: 64 }) } })
 */
export function testEmbedder(options: TestEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 256;
  const vector = (text: string): number[] => {
    const values = new Array<number>(dimensions).fill(0);
    const add = (feature: string, weight: number) => {
      const hash = fnv1a(feature);
      values[hash % dimensions]! += hash & 0x8000_0000 ? -weight : weight;
    };
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      add(`w:${word}`, 1);
      const padded = `#${word}#`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.5);
    }
    const length = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
    return length === 0 ? values : values.map((value) => value / length);
  };
  return {
    specificationVersion: 'v1',
    id: options.id ?? 'test-embedder',
    dimensions,
    async embed(texts, { signal } = {}) {
      signal?.throwIfAborted();
      return texts.map(vector);
    },
  };
}
