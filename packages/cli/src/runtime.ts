import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { confluenceKnowledge } from '@teamstate/connectors/confluence';
import {
  createStderrLogger,
  createTeamState,
  type Embedder,
  httpEmbedder,
  type KnowledgeSource,
  type Logger,
  localKnowledge,
  parsePolicy,
  parseTimestamp,
  type TeamState,
  TeamStateError,
  type TeamStateOptions,
  type UnapprovedPolicyChange,
  unapprovedPolicyChange,
  unknownId,
} from '@teamstate/core';
import { columns, resolveDatabaseUrl, text } from '@teamstate/core/store';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import pc from 'picocolors';
import type { Config } from './config/config-schema.js';
import { defaultDatabase } from './config/default-database.js';
import { configSecretValues, findConfig, type LoadedConfig, loadConfig, secretValues } from './config/load-config.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { loadPolicyFileText } from './policy-file.js';

export type { Io };

/** Flags every command accepts. */
export interface GlobalOptions {
  db?: string;
  config?: string;
  workspace?: string;
  now?: string;
  json?: boolean;
  debug?: boolean;
  /** `text` (default) or `json`: the format of log lines on stderr. */
  logFormat?: string;
}

/**
 * The logger of a command (stderr; debug with `--debug`, else warnings and errors), as text or JSON lines
 * (`--log-format json`), with every secret of the config and the environment redacted by core's one redactor.
 */
