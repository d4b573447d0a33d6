// The audit service's door for the facade and the features.
export * from './append-audit-event.js';
export * from './approval-content-hash.js';
export * from './approved-content.js';
export { createAuditLedger } from './audit-ledger.js';
export * from './canonical-json.js';
export * from './ledger-approvals.js';
