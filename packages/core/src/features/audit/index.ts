export * from './append-audit-event.js';
export * from './approval-content-hash.js';
export * from './canonical-json.js';
export * from './ledger-approvals.js';
