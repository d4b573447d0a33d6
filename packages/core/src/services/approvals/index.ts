// The approvals feature's door for the rest of core: other features import it only from here.
export * from './approval-stats.js';
export type { Actions, ProposeAll } from './approvals-api.js';
export * from './approvers.js';
export * from './policy/policy-document.js';
export type { ProposalOutcome, ProposeActionsOptions } from './propose-action.js';
