import type { Logger } from '../kernel/logger.js';
import type { AiAssessment, AiDetectionInput } from '../kernel/model/ai.js';
import type { AccountRef, LinksReplaced, RecordKind, SyncBatch } from './records.js';

/** Records that no longer exist upstream (an issue or sprint deleted in Jira), by id. */
export interface RecordRemoval {
  /** Work items to delete with their assignees, reviews, transitions and sprint/deployment links. */
  workItems?: string[];
  /** Sprints to delete; work items pointing at them keep no sprint. */
  sprints?: string[];
}

/** An incoming webhook request, as the HTTP server received it. */
export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The exact bytes received: signatures are computed over them, before any parsing. */
  rawBody: Buffer;
}

/** What a connector's webhook handler can use. */
export interface WebhookContext {
  readonly workspace: string;
  readonly log: Logger;
  now(): Date;
  existing(kind: RecordKind, ids: readonly string[]): Promise<Set<string>>;
  /** As `SyncContext.resolvePeople`. */
  resolvePeople(accounts: readonly AccountRef[]): Promise<(string | undefined)[]>;
  /** As `SyncContext.detectAi`. */
  detectAi(input: AiDetectionInput): AiAssessment;
  /** Aborted when the attempt runs too long or teamstate closes: pass it to upstream requests. */
  readonly signal: AbortSignal;
}

/** A verified, parsed delivery. */
export interface WebhookEvent {
  /** e.g. `pull_request`, `jira:issue_updated`. */
  name: string;
  deliveryId: string;
  payload: unknown;
  headers: Record<string, string | undefined>;
}

/**
 * What the handler made of an event: records to store (in the delivery's transaction) and, optionally,
 * records deleted upstream to remove in the same transaction; or nothing. `retry` says the records are
 * incomplete (what the payload itself carries, because reading the rest back failed) and why: they are
 * stored, and the delivery is handled again after a back-off. `replaceLinks`, as in `SyncContext.emit`, names
 * the work items whose links `records.workItemLinks` carries in full: their other stored links of those kinds
 * are removed (not for an item the delivery is older than).
 */
export type WebhookOutcome =
  | { records: SyncBatch; remove?: RecordRemoval; retry?: string; replaceLinks?: LinksReplaced }
  | { ignored: string };

/**
 * How a connector receives webhooks at `POST /webhooks/<provider>`. Core does the rest: signature
 * first (401 and nothing stored when it fails), then parsing (400), deduplication by delivery id, the
 * raw delivery stored in a queue, and `handle` called from that queue (answered 202); a `handle` that
 * throws is called again after a back-off (a `WebhookPayloadError` is never retried), and the records
 * are written with the delivery's new status in one transaction.
 */
export interface WebhookSpec {
  /** The contract version; may be left out (the connector's own version applies). */
  readonly specificationVersion?: 'v1';
  /** The path segment, e.g. `github`. */
  readonly provider: string;
  /** True when the signature over the raw body is valid; must compare in constant time. */
  verify(request: WebhookRequest, now: Date): boolean;
  /** The provider's delivery id (e.g. `X-GitHub-Delivery`), used for deduplication. */
  deliveryId(request: WebhookRequest): string | undefined;
  /** The event name from headers or payload. */
  eventName(request: WebhookRequest, payload: unknown): string | undefined;
  /**
   * Maps the event to records; throw `WebhookPayloadError` when the payload cannot be used (400), before
   * calling upstream. Any other error is a failed attempt, retried later. May be called more than once
   * for one delivery.
   */
  handle(event: WebhookEvent, ctx: WebhookContext): Promise<WebhookOutcome>;
}
