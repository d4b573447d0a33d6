import type { MetricCalculator } from '@teamstate/core';
import { changeFailureRate } from './dora/change-failure-rate.js';
import { deploymentFrequency } from './dora/deployment-frequency.js';
import { failedDeploymentRecoveryTime } from './dora/failed-deployment-recovery-time.js';
import { leadTimeForChanges } from './dora/lead-time-for-changes.js';
import { reworkRate } from './dora/rework-rate.js';
import { timeToRestoreService } from './dora/time-to-restore-service.js';

export { type DoraBand, type DoraMeasure, type DoraThresholds, doraBand, doraBenchmarkTables } from './dora/dora-bands.js';
export { changeFailureRate, deploymentFrequency, failedDeploymentRecoveryTime, leadTimeForChanges, reworkRate, timeToRestoreService };

/**
 * Every built-in metric (docs/metrics.md). Pass it to `createTeamState({ metrics })`.
 * @example const ts = await createTeamState({ metrics: [...builtinMetrics, myMetric] })
 */
export const builtinMetrics: readonly MetricCalculator[] = Object.freeze([
  deploymentFrequency,
  leadTimeForChanges,
  changeFailureRate,
  failedDeploymentRecoveryTime,
  timeToRestoreService,
  reworkRate,
]);
