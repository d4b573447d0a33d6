import type { MetricCalculator } from '@teamstate/core';
import { aiAssistedShare } from './ai/ai-assisted-share.js';
import { buildDuration } from './ci/build-duration.js';
import { buildSuccessRate } from './ci/build-success-rate.js';
import { changeFailureRate } from './dora/change-failure-rate.js';
import { deploymentFrequency } from './dora/deployment-frequency.js';
import { failedDeploymentRecoveryTime } from './dora/failed-deployment-recovery-time.js';
import { leadTimeForChanges } from './dora/lead-time-for-changes.js';
import { reworkRate } from './dora/rework-rate.js';
import { timeToRestoreService } from './dora/time-to-restore-service.js';
import { agingWip } from './flow/aging-wip.js';
import { flowEfficiency } from './flow/flow-efficiency.js';
import { prCycleTime } from './flow/pr-cycle-time.js';
import { prSize } from './flow/pr-size.js';
import { throughput } from './flow/throughput.js';
import { timeToFirstReview } from './flow/time-to-first-review.js';
import { wip } from './flow/wip.js';
import { timeToTenthPr } from './onboarding/time-to-tenth-pr.js';
import { sprintCompletion } from './sprint/sprint-completion.js';
import { velocity } from './sprint/velocity.js';

export * from './digests/index.js';
export { type DoraBand, type DoraMeasure, type DoraThresholds, doraBand, doraBenchmarkTables } from './dora/dora-bands.js';
export * from './signals/index.js';
export {
  agingWip,
  aiAssistedShare,
  buildDuration,
  buildSuccessRate,
  changeFailureRate,
  deploymentFrequency,
  failedDeploymentRecoveryTime,
  flowEfficiency,
  leadTimeForChanges,
  prCycleTime,
  prSize,
  reworkRate,
  sprintCompletion,
  throughput,
  timeToFirstReview,
  timeToRestoreService,
  timeToTenthPr,
  velocity,
  wip,
};

/**
 * Every built-in metric (docs/metrics.md): DORA, flow, sprint, AI, onboarding and CI. Pass it to `createTeamState({ metrics })`.
 * @example const ts = await createTeamState({ metrics: [...builtinMetrics, myMetric] })
 */
export const builtinMetrics: readonly MetricCalculator[] = Object.freeze([
  deploymentFrequency,
  leadTimeForChanges,
  changeFailureRate,
  failedDeploymentRecoveryTime,
  timeToRestoreService,
  reworkRate,
  prCycleTime,
  timeToFirstReview,
  prSize,
  throughput,
  wip,
  agingWip,
  flowEfficiency,
  sprintCompletion,
  velocity,
  aiAssistedShare,
  timeToTenthPr,
  buildDuration,
  buildSuccessRate,
]);
