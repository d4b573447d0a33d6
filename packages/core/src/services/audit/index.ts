// The audit feature's door for the rest of core: other features import it only from here.
export * from './append-audit-event.js';
export * from './approval-content-hash.js';
export * from './approved-content.js';
export { createAuditLedger } from './audit-ledger.js';
export * from './canonical-json.js';
export * from './ledger-approvals.js';