export function commandLogger(globals: GlobalOptions, io: Io, loaded: LoadedConfig | undefined = configFor(globals, io)): Logger {
  const format = globals.logFormat ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--log-format: expected text or json, got ${JSON.stringify(format)}`);
  return createStderrLogger(globals.debug ? 'debug' : 'warn', io.stderr, {
    format,
    secrets: [...configSecretValues(loaded), ...secretValues(io.env)],
  });
}

/** The config file in effect (from `--config` or found walking up), or `undefined` when there is none. */
export function configFor(globals: GlobalOptions, io: Io): LoadedConfig | undefined {
  const path = findConfig(globals.config, io.cwd);
  return path ? loadConfig(path, io.env) : undefined;
}

/** An embedded replica's primary, from the config file's `database: { url, syncUrl, authToken?, syncInterval? }`. */
export interface ReplicaSettings {
  syncUrl: string;
  authToken?: string;
  syncInterval?: number;
}

/** A relative file path in the config is relative to the config file, not to where the command runs. */
function configuredDatabase(configured: string, configPath: string): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(configured) && !/^file:/i.test(configured);
  if (configured === ':memory:' || isUrl) return configured;
  const path = configured.replace(/^file:/i, '');
  return `file:${isAbsolute(path) ? path : resolve(dirname(configPath), path)}`;
}

/**
 * Database and workspace: flag, then environment, then config file, then the default (the project's, see
 * {@link defaultDatabase}). `database` is always a URL or
 * path (for an embedded replica, its local file); `replica` is set when the config makes it one (and no flag or
 * environment variable chose another database).
 */
export function storeSettings(
  globals: GlobalOptions,
  io: Io,
  loaded: LoadedConfig | undefined,
): { database: string; workspace?: string; replica?: ReplicaSettings } {
  let database = globals.db ?? io.env.TEAMSTATE_DB;
  let replica: ReplicaSettings | undefined;
  if (database === undefined && loaded?.config.database) {
    const configured = loaded.config.database;
    if (typeof configured === 'string') database = configuredDatabase(configured, loaded.path);
    else {
      database = configuredDatabase(configured.url, loaded.path);
      replica = { syncUrl: configured.syncUrl, authToken: configured.authToken, syncInterval: configured.syncInterval };
    }
  }
  return {
    database: database ?? defaultDatabase(io.cwd),
    workspace: globals.workspace ?? io.env.TEAMSTATE_WORKSPACE ?? loaded?.config.workspace,
    replica,
  };
}

/** The facade's `database` and `authToken` options for these settings (the token: the config's, else TEAMSTATE_DB_AUTH_TOKEN). */
export function databaseOptions(settings: ReturnType<typeof storeSettings>, io: Io): Pick<TeamStateOptions, 'database' | 'authToken'> {
  const authToken = settings.replica?.authToken ?? io.env.TEAMSTATE_DB_AUTH_TOKEN;
  if (!settings.replica) return { database: settings.database, authToken };
  return { database: { url: settings.database, ...settings.replica, authToken }, authToken };
}

/** The clock for `--now <iso>` (fixed instant) or the system clock. */
export function clockFrom(now: string | undefined): () => Date {
  if (now === undefined) return () => new Date();
  const ms = parseTimestamp(now);
  if (ms === undefined) throw new UsageError(`--now: invalid ISO timestamp "${now}" (expected e.g. 2026-03-01T09:00:00Z)`);
  return () => new Date(ms);
}

/**
 * The knowledge sources the config names (`knowledge.local`, `knowledge.github`, `knowledge.confluence`), relative
 * paths taken from the config file's folder. A source's client libraries load on its first sync.
 */
export function knowledgeSources(loaded: LoadedConfig | undefined): KnowledgeSource[] {
  const knowledge = loaded?.config.knowledge;
  if (!loaded || !knowledge) return [];
  const sources: KnowledgeSource[] = [];
  const { local, github, confluence } = knowledge;
  if (local)
    sources.push(
      localKnowledge({ paths: local.paths, baseDir: dirname(loaded.path), ...(local.visibility ? { visibility: local.visibility } : {}) }),
    );
  const connector = loaded.config.connectors?.github;
  // The config schema refused knowledge.github without connectors.github.
  if (github && connector) sources.push(githubKnowledgeSource(github, connector));
  if (confluence) sources.push(confluenceKnowledge(confluence));
  return sources;
}

/**
 * The parts of the config indexing knowledge uses (`knowledge.confluence`, `knowledge.embedder`, and `connectors.github`
 * for `knowledge.github`): `knowledge sync` and `sync` refuse to start when a variable they reference is not set
 * (`requireResolved`).
 */
export function knowledgeSections(loaded: LoadedConfig): string[] {
  return ['knowledge.confluence', 'knowledge.embedder', ...(loaded.config.knowledge?.github ? ['connectors.github'] : [])];
}

/**
 * `knowledge.github` as a source whose GitHub client is loaded only when it syncs (commands that do not index pay
 * nothing for octokit), with the credentials and host of `connectors.github`.
 */
function githubKnowledgeSource(
  github: NonNullable<NonNullable<Config['knowledge']>['github']>,
  connector: NonNullable<NonNullable<Config['connectors']>['github']>,
): KnowledgeSource {
  return {
    specificationVersion: 'v1',
    id: 'github',
    source: 'github',
    ...(github.visibility ? { visibility: github.visibility } : {}),
    async sync(ctx) {
      const { githubKnowledge } = await import('@teamstate/connectors/github');
      const source = githubKnowledge({
        ...(connector.app ? { app: connector.app } : { token: connector.token }),
        ...(connector.baseUrl ? { baseUrl: connector.baseUrl } : {}),
        repositories: github.repositories ?? connector.repositories ?? [],
        ...(github.paths ? { paths: github.paths } : {}),
        ...(github.visibility ? { visibility: github.visibility } : {}),
      });
      await source.sync(ctx);
    },
  };
}

/** The config's `knowledge.embedder` (an OpenAI-compatible embeddings API), if any. */
export function knowledgeEmbedder(loaded: LoadedConfig | undefined): Embedder | undefined {
  const embedder = loaded?.config.knowledge?.embedder;
  return embedder === undefined ? undefined : httpEmbedder(embedder);
}

const withEmbedder = (embedder: Embedder | undefined) => (embedder === undefined ? {} : { embedder });

/** How a command opens the database: read commands never create one. */
export interface OpenMode {
  /** True for the commands that fill a workspace (`demo`, `import`, `sync`, `serve`): they may create the file. */
  create?: boolean;
}

/**
 * Refuses to open a local database file that does not exist, unless the command creates one: a typo in `--db`
 * must not read as an empty workspace where all is clear.
 */
export function requireExistingDatabase(database: string | undefined): void {
  const { localPath } = resolveDatabaseUrl(database);
  if (localPath === undefined || existsSync(localPath)) return;
  throw new TeamStateError(
    'not_found',
    `database: there is no database at ${localPath}; create one with teamstate demo, teamstate import <file> or teamstate sync (read commands never create one), or check --db / TEAMSTATE_DB`,
  );
}

export async function openTeamState(
  globals: GlobalOptions,
  io: Io,
  extra: Partial<TeamStateOptions> = {},
  mode: OpenMode = {},
): Promise<TeamState> {
  const loaded = configFor(globals, io);
  const settings = storeSettings(globals, io, loaded);
  // Flags and config are checked first, so their mistakes are reported as such.
  const clock = clockFrom(globals.now);
  const policyFile = loadPolicyFileText(undefined, io);
  const policy =
    policyFile?.document ?? (loaded?.policy === undefined ? undefined : parsePolicy(loaded.policy, `The policy in ${loaded.path}`));
  // The policy that runs is the approved version in the database; the configured one is adopted as version 1.
  const approvedPolicy = {
    text: extra.policy === undefined ? (policyFile?.text ?? loaded?.policyText) : undefined,
    onUnapprovedChange: (change: UnapprovedPolicyChange) => warnUnapprovedPolicy(io, change),
  };
  // An embedded replica's local file is made on first use: its data is the primary's.
  if (!mode.create && !settings.replica) requireExistingDatabase(settings.database);
  // The config's people[].optOut, stored with the data (an empty list clears what the config declared before).
  const optOuts = loaded ? Object.fromEntries((loaded.config.people ?? []).map((p) => [p.id, p.optOut ?? []])) : undefined;
  const open = (withOptOuts: boolean, adopt = true) =>
    createTeamState({
      workspace: settings.workspace,
      ...databaseOptions(settings, io),
      policy,
      approvedPolicy: { ...approvedPolicy, adopt },
      signals: [...builtinSignals, unapprovedPolicyChange],
      signalSettings: loaded?.config.signals,
      metrics: builtinMetrics,
      metricSettings: loaded?.config.metrics,
      surveys: loaded?.config.surveys,
      workTypes: loaded?.config.workTypes,
      pulse: loaded?.config.pulse,
      alerts: loaded?.config.alerts,
      leaderboard: loaded?.config.leaderboard,
      ai: loaded?.config.ai,
      ...(optOuts && withOptOuts ? { optOuts } : {}),
      ...(loaded?.config.retention ? { retention: retentionFrom(loaded) } : {}),
      clock,
      logger: commandLogger(globals, io, loaded),
      knowledge: { sources: knowledgeSources(loaded), ...withEmbedder(knowledgeEmbedder(loaded)) },
      ...extra,
      // `--now` is for reading: proposals, decisions, executions, expiry and the audit ledger use the real clock.
      approvals: { ...extra.approvals, clock: () => new Date() },
    });
  if (mode.create) return open(true);
  // A command that reads checks the workspace before the config's opt-outs are written to it.
  const declaresOptOuts = Object.values(optOuts ?? {}).some((kinds) => kinds.length > 0);
  // Nor is the configured policy adopted as version 1 before then: a mistyped workspace is left unchanged.
  const ts = await open(!declaresOptOuts, false);
  let adopts: boolean;
  try {
    await requireKnownWorkspace(ts, workspaceField(globals, io, loaded));
    adopts = policy !== undefined && (await ts.policy.active()) === undefined;
  } catch (error) {
    await ts.close();
    throw error;
  }
  if (!declaresOptOuts && !adopts) return ts;
  await ts.close();
  return open(true);
}

/** The processes (their `Io`) already told that the configured policy is not the approved one: once is enough. */
const warnedUnapproved = new WeakSet<Io>();

/**
 * Warns on stderr (never stdout: the stdio MCP server's is JSON-RPC) that the configured policy differs from the
 * approved version, which runs instead, and how to get the change approved.
 */
function warnUnapprovedPolicy(io: Io, change: UnapprovedPolicyChange): void {
  if (warnedUnapproved.has(io)) return;
  warnedUnapproved.add(io);
  io.stderr(
    `warning: the configured policy differs from approved policy version ${change.active.version}, which runs instead; propose the change with \`teamstate policy propose <file>\` and have it approved (teamstate policy show prints the approved version)\n`,
  );
}

