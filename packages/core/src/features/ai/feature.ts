import { defineFeature } from '../../records/feature.js';
import { assessPullRequests } from './assess-pull-requests.js';
import { aiUsageSection } from './bundle-section.js';
import type { AiDetector } from './detect-ai.js';

/**
 * AI impact: every pull request's `ai` is settled as it arrives (bundle, sync, webhook) with `detector`; the bundle's
 * `aiUsage`; how one person used AI tools is about them, not team activity, so it goes when they are erased.
 */
export function aiFeature(detector: AiDetector) {
  return defineFeature({
    name: 'ai',
    bundle: { lists: [aiUsageSection] },
    onIngest: {
      detectAi: (input) => detector.detect(input),
      workItems: (tx, workspace, items) => assessPullRequests(tx, workspace, items, detector),
    },
    person: {
      async erase(tx, { workspace, person }) {
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM ai_usage WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        return { aiUsage: rowsAffected };
      },
    },
  });
}
