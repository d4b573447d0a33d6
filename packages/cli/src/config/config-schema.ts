import { type ConnectorName, connectorRegistry } from '@teamstate/connectors/registry';
import { absenceSchema, aiConfigSchema, goalSchema, parseDuration, retentionOptionsSchema, workTypeRuleSchema } from '@teamstate/core';
import { z } from 'zod';
import { authConfigSchema, mcpConfigSchema, replicaConfigSchema, serverConfigSchema } from './config-schema-access.js';
import { knowledgeConfigSchema } from './config-schema-knowledge.js';
import { personConfigSchema, teamConfigSchema } from './config-schema-people.js';

/** A schedule interval: a positive whole number and a unit, `s`, `m`, `h` or `d` (`30s`, `15m`, `1h`, `1d`). */
export const intervalSchema = z
  .string()
  .refine((value) => parseDuration(value) !== undefined, { error: 'expected an interval such as 30s, 15m, 1h or 1d' });

/** What every connector section may add to its connector's own settings: how often `serve` syncs it. */
const scheduledConnectorFields = { syncEvery: intervalSchema.optional() };

/**
 * `connectors`: one section per registered connector (`@teamstate/connectors/registry`), each validated by
 * the schema its connector owns, plus `syncEvery` (the connector's own sync interval in `serve`, instead of `schedule.sync`).
 */
const connectorsSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(connectorRegistry).map(([name, registration]) => [
      name,
      registration.configSchema.safeExtend(scheduledConnectorFields).optional(),
    ]),
  ) as unknown as {
    [Name in ConnectorName]: z.ZodOptional<
      z.ZodType<z.output<(typeof connectorRegistry)[Name]['configSchema']> & { syncEvery?: string | undefined }>
    >;
  },
);

/**
 * `schedule`: how often `serve` runs each of its jobs (docs/hub.md): incremental `sync` of every connector (default
 * 15m; a connector's `syncEvery` wins), `signals` refresh (5m), `nudges` (10m), `retention` (1d), personal `alerts` (5m)
 * and the period of the risk digest posted to each team's channel (`riskDigest`, 7d); `leaseTtl` is how long a sync lease lasts without
 * renewal (1m), so how soon another process takes over from one that died.
 */
export const scheduleConfigSchema = z.strictObject({
  sync: intervalSchema.optional(),
  signals: intervalSchema.optional(),
  nudges: intervalSchema.optional(),
  retention: intervalSchema.optional(),
  riskDigest: intervalSchema.optional(),
  alerts: intervalSchema.optional(),
  leaseTtl: intervalSchema.optional(),
});

const threshold = z.union([z.number(), z.string(), z.array(z.string())]);
const thresholds = z.record(z.string(), z.record(z.string(), threshold));

/** `signals`: thresholds for everyone (`thresholds[kind]`), per team (`teams[team][kind]`), and the working week. */
export const signalsConfigSchema = z.strictObject({
  thresholds: thresholds.optional(),
  teams: z.record(z.string(), thresholds).optional(),
  workingHours: z
    .strictObject({
      start: z.number().int().min(0).max(23).optional(),
      end: z.number().int().min(1).max(24).optional(),
      days: z.array(z.number().int().min(0).max(6)).optional(),
      timeZone: z
        .string()
        .refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', {
          error: 'expected an IANA time zone, e.g. Europe/Berlin',
        })
        .optional(),
    })
    .optional(),
});

/** `metrics`: the tunable parts of the metric definitions (docs/metrics.md, Settings). */
export const metricsConfigSchema = z.strictObject({
  productionEnvironments: z.array(z.string().min(1)).min(1).optional(),
  reworkLabels: z.array(z.string().min(1)).min(1).optional(),
  waitingStatuses: z.array(z.string().min(1)).min(1).optional(),
  doraBenchmarks: z.enum(['2023', '2021']).optional(),
});

