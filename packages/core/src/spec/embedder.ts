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
  /**
   * US dollars per 1,000 tokens (optional): set, every call is a paid call, metered on the spend ledger from the
   * tokens it reports through `onUsage` and stopped at the policy's `limits.max_monthly_cost_usd`.
   */
  readonly costPer1kTokensUsd?: number;
  /**
   * One vector per text, in the same order. An embedder that knows what the call used reports it through
   * `onUsage` (an OpenAI-compatible API's `usage.total_tokens`).
   */
  embed(
    texts: readonly string[],
    options: { signal?: AbortSignal; onUsage?: (usage: { totalTokens: number }) => void },
  ): Promise<number[][]>;
}
