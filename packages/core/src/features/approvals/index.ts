export * from './approval-stats.js';
export * from './approvers.js';
export * from './policy/policy-document.js';
