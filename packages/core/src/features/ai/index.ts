// The ai feature's public face: exactly the names @teamstate/core exports from it.
export type { AiAdoptionWeek, AiCohort, AiDifference, AiImpact, AiImpactQuery } from './ai-impact.js';
export * from './ai-usage-model.js';
export {
  type AiCommit,
  type AiConfig,
  type AiDetectionInput,
  type AiDetector,
  type AiIdentity,
  aiConfigSchema,
  createAiDetector,
  detectAi,
} from './detect-ai.js';
export {
  LEADERBOARD_MEASURES,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardMeasure,
  type LeaderboardQuery,
  type LeaderboardSettings,
  lastScheduledAt,
  leaderboardText,
  parseLeaderboardSchedule,
} from './leaderboard.js';
