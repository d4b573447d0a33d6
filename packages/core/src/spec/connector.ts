import type { Logger } from '../kernel/logger.js';
import type { AiAssessment, AiDetectionInput } from '../kernel/model/ai.js';
import type { Provider } from '../kernel/model/common.js';
import type { ActionType } from './action-type.js';
import type { ApprovalChannel } from './approval-channel.js';
import type { InteractionSpec } from './interaction.js';
import type { AccountRef, LinksReplaced, RecordKind, SyncBatch } from './records.js';
import type { RepositoryFiles } from './repository-files.js';
import type { WebhookSpec } from './webhook.js';

export type { AccountRef, LinksReplaced, RecordKind, SyncBatch };

/** A progress update from a running connector. */
export interface SyncProgress {
  /** Connector id. */
  connector: string;
  /** What it is doing now, e.g. `pull requests acme/api`. */
  phase?: string;
  /** Records stored so far in this run. */
  items?: number;
  /** Pages fetched so far. */
  pages?: number;
  /** Expected total, when known (for an ETA). */
  total?: number;
  /** Set while waiting on a rate limit: how long the wait is. */
  waitingMs?: number;
  message?: string;
}

/** What core gives a connector's `sync()`: persistence, cursors, progress, cancellation and time. */
export interface SyncContext {
  readonly connector: string;
  readonly workspace: string;
  /** Aborted on Ctrl-C or by the caller; `emit` refuses to start a batch once it is. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The injected clock. */
  now(): Date;
  /** A cursor this connector stored in an earlier batch (e.g. `pulls:acme/api`). */
  getCursor(key: string): Promise<string | undefined>;
  /**
   * Validates and stores a batch of records together with cursor updates, in one transaction,
   * so a crash never loses or duplicates data. Throws a `sync_aborted` error if the run was cancelled.
   * `replaceLinks` names the work items whose links the batch carries in full: their stored links of those kinds
   * that the batch does not carry are removed (a link deleted at the source).
   */
  emit(batch: SyncBatch, options?: { cursors?: Record<string, string>; replaceLinks?: LinksReplaced }): Promise<void>;
  /** Which of `ids` already exist in this workspace (e.g. to link people without overwriting them). */
  existing(kind: RecordKind, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Stored work items of `repository` whose head commit (`headSha`) is one of `shas`, as sha → work item id: finds
   * a pull request merged by fast-forward (its head commit lands on the branch) that an earlier sync stored. A stored
   * hash abbreviated to at least 7 characters matches the full hash it begins; case is ignored.
   */
  workItemsByHead(repository: string, shas: readonly string[]): Promise<Map<string, string>>;
  /**
   * Person ids for accounts (existing link, then email, then a configured override, else a new person),
   * linking them in the store; `undefined` for bots. Use these ids as `author`, `assignees`, `reviewer`.
   */
  resolvePeople(accounts: readonly AccountRef[]): Promise<(string | undefined)[]>;
  /**
   * AI detection with the workspace's lists (built-in plus config `ai:`): pass what a pull request shows (author,
   * commits with messages and identities, labels, body) and put the result on the work item as `ai`.
   */
  detectAi(input: AiDetectionInput): AiAssessment;
  /** Reports progress (the CLI shows it; rate-limit waits set `waitingMs`). */
  progress(update: Omit<SyncProgress, 'connector'>): void;
  /** Waits `ms`, reporting it as a rate-limit wait; rejects if the run is cancelled. */
  sleep(ms: number, reason: string): Promise<void>;
}

/**
 * A source of team data (GitHub, Jira, Slack, the demo). Plain object; `specificationVersion`
 * lets core evolve the contract without breaking third-party connectors.
 *
 * @example
 * const myConnector: Connector = {
 *   specificationVersion: 'v1', id: 'my-tracker', providers: ['my-tracker'],
 *   async sync(ctx) { await ctx.emit({ teams: [{ id: 'core', name: 'Core' }] }) },
 * }
 */
export interface Connector {
  readonly specificationVersion: 'v1';
  /** Unique id, used by `--only` and for cursors. */
  readonly id: string;
  readonly description?: string;
  /**
   * The identity providers of the accounts this connector syncs (`['github']`, `['gitlab']`): lowercase letters,
   * digits, `-` and `_`. The set of providers is open; a connector declares its own, and `connectorContract`
   * checks that every account it syncs is at one of them.
   */
  readonly providers?: readonly Provider[];
  sync(ctx: SyncContext): Promise<void>;
  /** Receives `POST /webhooks/<provider>` deliveries (see `teamstate serve`). */
  readonly webhooks?: WebhookSpec;
  /** Actions this connector can carry out once the policy (and a person, where it says so) allows. */
  readonly actions?: readonly ActionType[];
  /**
   * Receives interactive requests (a person clicked a button, submitted a form, typed a slash command) at
   * `POST /webhooks/<path>`: one spec, or several with different paths.
   */
  readonly interactions?: InteractionSpec | readonly InteractionSpec[];
  /** Shows pending approvals to the people who can decide them and keeps the messages up to date. */
  readonly approvalChannel?: ApprovalChannel;
  /** Reads files of the repositories it syncs from their default branch (agent instruction files). */
  readonly repositoryFiles?: RepositoryFiles;
  /** Says which webhooks upstream it needs and which of them are missing or wrong (`teamstate webhooks install`). */
  readonly webhookInstall?: WebhookInstall;
}

/**
 * One webhook a connector needs upstream, as `webhookInstall.plan()` found it: `ok` (there, as wanted), or `create` /
 * `repair` with the action that makes it so (proposed through the policy; its params never hold the secret, which the
 * connector adds from its own configuration when it executes).
 */
export interface WebhookInstallStep {
  /** What the hook is for, e.g. `organization acme` or `repository acme/api` or `projects PAY, OPS`. */
  readonly scope: string;
  readonly status: 'ok' | 'create' | 'repair';
  /** Why it needs repairing (what differs), or what is created. */
  readonly detail: string;
  /** The action to propose, for `create` and `repair`. */
  readonly action?: { readonly type: string; readonly target: string; readonly params: Record<string, unknown> };
}

/** Reads the webhooks upstream and compares them with those pointing at `url` that the connector needs. */
export interface WebhookInstall {
  plan(ctx: { url: string; now(): Date; signal?: AbortSignal }): Promise<WebhookInstallStep[]>;
}
