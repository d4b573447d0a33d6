import type { BuiltinLists, Bundle, ImportResult } from './bundle.js';
import type { Agreements } from './features/agreements/agreements-api.js';
import type { AiImpact, AiImpactQuery } from './features/ai/ai-impact.js';
import type { FeedbackApi } from './features/feedback/feedback-api.js';
import type { ForecastApi } from './features/forecasts/index.js';
import type { GoalsApi } from './features/goals/index.js';
import type { IncidentsFeature } from './features/incidents/index.js';
import type { Knowledge } from './features/knowledge/knowledge-api.js';
import type { Leaderboard, LeaderboardQuery } from './features/leaderboard/leaderboard.js';
import type { MeetingPack } from './features/meetings/index.js';
import type { OAuth } from './features/oauth/oauth-api.js';
import type { OnboardingApi } from './features/onboarding/index.js';
import type { Reports } from './features/reports/reports-api.js';
import type { TimelineEntry, TimelineQuery } from './features/reports/timeline.js';
import type { Risks } from './features/risks/risks-api.js';
import type { WorkspaceSettings } from './features/settings/workspace-settings.js';
import type { Signals } from './features/signals/signals-api.js';
import type { Surveys } from './features/surveys/surveys-api.js';
import type { Tokens } from './features/tokens/tokens-api.js';
import type { Provider } from './kernel/model/common.js';
import type { Store } from './kernel/store/open-store.js';
import type { BundleSource } from './records/bundle/import-bundle-stream.js';
import type { LinkAccountResult } from './records/identity/link-account.js';
import type { AccountRef } from './records/identity/resolve-people.js';
import type { Overview } from './records/overview.js';
import type { Page, Readers } from './records/readers.js';
import type { SyncOptions, SyncResult } from './records/sync/run-sync.js';
import type { FreshnessReport, SyncLease } from './records/sync/sync-sources.js';
import type { Webhooks } from './records/webhooks/webhook-queue.js';
import type { Actions, Approvals } from './services/approvals/approvals-api.js';
import type { Policy } from './services/approvals/policy/compile-policy.js';
import type { AuditLedger } from './services/audit/audit-ledger.js';
import type { Metrics } from './services/metrics/create-metrics.js';
import type { People } from './services/privacy/people-api.js';
import type { Retention } from './services/retention/retention-api.js';
import type { Connector } from './spec/connector.js';

// The facade's type: one namespace per area (`ts.reports`, `ts.ai`, `ts.people` …) and the verbs of the whole store
// (`import`, `export`, `sync`, `overview`). Earlier top-level names stay as deprecated aliases until 1.0.

