import { TeamStateError } from '../../kernel/errors.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { Embedder } from '../../spec/embedder.js';

/**
 * Calls an embedder and checks its answer: one vector per text, each of exactly `dimensions` finite numbers. Any
 * failure (its own error, a wrong count, a wrong length) is one `embedder_failed` error naming the embedder; an
 * abort stays an abort.
 */
export async function embedTexts(embedder: Embedder, texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
  const where = `embedder "${embedder.id}"`;
  let vectors: unknown;
  try {
    vectors = await embedder.embed(texts, signal === undefined ? {} : { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (TeamStateError.isInstance(error) && error.message.startsWith(where)) throw error;
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    throw new TeamStateError('embedder_failed', `${where}: ${message}`, { cause: error });
  }
  if (!Array.isArray(vectors) || vectors.length !== texts.length)
    throw new TeamStateError(
      'embedder_failed',
      `${where}: returned ${Array.isArray(vectors) ? `${vectors.length} vectors` : 'no list of vectors'} for ${texts.length} texts (expected one vector per text, in order)`,
    );
  vectors.forEach((vector, i) => {
    if (!Array.isArray(vector) && !(vector instanceof Float32Array))
      throw new TeamStateError('embedder_failed', `${where}: vector ${i} is not a list of numbers`);
    if (vector.length !== embedder.dimensions)
      throw new TeamStateError(
        'embedder_failed',
        `${where}: vector ${i} has ${vector.length} numbers, expected ${embedder.dimensions} (its dimensions); set dimensions to what the model returns`,
      );
    for (let j = 0; j < vector.length; j++) {
      const value: unknown = vector[j];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new TeamStateError('embedder_failed', `${where}: vector ${i} holds ${JSON.stringify(value)}, expected finite numbers`);
    }
  });
  return vectors as number[][];
}

/** A vector as libSQL's `F32_BLOB` value: little-endian 32-bit floats. */
export function vectorBlob(vector: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}
