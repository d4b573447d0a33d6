import { RateLimitedError } from '../../kernel/limit-errors.js';
import { columns, integer } from '../../kernel/store/row-decoder.js';
import { appendAuditEvents } from '../audit/index.js';
import type { ApprovalDeps } from './approval-deps.js';

/** `limits.proposals_per_hour` when the policy sets none. */
export const DEFAULT_PROPOSALS_PER_HOUR = 60;
const HOUR_MS = 3_600_000;

const createdAt = columns({ created_at: integer });

/**
 * Refuses a proposal when its caller (the resolved requester) already made `limits.proposals_per_hour` proposals in
 * the hour before the injected clock's now (default {@link DEFAULT_PROPOSALS_PER_HOUR}): a `RateLimitedError` whose
 * `retryAfter` is the seconds until the oldest of them leaves the hour. The refusal is a `proposal.rate_limited` entry on
 * the audit ledger; nothing else is written.
 */
export async function checkProposalRate(
  deps: ApprovalDeps,
  proposal: { type: string; target: string; requestedBy: string; onBehalfOf?: string },
): Promise<void> {
  const limit = deps.policy.limits.proposals_per_hour ?? DEFAULT_PROPOSALS_PER_HOUR;
  const now = deps.clock().getTime();
  // The newest `limit` proposals of the hour, newest first: the last of them is the one that has to leave the window.
  const { rows } = await deps.store.execute(
    `SELECT created_at FROM approvals WHERE workspace = ? AND requested_by = ? AND created_at > ? AND created_at <= ?
     ORDER BY created_at DESC LIMIT ?`,
    [deps.workspace, proposal.requestedBy, now - HOUR_MS, now, limit],
  );
  const recent = createdAt.all(rows);
  if (recent.length < limit) return;
  const oldest = recent.at(-1)?.created_at ?? now;
  const retryAfter = Math.max(1, Math.ceil((oldest + HOUR_MS - now) / 1000));
  await deps.store.write((tx) =>
    appendAuditEvents(tx, deps.workspace, now, [
      {
        type: 'proposal.rate_limited',
        actor: proposal.requestedBy,
        data: {
          type: proposal.type,
          target: proposal.target,
          onBehalfOf: proposal.onBehalfOf,
          limit,
          retryAfter,
        },
      },
    ]),
  );
  deps.log.warn('proposal refused: rate limited', { requestedBy: proposal.requestedBy, type: proposal.type, retryAfter });
  throw new RateLimitedError(
    `rate_limited: "${proposal.requestedBy}" made ${limit} proposals in the last hour, the policy's limits.proposals_per_hour (${limit}); retryAfter: ${retryAfter} seconds (propose again then, or raise limits.proposals_per_hour)`,
    retryAfter,
  );
}
