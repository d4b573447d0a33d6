// The on-call health feature's public face: exactly the names @teamstate/core exports from it.
export type { Oncall as OncallHealthApi, OncallHealth, OncallHealthQuery, OncallPersonHealth } from './oncall-health.js';
