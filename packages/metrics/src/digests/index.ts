export { prReviewQueue, type QueuedPullRequest } from './pr-review-queue.js';
export { type DigestRisk, type RiskDigest, riskDigest } from './risk-digest.js';
export { type SprintHealth, sprintHealth } from './sprint-health.js';
export { defaultSince, type PersonStandup, type StandupDigest, standupDigest } from './standup-digest.js';
