export * from './ai.js';
export { BUNDLE_FORMAT } from './bundle.js';
export * from './common.js';
export * from './delivery.js';
export * from './derived.js';
export {
  type BundleFeedback,
  bundleFeedbackSchema,
  FEEDBACK_CATEGORIES,
  FEEDBACK_PATHS_MAX,
  FEEDBACK_TEXT_MAX,
  type Feedback,
  type FeedbackCategory,
  feedbackCategorySchema,
  repositoryPathProblem,
} from './feedback.js';
export * from './identity.js';
export * from './json-path.js';
export { addDays, daySchema, isDay, isTimeZone, localDay, timeZoneSchema } from './local-day.js';
export * from './report.js';
export * from './survey.js';
export {
  type BundleRisk,
  bundleRiskSchema,
  RISK_LIKELIHOODS,
  RISK_SEVERITIES,
  RISK_STATUSES,
  type RiskEvidence,
  type RiskLikelihood,
  type RiskSeverity,
  type RiskSource,
  type RiskStatus,
  riskEvidenceSchema,
  type TeamRisk,
  teamRiskSchema,
} from './team-risk.js';
export * from './timestamp.js';
export * from './work-item.js';