/** The teamstate SDK facade: typed readers, import/export, sync, actions, approvals and the audit ledger. */
export interface TeamState extends Omit<Readers, 'people' | 'incidents'> {
  /** Incidents: the list reader, `summaries` (every status, for `incident list`) and `brief(id)` (docs/incidents.md). */
  readonly incidents: Readers['incidents'] & IncidentsFeature;
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
  /** The compiled policy (built-in defaults when none was given); `policy.hash` is recorded on approvals. */
  readonly policy: Policy;
  /** Propose actions from the connectors' catalogue. */
  readonly actions: Actions;
  /** Read, decide, wait for and execute approvals. */
  readonly approvals: Approvals;
  /** The hash-chained audit ledger. */
  readonly audit: AuditLedger;
  /** Per-person tokens: create (shown once), list, revoke, authenticate. */
  readonly tokens: Tokens;
  /** The OAuth authorization server's state for remote MCP: clients, sign-ins (grants) and their tokens (docs/remote-mcp.md). */
  readonly oauth: OAuth;
  /**
   * The risk register (docs/hub.md#risk-register): `list`, `get`, and `create`, `update`, `close`, each proposed as the
   * action `risk.create|update|close` through the policy (built-in: `auto`), so the audit ledger records every change.
   */
  readonly risks: Risks;
  /**
   * Meeting packs (docs/hub.md#meeting-packs): sections of lines, each linked to its evidence (report, PR, issue,
   * signal, metric, risk), read through the reading rule: `ts.as(viewer).meetings` sees what that viewer may read.
   */
  readonly meetings: {
    /**
     * A 1:1 pack for a person over `[from, to)` (ISO timestamps or days; default the 14 days before now): their
     * reports, blockers, work and reviews, the wellbeing prompts the viewer may see, and the open risks they own.
     * @example const pack = await ts.as('lead').meetings.oneOnOne('ana', { from: '2026-03-02' })
     */
    oneOnOne(person: string, query?: { from?: string; to?: string }): Promise<MeetingPack>;
    /**
     * A retro pack for a team's sprint (default its latest closed sprint): carry-over, metric deltas against the
     * previous sprint, incidents, and the blockers people reported.
     * @example const pack = await ts.meetings.retro('payments', { sprint: 'pay-s8' })
     */
    retro(team: string, query?: { sprint?: string }): Promise<MeetingPack>;
  };
  /** Workspace settings kept with the data (`approvals.localTrust`); changes are audited. */
  readonly settings: WorkspaceSettings;
  /**
   * Signals: `refresh()` runs the detectors, `list()` reads what they found, `ack(id, { by })` and `snooze(id, { by, for })`
   * stop working agreements' nudges about one (docs/signals.md).
   */
  readonly signals: Signals;
  /**
   * Working agreements of the policy (docs/hub.md#working-agreements-and-nudges): `list()`, a nudges pass `nudge()`,
   * and `report({ team?, from, to })`.
   */
  readonly agreements: Agreements;
  /** Daily reports: `submit`, `list`, `search`, `draft`, and a person's `timeline` (docs/daily-reports.md). */
  readonly reports: Reports & {
    /**
     * A person's reports and activity merged in time order, oldest first, one page at a time: PRs opened, merged and
     * reviewed, issues (assigned to them) moved, production deployments that shipped their PRs. `from`/`to` are ISO
     * timestamps (`[from, to)`) or days `YYYY-MM-DD` (the person's whole local days).
     * @example const { items, nextCursor } = await ts.reports.timeline('ana', { from: '2026-03-16', to: '2026-03-20' })
     */
    timeline(person: string, query: TimelineQuery): Promise<Page<TimelineEntry>>;
  };
  /** AI impact: `impact` compares AI-assisted and other pull requests, `leaderboard` ranks people (docs/ai-impact.md). */
  readonly ai: {
    /**
     * AI-assisted vs other pull requests merged in `[from, to)`: n, cycle time, time to first review, review rounds and
     * size per group, the differences with seeded bootstrap 95% intervals, a plain-words verdict ("Not enough data"
     * below `minSample`), weekly adoption, the tools, reviewers' survey answers, tool usage, and the effect of the agent
     * rules teamstate proposed (docs/ai-impact.md#analysis).
     * @example const impact = await ts.ai.impact({ from: '2026-03-01', to: '2026-04-01', team: 'payments' })
     */
    impact(query: AiImpactQuery): Promise<AiImpact>;
    /**
     * Per measure (`reviews_given`, `prs_merged`, `survey_answers`, `guess_accuracy`; never AI usage), the top people
     * of `[from, to)` (default the 7 days before now), highest first, ties by person id; people who opted out of
     * `leaderboard` are left out (docs/ai-impact.md#leaderboard).
     * @example const board = await ts.ai.leaderboard({ from: '2026-03-09', to: '2026-03-16' })
     */
    leaderboard(query?: LeaderboardQuery): Promise<Leaderboard>;
  };
  /** Feedback about AI assistants: `add`, `patterns`, `suggestRules`, `effect` (docs/ai-feedback.md). */
  readonly feedback: FeedbackApi;
  /**
   * Pull request surveys (docs/ai-impact.md): which are `due`, `recordSent`, `answer`, and the `reveals` due once
   * author and reviewer have both answered. The Slack connector's `sendSlackSurveys(ts)` (run by `teamstate serve`)
   * sends them through the policy.
   */
  readonly surveys: Surveys;
  /** Retention: `run({ dryRun? })` archives and deletes expired rows, `restore(manifestPath)` brings them back (docs/daily-reports.md). */
  readonly retention: Retention;
  /** @deprecated Use `ts.ai.impact(query)`; kept until 1.0. */
  aiImpact(query: AiImpactQuery): Promise<AiImpact>;
  /** @deprecated Use `ts.ai.leaderboard(query)`; kept until 1.0. */
  leaderboard(query?: LeaderboardQuery): Promise<Leaderboard>;
  /** @deprecated Use `ts.reports.timeline(person, query)`; kept until 1.0. */
  timeline(person: string, query: TimelineQuery): Promise<Page<TimelineEntry>>;
  /**
   * Goals (docs/plans.md#goals): `list`, `get`, `add`, and `progress(id | { team, period })` with linked work, key
   * results and the allocation of merged pull requests and done points, each number with its rows.
   */
  readonly goals: GoalsApi;
  /**
   * Forecasts (docs/plans.md#forecasts): `ts.forecast({ team, items | epic | until })` runs a seeded Monte Carlo over
   * the team's daily throughput minus absences; `ts.forecast.backtest({ team, horizons })` says how often it held.
   */
  readonly forecast: ForecastApi;
  /** Onboarding (docs/plans.md#onboarding): a recent joiner's `plan`, the `joiners`, and `proposeMessages` to them and their leads. */
  readonly onboarding: OnboardingApi;
  /** Knowledge: `sync` the configured sources, `search` passages with citations, `whoKnows` a topic (docs/knowledge.md). */
  readonly knowledge: Knowledge;
  /** The injected clock. */
  now(): Date;
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
