// The approvals service's door: approvals with the policy, for the facade and for every feature that proposes.
export * from './approval-stats.js';
export type { Actions, Approvals, ProposeAll } from './approvals-api.js';
export * from './approvers.js';
export type { Policy } from './policy/compile-policy.js';
export * from './policy/policy-document.js';
export type { ProposalOutcome, ProposeActionsOptions } from './propose-action.js';
