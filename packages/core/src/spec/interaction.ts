import type { ValidationIssue } from '../kernel/errors.js';
import type { Logger } from '../kernel/logger.js';
import type { Provider } from '../kernel/model/common.js';
import type { Approval } from '../kernel/model/derived.js';
import type { Feedback, FeedbackCategory } from '../kernel/model/feedback.js';
import type { Report, ReportSource } from '../kernel/model/report.js';
import type { WebhookRequest } from './webhook.js';

/** The input of `ts.approvals.decide()`. */
export interface DecisionInput {
  /** `approve`, `decline`, or `modify` (approve with edited `params`). */
  decision: 'approve' | 'decline' | 'modify';
  /** Who decides: a person id, or an account login/id or email that resolves to one. */
  by: string;
  reason?: string;
  /** The edited params, for `modify`; validated against the action type's schema again. */
  params?: Record<string, unknown>;
  /** How the decider was authenticated, recorded on the decision's ledger entry (default `{ method: 'sdk' }`). */
  authentication?: DecisionAuthentication;
}

/**
 * How a decider proved who they are: a per-person token (its id), a verified Slack user, a sign-in to the web page
 * through an identity provider (the account, `github:583231`), local trust (anyone with a shell on this machine,
 * recorded with the OS user), or an app calling the SDK directly.
 */
export type DecisionAuthentication =
  | { method: 'token'; token: string }
  | { method: 'slack'; user: string }
  | { method: 'signin'; account: string }
  | { method: 'local'; osUser: string }
  | { method: 'sdk' };

/** The part of `ts.approvals` an interaction handler needs: read one approval and decide it. */
export interface InteractionApprovals {
  /** The approval, or `undefined` when there is none with that id. */
  get(id: string): Promise<Approval | undefined>;
  /** Decides with the policy's approver rules and the audit ledger, as `ts.approvals.decide()`. */
  decide(id: string, decision: DecisionInput): Promise<Approval>;
}

/** The part of `ts.reports` an interaction handler needs: a person's local day, their draft, and a submission. */
export interface InteractionReports {
  /** The person's local day now (their `timeZone`, else UTC), `YYYY-MM-DD`. */
  today(person: string): Promise<string>;
  /** A draft of the person's day from their activity (`ts.reports.draft`). */
  draft(person: string, day: string): Promise<{ day: string; text: string }>;
  /** Files the person's report (`ts.reports.submit`): one `invalid_argument` error naming the field, nothing written. */
  submit(input: { person: string; day?: string; text: string; blockers?: string; source: ReportSource }): Promise<Report>;
}

/** The part of `ts.feedback` an interaction handler needs: which pull request a work item is, and recording feedback. */
export interface InteractionFeedback {
  /**
   * The pull request stored as work item `id`: its key (`acme/api#7`), title, repository and number; `undefined` when
   * there is no such work item, or it is not a pull request of a repository.
   */
  pullRequest(id: string): Promise<{ key: string; title: string; repository: string; number: number } | undefined>;
  /** Records feedback exactly as `ts.feedback.add()` (the person is who reports it: the verified user's person). */
  add(input: {
    person: string;
    category: FeedbackCategory;
    text: string;
    tool?: string;
    repository?: string;
    pullRequest?: number;
    paths?: string[];
  }): Promise<Feedback>;
}

/** The part of `ts.signals` an interaction handler needs: acknowledge or snooze one signal as a person. */
export interface InteractionSignals {
  ack(id: string, person: string): Promise<{ fingerprint: string; title: string }>;
  /** `duration` such as `1d` or `4h`. */
  snooze(id: string, person: string, duration: string): Promise<{ fingerprint: string; title: string; snoozedUntil?: string }>;
}

/** The input of `ts.actions.propose()`. */
export interface ActionProposal {
  /** An action type of the catalogue, e.g. `github.pr.merge`. */
  type: string;
  /** What it acts on, for people reading the approval: `acme/api#42`, `PAY-7`, `#payments`. */
  target: string;
  /** Checked against the action type's params schema. */
  params: Record<string, unknown>;
  /** Why the assistant proposes it; shown to the approver. */
  reason: string;
  /** Who proposes: the assistant's id or a person id. That person can never decide it. */
  requestedBy: string;
  /**
   * The person the requester acts for (the person calling an assistant through MCP). Under `require_approval`
   * they cannot decide it either; under `ask` they may approve what their own assistant proposed.
   */
  onBehalfOf?: string;
  /** The model proposing (`claude-opus-4`, an MCP client's `name/version`), recorded as the approval's `modelVersion`. */
  modelVersion?: string;
}

/**
 * What an interaction handler can use: read and decide approvals, propose an action, who an account belongs to,
 * and people's daily reports.
 */
