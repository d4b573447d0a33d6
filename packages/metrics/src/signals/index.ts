import type { SignalDetector } from '@teamstate/core';
import { ciFlaky } from './ci-flaky.js';
import { deployFailed } from './deploy-failed.js';
import { incidentOpen } from './incident-open.js';
import { itemAging } from './item-aging.js';
import { itemBlocked } from './item-blocked.js';
import { itemBlockedByDependency } from './item-blocked-by-dependency.js';
import { itemOverdue } from './item-overdue.js';
import { personAfterHours } from './person-after-hours.js';
import { personBlockedStreak } from './person-blocked-streak.js';
import { personNoReports } from './person-no-reports.js';
import { personOncallLoad } from './person-oncall-load.js';
import { personOverloaded } from './person-overloaded.js';
import { prAwaitingReview } from './pr-awaiting-review.js';
import { prChangesRequestedIdle } from './pr-changes-requested-idle.js';
import { prLarge } from './pr-large.js';
import { prStale } from './pr-stale.js';
import { reviewLoadImbalance } from './review-load-imbalance.js';
import { riskReviewDue } from './risk-review-due.js';
import { sprintAtRisk } from './sprint-at-risk.js';
import { sprintOvercommitted } from './sprint-overcommitted.js';
import { wipOverLimit } from './wip-over-limit.js';

export {
  ciFlaky,
  deployFailed,
  incidentOpen,
  itemAging,
  itemBlocked,
  itemBlockedByDependency,
  itemOverdue,
  personAfterHours,
  personBlockedStreak,
  personNoReports,
  personOncallLoad,
  personOverloaded,
  prAwaitingReview,
  prChangesRequestedIdle,
  prLarge,
  prStale,
  reviewLoadImbalance,
  riskReviewDue,
  sprintAtRisk,
  sprintOvercommitted,
  wipOverLimit,
};

/** Every built-in signal detector; the `person.*` ones are wellbeing signals (shown per `privacy.wellbeing`). */
export const builtinSignals: readonly SignalDetector[] = [
  prAwaitingReview,
  prStale,
  prLarge,
  prChangesRequestedIdle,
  itemBlocked,
  itemBlockedByDependency,
  itemOverdue,
  itemAging,
  wipOverLimit,
  reviewLoadImbalance,
  sprintAtRisk,
  sprintOvercommitted,
  deployFailed,
  ciFlaky,
  incidentOpen,
  riskReviewDue,
  personAfterHours,
  personNoReports,
  personBlockedStreak,
  personOverloaded,
  personOncallLoad,
];
