/** The ids of the built-in metrics (a public contract; their definitions: docs/metrics.md). */
export type BuiltinMetricId =
  | 'deployment_frequency'
  | 'lead_time_for_changes'
  | 'change_failure_rate'
  | 'failed_deployment_recovery_time'
  | 'time_to_restore_service'
  | 'rework_rate'
  | 'pr_cycle_time'
  | 'time_to_first_review'
  | 'pr_size'
  | 'throughput'
  | 'wip'
  | 'aging_wip'
  | 'flow_efficiency'
  | 'sprint_completion'
  | 'velocity'
  | 'ai_assisted_share'
  | 'time_to_tenth_pr'
  | 'build_duration'
  | 'build_success_rate';

/** A metric id: a built-in one (completed by editors) or a custom calculator's. */
export type MetricId = BuiltinMetricId | (string & {});
