import type { Logger } from '../kernel/logger.js';
import type { Provider } from '../kernel/model/common.js';
import type { Approval } from '../kernel/model/derived.js';

/** Where a message showing an approval is: a destination of the channel and the channel's message id. */
export interface ApprovalMessageRef {
  /** e.g. a Slack conversation id (`C0123ABCD`, or a user id for a DM). */
  destination: string;
  /** e.g. a Slack message `ts`. */
  messageId: string;
}

/** What core gives an approval channel: who may decide, their accounts, and what this instance can check. */
export interface ApprovalChannelContext {
  readonly workspace: string;
  readonly log: Logger;
  /** The injected clock. */
  now(): Date;
  /**
   * Person ids allowed to decide `approval` (its approver list, `team:<id>` expanded through memberships,
   * the requester left out); empty when any known person but the requester may decide.
   */
  approvers(approval: Approval): Promise<string[]>;
  /** The external ids of `provider` accounts of these people, by person id (people without one are absent). */
  accounts(provider: Provider, personIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The email addresses of these people, by person id (people without one are absent). */
  emails(personIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * True when this instance can check edited params for `type` (its catalogue has the action type), so a
   * person can approve with changes here.
   */
  canModify(type: string): boolean;
}

/**
 * A place where pending approvals are shown to the people who can decide them, and kept up to date
 * (Slack messages with Approve / Decline buttons). Core does the bookkeeping: which approvals need a
 * message, claiming each one so two processes never post it twice, remembering the message
 * (`approval_messages`), and calling `update` when the approval changes (decided anywhere, executed,
 * expired) until it is terminal. See `ts.approvals.publish()` and `ts.approvals.watch()`.
 *
 * A method that fails is retried on a later pass; an error with a numeric `retryAfterMs` (a rate limit)
 * pauses this channel for that long.
 *
 * @example
 * const channel: ApprovalChannel = {
 *   id: 'chat',
 *   destinations: async () => ['#approvals'],
 *   show: async (approval, destination) => chat.post(destination, render(approval)),
 *   update: async (approval, message) => chat.edit(message.destination, message.messageId, render(approval)),
 * }
 */
export interface ApprovalChannel {
  /** The contract version; may be left out (the connector's own version applies). */
  readonly specificationVersion?: 'v1';
  /** Stored with every message reference, e.g. `slack`. */
  readonly id: string;
  /** Where to show a new pending approval; an empty list means it is not shown in this channel. */
  destinations(approval: Approval, ctx: ApprovalChannelContext): Promise<string[]>;
  /** Shows a pending approval at `destination`; returns the id of the message, to update it later. */
  show(approval: Approval, destination: string, ctx: ApprovalChannelContext): Promise<string>;
  /** Brings a message shown earlier up to date with the approval as it is now. */
  update(approval: Approval, message: ApprovalMessageRef, ctx: ApprovalChannelContext): Promise<void>;
}
