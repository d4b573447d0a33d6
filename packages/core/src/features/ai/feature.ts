import { ValidationError } from '../../kernel/errors.js';
import type { RuleEffect } from '../../kernel/model/feedback.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { type AiImpactQuery, aiImpact } from './ai-impact.js';
import { assessPullRequests } from './assess-pull-requests.js';
import { aiUsageSection } from './bundle-section.js';
import { type AiConfig, aiConfigSchema, createAiDetector } from './detect-ai.js';
import { checkLeaderboardSettings, type LeaderboardQuery, type LeaderboardSettings, leaderboard } from './leaderboard.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

/** What AI impact reads of the options and calls of the facade: the effect of the agent rules. */
type AiContext = FeatureContext<
  { leaderboard?: LeaderboardSettings },
  { feedback: { effect(query: { repository?: string }): Promise<{ rules: RuleEffect[] }> } }
>;

/**
 * AI impact (`ts.ai`): every pull request's `ai` is settled as it arrives (bundle, sync, webhook) with the detector of
 * `config`; the bundle's
 * `aiUsage`; how one person used AI tools is about them, not team activity, so it goes when they are erased.
 */
export function aiFeature(config: AiConfig = {}) {
  const checked = aiConfigSchema.safeParse(config);
  if (!checked.success) throw new ValidationError('invalid_config', 'ai', describeZodIssues(aiConfigSchema, checked.error.issues));
  const detector = createAiDetector(config);
  return defineFeature({
    name: 'ai',
    migrations,
    tables,
    hooks: {
      checkOptions: (options) => checkLeaderboardSettings(options.leaderboard),
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
    },
    api(context: AiContext) {
      const { store, workspace, clock } = context;
      return {
        /**
         * AI-assisted vs other pull requests merged in `[from, to)`: n, cycle time, time to first review, review rounds and
         * size per group, the differences with seeded bootstrap 95% intervals, a plain-words verdict ("Not enough data"
         * below `minSample`), weekly adoption, the tools, reviewers' survey answers, tool usage, and the effect of the
         * agent rules teamstate proposed (docs/ai-impact.md#analysis).
         * @example const impact = await ts.ai.impact({ from: '2026-03-01', to: '2026-04-01', team: 'payments' })
         */
        impact: (query: AiImpactQuery) =>
          aiImpact(
            {
              store,
              workspace,
              now: clock,
              reworkLabels: context.metricSettings.reworkLabels,
              ruleEffects: (scope) => context.facade().feedback.effect(scope),
            },
            query,
          ),
        /**
         * Per measure (`reviews_given`, `prs_merged`, `survey_answers`, `guess_accuracy`; never AI usage), the top people
         * of `[from, to)` (default the 7 days before now), highest first, ties by person id; people who opted out of
         * `leaderboard` are left out (docs/ai-impact.md#leaderboard).
         * @example const board = await ts.ai.leaderboard({ from: '2026-03-09', to: '2026-03-16' })
         */
        leaderboard: (query?: LeaderboardQuery) =>
          leaderboard({ store, workspace, now: clock, settings: context.options.leaderboard }, query),
      };
    },
    bundle: { lists: [aiUsageSection] },
  });
}
