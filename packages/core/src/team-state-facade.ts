import type { BuiltinLists, Bundle, ImportResult } from './bundle.js';
import type { BuiltinFeature } from './features/index.js';
import type { Provider } from './kernel/model/common.js';
import type { Store } from './kernel/store/open-store.js';
import type { BundleSource } from './records/bundle/import-bundle-stream.js';
import type { LinkAccountResult } from './records/identity/link-account.js';
import type { AccountRef } from './records/identity/resolve-people.js';
import type { Overview } from './records/overview.js';
import type { Readers } from './records/readers.js';
import type { SyncOptions, SyncResult } from './records/sync/run-sync.js';
import type { FreshnessReport, SyncLease } from './records/sync/sync-sources.js';
import type { Webhooks } from './records/webhooks/webhook-queue.js';
import type { Actions, Approvals } from './services/approvals/index.js';
import type { PolicyApi } from './services/approvals/policy/policy-api.js';
import type { AuditLedger } from './services/audit/audit-ledger.js';
import type { FeatureApis } from './services/feature-kit/index.js';
import type { Metrics } from './services/metrics/index.js';
import type { People } from './services/privacy/people-api.js';
import type { Retention } from './services/retention/index.js';
import type { SpendLedger } from './services/spend/index.js';
import type { Connector } from './spec/connector.js';

// The facade's type: one namespace per area (`ts.reports`, `ts.ai`, `ts.people` …) and the verbs of the whole store
// (`import`, `export`, `sync`, `overview`). Earlier top-level names stay as deprecated aliases until 1.0.

/** What the built-in features add to the facade: `ts.<name>` for each (`ts.reports`, `ts.signals`, `ts.goals` …). */
export type FeatureNamespaces = FeatureApis<BuiltinFeature>;

/**
 * The teamstate SDK facade: typed readers, import/export, sync, actions, approvals and the audit ledger (core's own),
 * and one namespace per feature (`FeatureNamespaces`: reports, signals, knowledge, risks, goals, forecast …).
 */
