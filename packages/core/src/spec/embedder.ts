/**
 * Turns text into vectors for knowledge search (optional). Plain object; teamstate ships no model: plug in
 * an embedding API or a local model server. Vectors must have exactly `dimensions` numbers each, one per
 * input text, in order.
 *
 * @example
 * const embedder: Embedder = {
 *   specificationVersion: 'v1', id: 'my-embeddings', dimensions: 384,
 *   async embed(texts, { signal }) {
 *     const res = await fetch('http://127.0.0.1:8080/embed', { method: 'POST', body: JSON.stringify({ texts }), signal })
 *     return (await res.json()).vectors
 *   },
 * }
 */
export interface Embedder {
  readonly specificationVersion: 'v1';
  /** Stored with every vector, so a different embedder re-embeds instead of mixing vector spaces. */
  readonly id: string;
  /** Length of every vector, a positive integer. */
  readonly dimensions: number;
  /** One vector per text, in the same order. */
  embed(texts: readonly string[], options: { signal?: AbortSignal }): Promise<number[][]>;
}
