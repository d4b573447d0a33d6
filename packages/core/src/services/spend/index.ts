// The spend service's door: the ledger of teamstate's own paid calls and the month's cap (docs/security.md#cost-cap).
export { costNearDetector } from './cost-near-detector.js';
export { registerSpendGauge } from './spend-gauge.js';
export {
  COST_NEAR_SHARE,
  createSpendLedger,
  type SpendEntry,
  type SpendLedger,
  type SpendMonth,
  spendMonthOf,
} from './spend-ledger.js';