/** Where the workspace came from, as the field an error names: the flag, the variable, or the config file's key. */
function workspaceField(globals: GlobalOptions, io: Io, loaded: LoadedConfig | undefined): string {
  if (globals.workspace !== undefined) return '--workspace';
  if (io.env.TEAMSTATE_WORKSPACE !== undefined) return 'TEAMSTATE_WORKSPACE';
  return loaded?.config.workspace !== undefined ? `workspace (in ${loaded.path})` : '--workspace';
}

const workspaceRows = columns({ workspace: text });

/**
 * Refuses a workspace that has no team and no person while others in the store have some: a mistyped `--workspace`
 * must not read as an empty workspace where all is clear. A store where no workspace has any (nothing synced or
 * imported yet) is left alone.
 */
async function requireKnownWorkspace(ts: TeamState, field: string): Promise<void> {
  const filled = await ts.store.execute(
    'SELECT 1 AS found WHERE EXISTS (SELECT 1 FROM teams WHERE workspace = ?1) OR EXISTS (SELECT 1 FROM people WHERE workspace = ?1)',
    [ts.workspace],
  );
  if (filled.rows.length > 0) return;
  const { rows } = await ts.store.execute(
    'SELECT DISTINCT workspace FROM teams UNION SELECT DISTINCT workspace FROM people ORDER BY workspace',
  );
  const known = workspaceRows.all(rows).map((row) => row.workspace);
  if (known.length > 0) throw unknownId(field, ts.workspace, known, { what: 'workspace' });
}

