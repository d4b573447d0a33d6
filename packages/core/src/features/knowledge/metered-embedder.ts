import type { SpendLedger } from '../../services/spend/index.js';
import type { Embedder } from '../../spec/embedder.js';

/**
 * An embedder whose calls are paid calls (it declares `costPer1kTokensUsd`), metered on the spend ledger: before each
 * call the month's cap is checked (reached: `cost_cap_reached`, naming the embedder, and no call), after it the tokens
 * the call reported times the price are recorded. An embedder without a price is returned as it is.
 */
export function meteredEmbedder(embedder: Embedder, spend: SpendLedger): Embedder {
  const price = embedder.costPer1kTokensUsd;
  if (price === undefined || price <= 0) return embedder;
  return {
    ...embedder,
    embed: async (texts, options = {}) => {
      // The message starts with the embedder's name, so the knowledge index keeps the code (embedTexts passes it on).
      await spend.checkCap(`embedder "${embedder.id}"`);
      let tokens = 0;
      try {
        return await embedder.embed(texts, {
          ...options,
          onUsage: (usage) => {
            tokens += usage.totalTokens;
            options.onUsage?.(usage);
          },
        });
      } finally {
        // A call that failed after the API counted it (a retry answered) is still paid for.
        if (tokens > 0) await spend.record({ kind: 'embedding', source: embedder.id, units: tokens, usd: (tokens / 1000) * price });
      }
    },
  };
}
