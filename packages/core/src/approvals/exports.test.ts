import { describe, expect, it } from 'vitest';
import * as core from '../index.js';

describe('@teamstate/core public surface for actions, policy and audit', () => {
  it('exports the runtime values of the approvals, policy and audit modules', () => {
    const values = [
      'AUDIT_EVENT_TYPES',
      'GENESIS_HASH',
      'TERMINAL_APPROVAL_STATUSES',
      'approvalDecisionSchema',
      'approvalErrorCodeSchema',
      'approvalSchema',
      'approvalStatusSchema',
      'auditEventSchema',
      'canonicalJson',
      'compilePolicy',
      'defineActionType',
      'hashAuditEntry',
      'isTerminalApprovalStatus',
      'parseDuration',
      'parsePolicy',
      'parsePolicyText',
      'policyDocumentSchema',
    ];
    for (const name of values) expect(core, name).toHaveProperty(name);
    expect(core.AUDIT_EVENT_TYPES).toContain('approval.decision_refused');
  });
});
