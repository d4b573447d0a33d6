import type { z } from 'zod';
import type { Logger } from '../kernel/logger.js';
import type { Risk } from '../kernel/model/derived.js';

/** What an action type's hooks get from core. */
export interface ActionContext {
  readonly workspace: string;
  readonly approvalId: string;
  /**
   * Stable for the approval's whole life: pass it upstream where the API deduplicates (a Slack
   * `client_msg_id`, an HTTP `Idempotency-Key`) and use it in `checkExecuted` to find an earlier run.
   */
  readonly idempotencyKey: string;
  readonly requestedBy: string;
  /** The person the proposal was made for (an assistant's user), when known. */
  readonly onBehalfOf?: string;
  readonly target: string;
  /** The policy's `limits`. */
  readonly limits: Readonly<Record<string, number>>;
  /**
   * The person who approved the action, with what identifies them upstream: their email and their linked accounts
   * (`{ provider, id, login? }`). Absent while proposing and for runs no person approved (`auto`). A connector writes
   * as them where the API lets it (PagerDuty's `From:`). Personal data: keep it out of logs, errors and results.
   */
  readonly approver?: ActionApprover;
  /** What `precondition` returned as `state` when the action was proposed; `undefined` while proposing. */
  readonly proposedState?: unknown;
  /**
   * The latest moment the action may still take effect. A write that has to wait (a rate limit) gives up
   * rather than land after it: the approval's expiry (for `auto`, the proposal time plus the policy's TTL
   * for its risk), and while executing never later than half the execution lease after the claim, so
   * `reconcile()` does not take a waiting run for an interrupted one.
   */
  readonly deadline: Date;
  readonly log: Logger;
  /** The injected clock. */
  now(): Date;
}

/** The person who approved an action, as {@link ActionContext.approver} gives them. */
export interface ActionApprover {
  readonly person: string;
  readonly email?: string;
  readonly accounts: readonly { readonly provider: string; readonly id: string; readonly login?: string }[];
}

/** The answer of a precondition hook. */
export type PreconditionResult =
  | { ok: true /** Saved with the approval and handed back as `ctx.proposedState` before executing. */; state?: unknown }
  | { ok: false /** Why the action should not run, e.g. `head moved from abc123 to def456`. */; reason: string };

/** What `checkExecuted` found out about an interrupted run. */
export type ExecutionCheck = { executed: true; result?: unknown } | { executed: false };

/**
 * An action a connector can carry out, e.g. `github.pr.merge`. Plain object; the catalogue of a
 * `TeamState` is every action type of its connectors.
 *
 * @example
 * const post = defineActionType({
 *   type: 'slack.message.post', description: 'Post a message to a channel', risk: 'medium',
 *   params: z.object({ channel: z.string(), text: z.string() }),
 *   async execute(params, ctx) { return client.chat.postMessage({ ...params, client_msg_id: ctx.idempotencyKey }) },
 * })
 */
export interface ActionType<Params = Record<string, unknown>> {
  /** The contract version; may be left out (the connector's own version applies). */
  readonly specificationVersion?: 'v1';
  /** Dotted name, `<connector>.<noun>.<verb>`, e.g. `github.pr.merge`. */
  readonly type: string;
  readonly description: string;
  /** Validates proposed (and modified) params; the executor gets its output. */
  readonly params: z.ZodType<Params>;
  /** The default risk tier; the policy may override it. */
  readonly risk: Risk;
  /** True for actions that change nothing; the built-in policy runs them at once. */
  readonly readOnly?: boolean;
  /**
   * What one run costs, US dollars (a paid API call): metered on the spend ledger when it runs, and once the month's
   * spend has reached the policy's `limits.max_monthly_cost_usd` it needs a person's approval even where the policy
   * says `auto`.
   */
  readonly costUsd?: number;
  /**
   * Checks the world still looks as the proposal assumed (e.g. the PR head sha is unchanged). Called when
   * proposing (a failure refuses the proposal) and again right before executing (a failure ends the
   * approval `failed` with code `stale`).
   */
  precondition?(params: Params, ctx: ActionContext): Promise<PreconditionResult>;
  /**
   * Raises the policy's `auto` to `ask` for these particular params: returns why a person must approve
   * this proposal (e.g. `channel C0123 has 240 members, more than limits.max_channel_size_auto_post (10)`),
   * or `undefined` to let it run. Consulted only when the policy runs the action type automatically, so it
   * can never lower a mode; if it throws, the proposal waits for a person too. The reason is stored as
   * the approval's `escalation`.
   */
  escalate?(params: Params, ctx: ActionContext): Promise<string | undefined>;
  /**
   * Where a post with these params goes: a `public` channel, a `private` one or a `direct` message. Declared by
   * actions that post to a chat channel (`slack.message.post`); a rule with `ask_if_channel_public: true` holds a
   * post to a public channel as `ask`. Consulted only when that rule's mode is `auto`; if it throws (the lookup
   * failed), the channel counts as public.
   */
  channelVisibility?(params: Params, ctx: ActionContext): Promise<'public' | 'private' | 'direct'>;
  /** Carries the action out and returns a JSON-serializable result. Runs at most once per approval. */
  execute(params: Params, ctx: ActionContext): Promise<unknown>;
  /**
   * After a crash left an approval `executing`, or when `execute` threw an upstream error whose outcome is unknown
   * (a write answered with a 5xx or not at all), tells whether the run with `ctx.idempotencyKey` already took effect
   * upstream. It is asked once; without it, such an approval ends `failed` (`interrupted` after a crash).
   */
  checkExecuted?(params: Params, ctx: ActionContext): Promise<ExecutionCheck>;
}

/**
 * Declares an action type with its params type inferred from the zod schema.
 *
 * @example const comment = defineActionType({ type: 'github.pr.comment', description: 'Comment on a PR', risk: 'low', params, execute })
 */
export function defineActionType<Schema extends z.ZodType<Record<string, unknown>>>(
  action: ActionType<z.output<Schema>> & { params: Schema },
): ActionType {
  return action;
}