export interface InteractionContext {
  readonly workspace: string;
  readonly log: Logger;
  /** The injected clock. */
  now(): Date;
  /** Read and decide approvals, with the policy's approver rules and the audit ledger. */
  readonly approvals: InteractionApprovals;
  /**
   * Records a person's answer to a pull request survey (`ts.surveys.answer`): refused with `survey_not_found` when they
   * were not asked, `survey_expired` when it closed; a repeat changes nothing (`already_answered`).
   */
  readonly surveys: {
    answer(answer: {
      pullRequest: string;
      person: string;
      role: 'author' | 'reviewer';
      assisted?: 'none' | 'partly' | 'mostly' | 'agent';
      tools?: readonly string[];
      quality?: number;
      guess?: boolean;
    }): Promise<{ status: 'recorded' | 'already_answered' }>;
  };
  /** Pulse surveys (`ts.pulse`): the questions rounds ask, and a person's answer to a round. */
  readonly pulse?: {
    questions(): { id: string; text: string }[];
    answer(input: {
      round: string;
      person: string;
      answers: Record<string, number>;
      comment?: string;
      shareComment?: boolean;
    }): Promise<{ status: 'recorded' | 'replaced' }>;
  };
  /** Proposes an action through the policy, exactly as `ts.actions.propose()` (it may run at once, wait, or be denied). */
  propose(proposal: ActionProposal): Promise<Approval>;
  /** People's daily reports: today, a draft, a submission (source `slack` for a Slack modal). */
  readonly reports: InteractionReports;
  /**
   * Acknowledge or snooze a signal as a person (the Acknowledge and Snooze buttons of a working agreement's nudge):
   * as `ts.signals.ack` and `ts.signals.snooze`; an unknown or resolved signal is refused with the reason.
   */
  readonly signals?: InteractionSignals;
  /**
   * What AI assistants got wrong (docs/ai-feedback.md): the pull request a stored work item is (its repository and
   * number, from its key `owner/name#n`), and `ts.feedback.add` (one `invalid_argument` error naming the field, nothing
   * written).
   */
  readonly feedback: InteractionFeedback;
  /** The person an account of `provider` is linked to (a Slack user id), or `undefined`; never creates one. */
  personFor(provider: Provider, externalId: string): Promise<string | undefined>;
  /**
   * Checks edited params against this instance's action type, without deciding or storing anything (to
   * answer a form at once); `ok: false` names every field (`params.text: …`) or an unknown action type.
   */
  checkParams(
    type: string,
    params: unknown,
  ): { ok: true; params: Record<string, unknown> } | { ok: false; message: string; issues: ValidationIssue[] };
}

/** What an interaction handler answers at once, and the work it leaves for after the answer. */
export interface InteractionResult {
  /** 200, or 400 for a payload that cannot be used. */
  status: 200 | 400;
  /**
   * The exact answer the provider expects: `null` sends an empty body (how Slack wants a button click
   * acknowledged), an object is sent as JSON (a Slack modal's `response_action`).
   */
  answer: Record<string, unknown> | null;
  /** A short name of what happened, recorded with the delivery and in the log, e.g. `block_actions`. */
  event: string;
  /**
   * The slow part, started after the answer is returned: deciding (which may execute the action),
   * opening a modal, telling a person why they cannot decide. Failures are logged, never answered.
   */
  after?: () => Promise<void>;
}

/**
 * How a connector receives interactive requests at `POST /webhooks/<path>`: a person clicked a button
 * or submitted a form (Slack interactivity), and the provider wants an answer within seconds. Core
 * checks the signature first (401 and nothing else when it fails), lets the handler answer, remembers the
 * request by `deliveryId` so a replay is answered without doing anything again, and runs `after` once
 * the answer is out. The HTTP server stays a thin adapter.
 *
 * @example
 * interactions: {
 *   path: 'chat/interactivity',
 *   verify: (request, now) => verifyChatSignature(secret, request, now),
 *   deliveryId: (request) => hmacSha256Hex('replay', request.rawBody),
 *   async handle(request, ctx) {
 *     const click = parseClick(request.rawBody)
 *     return { status: 200, answer: null, event: 'click', after: () => ctx.approvals.decide(click.approval, { decision: 'approve', by: click.person }).then(() => {}) }
 *   },
 * }
 */
export interface InteractionSpec {
  /** The contract version; may be left out (the connector's own version applies). */
  readonly specificationVersion?: 'v1';
  /** The path under `/webhooks/`, e.g. `slack/interactivity`. */
  readonly path: string;
  /** True when the signature over the raw body is valid and fresh; must compare in constant time. */
  verify(request: WebhookRequest, now: Date): boolean;
  /** The same value for a replay of the same request (a hash of the signed body); replays are answered and dropped. */
  deliveryId?(request: WebhookRequest): string | undefined;
  /** Parses the request and answers quickly; throw `WebhookPayloadError` for a payload that cannot be used (400). */
  handle(request: WebhookRequest, ctx: InteractionContext): Promise<InteractionResult>;
}
