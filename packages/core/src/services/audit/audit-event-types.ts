/**
 * The kinds of audit ledger entries. Every entry that changes an approval records the approval's new
 * `status` in its data, so `verify()` can cross-check the approvals table against the ledger.
 */
export const AUDIT_EVENT_TYPES = [
  /** An action was proposed (data.status: auto, pending or denied). */
  'approval.proposed',
  /** A person approved, modified or declined (data.decision). */
  'approval.decided',
  /** A decision attempt was refused (unknown approver, self-decision, not pending …); nothing changed. */
  'approval.decision_refused',
  /** A proposal over the policy's limits.proposals_per_hour was refused (data.type, target, limit, retryAfter); nothing was stored. */
  'proposal.rate_limited',
  /** A pending approval passed its TTL. */
  'approval.expired',
  /** Execution was claimed; the executor is about to run. */
  'approval.executing',
  /** The executor succeeded. */
  'approval.executed',
  /** The executor failed, the precondition no longer held, or the run was interrupted. */
  'approval.failed',
  /** An execution finished after its approval had already been settled by reconcile; the status stays. */
  'approval.late_outcome',
  /** A per-person token was created (data.token: its id, data.scopes); the token itself is never recorded. */
  'token.created',
  /** A token was revoked. */
  'token.revoked',
  /** A person signed in through an OAuth client (data.grant, data.client, data.scopes); no token is recorded. */
  'oauth.granted',
  /** An OAuth grant was revoked (data.grant, data.reason: revoked or refresh_reuse): every token of it ends. */
  'oauth.revoked',
  /** A person allowed an OAuth client at the consent page (data.client, data.scopes, data.redirectUri). */
  'oauth.consented',
  /** A remembered consent was revoked (`teamstate tokens revoke --client`, data.client): the next sign-in asks again. */
  'oauth.consent_revoked',
  /** A daily report was filed by someone at a terminal for a person (`--as`): data.person, day, source, submittedBy (the OS user). */
  'report.submitted',
  /** Feedback about an AI assistant was filed by someone at a terminal for a person (`--as`): data.person, feedback, category, submittedBy (the OS user). */
  'feedback.added',
  /**
   * A person was erased (`teamstate people erase`): data.pseudonym (their activity's id from now on), data.removed and
   * data.renamed (row counts). The erased person's id is deliberately not recorded.
   */
  'person.erased',
  /**
   * A retention run archived expired rows and deleted them (`teamstate retention run`): data.folder (the run's archive),
   * data.cutoffs and data.counts. A run that found nothing expired records nothing.
   */
  'retention.run',
  /** Rows of a retention archive were brought back (`teamstate retention restore`): data.manifest, data.restored, data.skipped. */
  'retention.restored',
  /** A person acknowledged a signal (`teamstate signals ack`, `ack_signal`, a nudge's button): data.signal, kind, owner. */
  'signal.ack',
  /** A person snoozed a signal: data.signal, kind, snoozedUntil. */
  'signal.snooze',
  /** A person took a signal's acknowledgement and snooze back (`teamstate signals unack`): data.signal, kind. */
  'signal.unack',
  /** A workspace setting changed (data.key, data.value), e.g. local trust turned on. */
  'setting.changed',
  /** The config's policy became version 1 of the approved policy on first open (data.version, data.hash). */
  'policy.adopted',
  /** An approved `policy.change` stored the next version of the policy (data.version, data.hash, data.proposedBy). */
  'policy.version_stored',
] as const;

/** One of {@link AUDIT_EVENT_TYPES}. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
