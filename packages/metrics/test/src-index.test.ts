import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

describe('@teamstate/metrics exports', () => {
  it('exports exactly the public surface (metrics, signals, digests)', () => {
    expect(Object.keys(metrics).sort()).toEqual([
      'agingWip',
      'aiAssistedShare',
      'buildDuration',
      'buildSuccessRate',
      'builtinMetrics',
      'builtinSignals',
      'changeFailureRate',
      'ciFlaky',
      'defaultSince',
      'deployFailed',
      'deploymentFrequency',
      'doraBand',
      'doraBenchmarkTables',
      'failedDeploymentRecoveryTime',
      'flowEfficiency',
      'incidentOpen',
      'itemAging',
      'itemBlocked',
      'itemBlockedByDependency',
      'itemOverdue',
      'leadTimeForChanges',
      'personAfterHours',
      'personBlockedStreak',
      'personNoReports',
      'personOncallLoad',
      'personOverloaded',
      'prAwaitingReview',
      'prChangesRequestedIdle',
      'prCycleTime',
      'prLarge',
      'prReviewQueue',
      'prSize',
      'prStale',
      'reviewLoadImbalance',
      'reworkRate',
      'riskDigest',
      'riskReviewDue',
      'sprintAtRisk',
      'sprintCompletion',
      'sprintHealth',
      'sprintOvercommitted',
      'standupDigest',
      'throughput',
      'timeToFirstReview',
      'timeToRestoreService',
      'timeToTenthPr',
      'velocity',
      'wip',
      'wipOverLimit',
    ]);
  });

  it('builtinMetrics holds every metric id of the contract (docs/metrics.md), each a v1 spec', () => {
    expect(metrics.builtinMetrics.map((m) => [m.id, m.category])).toEqual([
      ['deployment_frequency', 'dora'],
      ['lead_time_for_changes', 'dora'],
      ['change_failure_rate', 'dora'],
      ['failed_deployment_recovery_time', 'dora'],
      ['time_to_restore_service', 'dora'],
      ['rework_rate', 'dora'],
      ['pr_cycle_time', 'flow'],
      ['time_to_first_review', 'flow'],
      ['pr_size', 'flow'],
      ['throughput', 'flow'],
      ['wip', 'flow'],
      ['aging_wip', 'flow'],
      ['flow_efficiency', 'flow'],
      ['sprint_completion', 'sprint'],
      ['velocity', 'sprint'],
      ['ai_assisted_share', 'ai'],
      ['time_to_tenth_pr', 'onboarding'],
      ['build_duration', 'ci'],
      ['build_success_rate', 'ci'],
    ]);
    for (const m of metrics.builtinMetrics) {
      expect(m).toMatchObject({
        specificationVersion: 'v1',
        title: expect.any(String),
        unit: expect.any(String),
        description: expect.any(String),
      });
      expect(typeof m.explain).toBe('function');
    }
  });
});

describe('which way is better', () => {
  it('says it for every built-in metric where one direction is an improvement, and for none where it depends', () => {
    expect(Object.fromEntries(metrics.builtinMetrics.map((m) => [m.id, m.better]))).toEqual({
      deployment_frequency: 'higher',
      lead_time_for_changes: 'lower',
      change_failure_rate: 'lower',
      failed_deployment_recovery_time: 'lower',
      time_to_restore_service: 'lower',
      rework_rate: 'lower',
      pr_cycle_time: 'lower',
      time_to_first_review: 'lower',
      pr_size: 'lower',
      throughput: 'higher',
      wip: undefined,
      aging_wip: 'lower',
      flow_efficiency: 'higher',
      sprint_completion: 'higher',
      velocity: undefined,
      // More AI help is neither better nor worse in itself.
      ai_assisted_share: undefined,
      time_to_tenth_pr: 'lower',
      build_duration: 'lower',
      build_success_rate: 'higher',
    });
  });
});
