import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** What an approver approves: the exact action type, target and params. */
export interface ApprovalContent {
  type: string;
  target: string;
  params: Record<string, unknown>;
}

/**
 * The sha256 (lowercase hex) of the canonical JSON of `{ type, target, params }`: the fingerprint of what a
 * person sees and approves. `teamstate approvals show` prints it next to the params.
 *
 * @example approvalContentHash({ type: 'slack.message.post', target: 'C0123', params: { channel: 'C0123', text: 'hi' } })
 */
export function approvalContentHash(content: ApprovalContent): string {
  return createHash('sha256')
    .update(canonicalJson({ type: content.type, target: content.target, params: content.params }))
    .digest('hex');
}