/** `teamstate.config.yaml` (docs/configuration.md). */
export const configSchema = z.strictObject({
  /** A file path, `file:` URL, `:memory:`, a `libsql://` / `http(s)://` URL, or an embedded replica. */
  database: z.union([z.string().min(1), replicaConfigSchema]).optional(),
  workspace: z.string().min(1).optional(),
  connectors: connectorsSchema.optional(),
  teams: z.array(teamConfigSchema).optional(),
  people: z.array(personConfigSchema).optional(),
  /** Goals (docs/plans.md#goals), written on each sync like the teams. */
  goals: z.array(goalSchema).optional(),
  /** Absences `{ person, from, to }` (days, inclusive): forecasts count them out (docs/plans.md#forecasts). */
  absences: z.array(absenceSchema).optional(),
  /** Work types for allocation (docs/allocation.md): `[{ type, when: { labels?, issueTypes?, epics?, paths?, titleMatches? } }]`, first match wins. */
  workTypes: z.array(workTypeRuleSchema).optional(),
  signals: signalsConfigSchema.optional(),
  metrics: metricsConfigSchema.optional(),
  mcp: mcpConfigSchema.optional(),
  /** Sign-in for the remote MCP endpoint (OAuth 2.1): `{ github: { clientId, clientSecret, baseUrl? } }` or `{ slack: { … } }`. */
  auth: authConfigSchema.optional(),
  /** `{ publicUrl }`: where people and providers reach `teamstate serve`. */
  server: serverConfigSchema.optional(),
  /** AI detection: entries added to the built-in lists (docs/ai-impact.md#extending-the-lists). */
  ai: aiConfigSchema.optional(),
  knowledge: knowledgeConfigSchema.optional(),
  /** `localTrust: true`: `approvals approve|decline --as <person>` works without a credential (anyone with a shell here can approve as anyone). */
  approvals: z.strictObject({ localTrust: z.boolean().optional() }).optional(),
  /**
   * Pull request surveys in Slack (docs/ai-impact.md): `{ enabled, teams, sample, quietHours, expireAfter }`; the values
   * are checked when teamstate opens (a share, `HH:MM-HH:MM`, a duration).
   */
  surveys: z
    .strictObject({
      enabled: z.boolean().optional(),
      teams: z.array(z.string().min(1)).optional(),
      sample: z.number().optional(),
      quietHours: z.string().optional(),
      expireAfter: z.string().optional(),
    })
    .optional(),
  /**
   * Pulse surveys by Slack DM (docs/people-health.md#pulse-surveys): `{ every, day, time, questions, minGroup, teams }`;
   * checked when teamstate opens. `serve` sends a round on this schedule when Slack is configured.
   */
  pulse: z
    .strictObject({
      every: z.string().optional(),
      day: z.string().optional(),
      time: z.string().optional(),
      questions: z.array(z.union([z.string().min(1), z.strictObject({ id: z.string().min(1), text: z.string().min(1) })])).optional(),
      minGroup: z.number().int().optional(),
      teams: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  /**
   * Personal alerts from `serve` (docs/people-health.md#personal-alerts): `{ reviewRequested: { after }, ciFailed,
   * dailyDigest: { time, teams, channel } }` (`time` on the clock of `signals.workingHours.timeZone`, else UTC);
   * checked when teamstate opens.
   */
  alerts: z
    .strictObject({
      reviewRequested: z.union([z.boolean(), z.strictObject({ after: z.string().optional() })]).optional(),
      ciFailed: z.boolean().optional(),
      dailyDigest: z
        .strictObject({ time: z.string().optional(), teams: z.array(z.string().min(1)).optional(), channel: z.string().min(1).optional() })
        .optional(),
    })
    .optional(),
  /**
   * The weekly leaderboard (docs/ai-impact.md#leaderboard): `{ enabled, channel, schedule, measures }`; off unless
   * `enabled`. `schedule` is a weekday and a UTC time (`mon 09:00`); `measures` never include AI usage. Checked when
   * teamstate opens.
   */
  leaderboard: z
    .strictObject({
      enabled: z.boolean().optional(),
      channel: z.string().min(1).optional(),
      schedule: z.string().optional(),
      measures: z.array(z.string()).optional(),
    })
    .optional(),
  /**
   * How long reports, webhook deliveries and resolved signals are kept before `teamstate retention run` (and `serve`,
   * daily) archives and deletes them, and the archive folder (relative to the config file).
   */
  retention: retentionOptionsSchema.optional(),
  /** How often `serve` syncs, refreshes signals, sends nudges and runs retention (docs/hub.md). */
  schedule: scheduleConfigSchema.optional(),
  /** The hub's public address (`publicUrl`), where `teamstate webhooks install` points the webhooks. */
  /** A path (relative to the config file) or the policy document inline. */
  policy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Keys under `connectors` (and `database`, `mcp`, `knowledge`) whose values are credentials: masked in `config check`, never logged. */
export const SECRET_KEYS = new Set([
  'token',
  'authToken',
  'apiToken',
  'webhookSecret',
  'signingSecret',
  'email',
  'privateKey',
  'bearerToken',
  'apiKey',
  'clientSecret',
]);
