import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the approvals feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

export const approvals = sqliteTable(
  'approvals',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    actionType: text('action_type').notNull(),
    target: text('target').notNull(),
    params: text('params').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    status: text('status').notNull(),
    mode: text('mode').notNull(),
    risk: text('risk').notNull(),
    policyHash: text('policy_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    decidedAt: integer('decided_at'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    executedAt: integer('executed_at'),
    result: text('result'),
    error: text('error'),
    idempotencyKey: text('idempotency_key').notNull(),
    preconditions: text('preconditions'),
    version: integer('version').notNull().default(0),
    // Added by the human-in-the-loop work (migration 0001).
    /** approve | decline | modify, once a person decided. */
    decision: text('decision'),
    /** JSON array of the approver references (person ids, `team:<id>`) the proposing policy allowed. */
    approvers: text('approvers').notNull().default('[]'),
    /** When execution was claimed (status `executing`); a claim older than the lease is reconciled. */
    startedAt: integer('started_at'),
    /** When execution ended, in `executed` or `failed`. */
    finishedAt: integer('finished_at'),
    /** Machine-readable failure code (`stale`, `interrupted`, `executor_error`) next to `error`. */
    errorCode: text('error_code'),
    // Added by the Slack work (migration 0002).
    /** Why the action type raised the policy's `auto` to `ask` for these params (`ActionType.escalate`). */
    escalation: text('escalation'),
    /** The person the requester (an assistant) acted for; under require_approval they cannot decide either. */
    onBehalfOf: text('on_behalf_of'),
    // Added by the policy-versions work (migration 0058).
    /** The proposing model, as the assistant or its MCP client named it (`claude-opus-4@1.2`). */
    modelVersion: text('model_version'),
    /** The trace id (32 hex digits) of the proposal's `teamstate.propose` span. */
    traceId: text('trace_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('approvals_status_idx').on(t.workspace, t.status, t.createdAt)],
);

/**
 * Messages that show an approval to people through an approval channel (a Slack message per conversation),
 * so the process that watches approvals can update them in place when the approval changes.
 */
export const approvalMessages = sqliteTable(
  'approval_messages',
  {
    workspace: text('workspace').notNull(),
    approvalId: text('approval_id').notNull(),
    /** The approval channel's id, e.g. `slack`. */
    channel: text('channel').notNull(),
    /** Where the message is, in that channel's terms (a Slack conversation id); empty when it is shown nowhere. */
    destination: text('destination').notNull(),
    /** The channel's message reference (a Slack message ts); null while it is being posted. */
    messageId: text('message_id'),
    /** The approval's `version` the message shows. */
    shownVersion: integer('shown_version'),
    shownStatus: text('shown_status'),
    /** 1 once the message shows a terminal status (or the approval is shown nowhere): nothing left to update. */
    settled: integer('settled').notNull().default(0),
    claimedAt: integer('claimed_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.approvalId, t.channel, t.destination] }),
    index('approval_messages_open_idx').on(t.workspace, t.channel, t.settled),
  ],
);

/**
 * The approved policy, one row a version: version 1 is the config's policy adopted on first open, each later one the
 * document of an approved `policy.change` proposal (`approval_id`).
 */
export const policyVersions = sqliteTable(
  'policy_versions',
  {
    workspace: text('workspace').notNull(),
    version: integer('version').notNull(),
    /** sha256 (hex) of `text`. */
    hash: text('hash').notNull(),
    /** The document as proposed (YAML or JSON). */
    text: text('text').notNull(),
    proposedBy: text('proposed_by').notNull(),
    approvedBy: text('approved_by').notNull(),
    /** The `policy.change` approval that made it (none for version 1, adopted from the config). */
    approvalId: text('approval_id'),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.version] })],
);

/**
 * A configured policy that differs from the active version, as the last process that opened with it saw it: what the
 * `policy.unapproved_change` signal reports. One row a workspace, removed once the configured policy is the active one.
 */
export const policyDrift = sqliteTable('policy_drift', {
  workspace: text('workspace').notNull().primaryKey(),
  /** The compiled hash of the configured policy. */
  configuredHash: text('configured_hash').notNull(),
  /** The active version while it differed. */
  activeVersion: integer('active_version').notNull(),
  seenAt: integer('seen_at').notNull(),
});