export interface TeamState extends Omit<Readers, 'people' | 'incidents' | 'workItems'>, FeatureNamespaces {
  /**
   * Work items: `list`, `get`, and `dependencies(idOrKey)`: what blocks the item and what it blocks, with depths and
   * the roots to start from (docs/allocation.md#dependencies).
   */
  readonly workItems: Readers['workItems'] & { dependencies: FeatureNamespaces['dependencies']['of'] };
  /**
   * People: `list`, `get`, `unmatched`, `link` an account, `resolve` accounts to person ids, and their data:
   * `export`, `erase`, `optOut`, `optIn`, `optOuts`.
   */
  readonly people: People<BuiltinLists> & {
    /**
     * Links an existing account to an existing person (`teamstate people link`); a person left without
     * accounts is merged into `person`.
     * @example await ts.people.link({ provider: 'jira', id: '5f00aa' }, 'ana')
     */
    link(account: { provider: Provider; id: string }, person: string): Promise<LinkAccountResult>;
    /** Person ids for accounts, linking them; what connectors use through their context. */
    resolve(accounts: readonly AccountRef[]): Promise<(string | undefined)[]>;
    /**
     * The person an account is linked to, or `undefined`; never creates or links anything (an OAuth sign-in).
     * @example await ts.people.linkedTo({ provider: 'github', id: '583231' })
     */
    linkedTo(account: { provider: Provider; id: string }): Promise<string | undefined>;
  };
  readonly workspace: string;
  /** The underlying store, for extensions (metric calculators, custom queries). */
  readonly store: Store;
  readonly connectors: readonly Connector[];
  /**
   * The policy that runs (built-in defaults when none was given; `policy.hash` is recorded on approvals), its approved
   * versions, and changes to it: `ts.policy.simulate(doc, { days })`, `ts.policy.propose(...)`, `ts.policy.history()`.
   */
  readonly policy: PolicyApi;
  /** Propose actions from the connectors' catalogue. */
  readonly actions: Actions;
  /** Read, decide, wait for and execute approvals. */
  readonly approvals: Approvals;
  /** The hash-chained audit ledger. */
  readonly audit: AuditLedger;
  /**
   * What teamstate's own paid calls cost this month (embeddings, actions with a declared cost) and the policy's
   * `limits.max_monthly_cost_usd` (docs/security.md#cost-cap).
   * @example const { month, usd, capUsd } = await ts.spend.month()
   */
  readonly spend: SpendLedger;
  /** Retention: `run({ dryRun? })` archives and deletes expired rows, `restore(manifestPath)` brings them back (docs/daily-reports.md). */
  readonly retention: Retention;
  /** @deprecated Use `ts.ai.impact(query)`; kept until 1.0. */
  aiImpact: FeatureNamespaces['ai']['impact'];
  /** @deprecated Use `ts.ai.leaderboard(query)`; kept until 1.0. */
  leaderboard: FeatureNamespaces['ai']['leaderboard'];
  /** @deprecated Use `ts.reports.timeline(person, query)`; kept until 1.0. */
  timeline: FeatureNamespaces['reports']['timeline'];
  /** The injected clock. */
  now(): Date;
  /**
   * The policy's free-text redaction (`limits.pii_redaction`) applied to a value: every string in it but those of
   * structured fields (ids, keys, SHAs, URLs, timestamps). The facade's reads already return through it; code that reads
   * the store itself (a digest's own query) passes what it shows a reader through it (docs/security.md#pii-redaction).
   * @example ts.redact({ key: 'PAY-131', title: 'Call +44 20 7946 0958' }) // strict: { key: 'PAY-131', title: 'Call [phone]' }
   */
  redact<V>(value: V): V;
  /** Validates and imports a `teamstate.bundle/v1` document in one transaction. */
  import(bundle: unknown): Promise<ImportResult>;
  /**
   * Imports a `teamstate.bundle/v1` file (a path) or byte stream without holding it in memory, with the guarantees
   * of `import`: one transaction, idempotent, every problem with its JSON path, the store untouched on failure.
   * @example await ts.importFile('company.bundle.json')
   */
  importFile(source: BundleSource): Promise<ImportResult>;
  /** The workspace as a `teamstate.bundle/v1` document. */
  export(): Promise<Bundle>;
  /** The workspace at a glance (totals, and per team: PRs, deployments, incidents, WIP, the active sprint), at the clock's now. */
  overview(query?: { team?: string }): Promise<Overview>;
  /**
   * Webhooks. `receive(path, request)` takes requests to `POST /webhooks/<path>` (the HTTP server calls
   * it): deliveries for the connectors that declare `webhooks` (`path` is their provider), stored and then
   * processed from a queue with retries, and interactive requests for those that declare `interactions`
   * (`path` such as `slack/interactivity`; send `answer` instead of `body` when it is set). `list`,
   * `retry(id)` and `drain()` show and replay the queue.
   * @example for (const d of await ts.webhooks.list({ failed: true })) await ts.webhooks.retry(d.id, { provider: d.provider })
   */
  readonly webhooks: Webhooks;
  /** @deprecated Use `ts.people.resolve(accounts)`; kept until 1.0. */
  resolvePeople(accounts: readonly AccountRef[]): Promise<(string | undefined)[]>;
  /** @deprecated Use `ts.people.link(account, person)`; kept until 1.0. */
  linkAccount(account: { provider: Provider; id: string }, person: string): Promise<LinkAccountResult>;
  /** Runs the configured connectors. */
  sync(options?: SyncOptions): Promise<SyncResult>;
  /**
   * How fresh each source is: per configured connector (and any that ever synced), when its last sync ended and
   * whether it succeeded, when it last delivered a webhook, and the seconds since its newest data (docs/hub.md).
   * `sources` lists more ids (connectors configured but not built here), never synced ones with nulls.
   * @example const { sources } = await ts.freshness() // [{ source: 'github', lastSync, lastSyncOk, lastWebhook, lagSeconds }]
   */
  freshness(query?: { sources?: readonly string[] }): Promise<FreshnessReport>;
  /**
   * Takes the sync lease of `connector` for `holder` (free, expired or already theirs) for `ttlMs`: `serve` syncs a
   * connector only while it holds it, renews it during the sync and releases it after, so two processes never sync
   * one connector at once, and a holder that died is taken over once its lease expired.
   * @example const lease = await ts.syncLease('github', { holder: 'host-1234', ttlMs: 60_000 }); if (lease.acquired) …
   */
  syncLease(connector: string, lease: { holder: string; ttlMs: number }): Promise<SyncLease>;
  /** The shared records as a whole. */
  readonly records: {
    /**
     * Removes every shared record of the workspace (teams, people, repositories, work items, sprints, deployments,
     * incidents), the signals derived from them and `connector`'s sync cursors, in one transaction. Approvals, the
     * audit ledger, reports, tokens and settings stay. `teamstate demo` uses it to replace an older demo organisation.
     * @example await ts.records.clear('demo')
     */
    clear(connector: string): Promise<void>;
  };
  /** The registered metrics: `list()`, `compute(ids, query)`, `explain(id, query)`. */
  readonly metrics: Metrics;
  /**
   * The same facade, reading as `person` (or as a credential that names nobody: `{}`): reports, timelines, feedback
   * text, wellbeing signals and knowledge follow the reading rule and the policy's `privacy`
   * (docs/security.md#who-may-read-what); without `as`, the facade reads as the database's owner: everything.
   * @example const mine = await ts.as('ana').reports.search('vendor sandbox')
   */
  as(viewer: string | { person?: string; scopes?: readonly string[] }): TeamState;
  close(): Promise<void>;
}