/** The config's `retention:` section, its archive folder relative to the config file. */
function retentionFrom(loaded: LoadedConfig): TeamStateOptions['retention'] {
  const retention = loaded.config.retention ?? {};
  const { archive } = retention;
  return archive === undefined ? retention : { ...retention, archive: resolve(dirname(loaded.path), archive) };
}

/**
 * Refuses `--now` on a command that records something (a decision, a post): `--now` is for reading, and
 * what is recorded happens at the real time.
 */
export function refuseNow(globals: GlobalOptions, command: string): void {
  if (globals.now === undefined) return;
  throw new UsageError(
    `--now: ${command} records what happens at the real time, so it does not take --now (which is for reading); leave it out`,
  );
}

/** Runs `fn` with an open facade and always closes it. */
export async function withTeamState<T>(
  globals: GlobalOptions,
  io: Io,
  fn: (ts: TeamState) => Promise<T>,
  extra?: Partial<TeamStateOptions>,
  mode?: OpenMode,
): Promise<T> {
  const ts = await openTeamState(globals, io, extra, mode);
  try {
    return await fn(ts);
  } finally {
    await ts.close();
  }
}

/** Colour helpers that are no-ops when stdout is not a TTY or NO_COLOR is set. */
export function colors(io: Io) {
  return pc.createColors(io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
}

/**
 * JSON for a terminal: indented, with every character a terminal could act on escaped (`JSON.stringify` escapes
 * C0 controls; C1 controls, DEL, line and paragraph separators and bidirectional overrides and isolates are escaped
 * here too), so what people wrote is shown exactly as stored, never acted on, and it is still the same JSON.
 */
export function terminalJson(value: unknown, indent: number | undefined = 2): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Prints exactly one JSON document (see {@link terminalJson}). */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${terminalJson(value)}\n`);
}
