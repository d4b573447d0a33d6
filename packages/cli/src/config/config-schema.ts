import { confluenceKnowledgeConfigSchema } from '@teamstate/connectors/confluence';
import { type ConnectorName, connectorRegistry } from '@teamstate/connectors/registry';
import {
  absenceSchema,
  aiConfigSchema,
  goalSchema,
  isTimeZone,
  OPT_OUT_KINDS,
  parseDuration,
  retentionOptionsSchema,
  timestampSchema,
  type ValidationIssue,
  workTypeRuleSchema,
} from '@teamstate/core';
import { z } from 'zod';

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

type Registrations = typeof connectorRegistry;
type Registered = Registrations[ConnectorName];
// Union to intersection: each registration's team fields, all on one team.
type Merged<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer All) => void ? All : never;
type TeamFields = Merged<{ [Name in ConnectorName]: NonNullable<Registrations[Name]['teamFields']> }[ConnectorName]>;
type OverrideProvider = Registered['providers'][number];

/** The team settings the registered connectors declare (`jiraProjects` is Jira's), each optional. */
const connectorTeamFields = Object.fromEntries(
  Object.values(connectorRegistry).flatMap((registration: Registered) => Object.entries(registration.teamFields ?? {})),
) as TeamFields;

/** The providers whose account ids a person in the config may name (`github`, `jira`, `slack`): one key each. */
export const OVERRIDE_PROVIDERS = [
  ...new Set(Object.values(connectorRegistry).flatMap((registration: Registered) => registration.providers)),
] as OverrideProvider[];

/**
 * A team: owns repositories (and what the connectors add, e.g. Jira projects); `members` and `leads` are person ids
 * (leads read the members' reports and wellbeing as the policy's `privacy` allows).
 */
export const teamConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  members: z.array(z.string().min(1)).optional(),
  leads: z.array(z.string().min(1)).optional(),
  repositories: z
    .array(z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, { error: 'expected "owner/name" (GitLab: "group/subgroup/name")' }))
    .optional(),
  ...connectorTeamFields,
});

/** An identity override: one person and their accounts (one key per provider of a registered connector), matched before email matching. */
export const personConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email().optional(),
  ...(Object.fromEntries(OVERRIDE_PROVIDERS.map((provider) => [provider, z.string().min(1).optional()])) as {
    [Provider in OverrideProvider]: z.ZodOptional<z.ZodString>;
  }),
  /** IANA time zone (where the person's day, and their daily report's day, starts); wins over Slack's `tz`. */
  timeZone: z
    .string()
    .refine(isTimeZone, { error: 'expected an IANA time zone, e.g. Europe/Berlin (not an offset such as +01:00)' })
    .optional(),
  /** What the person opted out of (`reminders`, `surveys`, `wellbeing` signals, `leaderboard`), stored in the database when teamstate opens. */
  optOut: z.array(z.enum(OPT_OUT_KINDS)).optional(),
  /** When the person joined (ISO timestamp): onboarding and `time_to_tenth_pr` count from it. */
  joinedAt: timestampSchema.optional(),
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

/**
 * `mcp`: the bearer token of `teamstate mcp --http` and `teamstate serve`'s `/mcp` (default: generated into a file next to the
 * database), the person using it, and the toolsets it offers.
 */
export const mcpConfigSchema = z.strictObject({
  /**
   * The toolsets offered (`delivery`, `actions`, `reports`, `knowledge`, `ai`, …; default all but `insights`). The names are checked when the
   * server starts, by the MCP server's own list, so the CLI does not load the MCP SDK to read its config.
   */
  toolsets: z.array(z.string().min(1)).min(1).optional(),
  /** The person using the MCP server (stdio, or the shared token over HTTP): `onBehalfOf` of proposals. */
  person: z.string().min(1).optional(),
  token: z
    .string()
    .min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`, or ${TEAMSTATE_MCP_TOKEN})' })
    .optional(),
});

const providerUrl = (example: string) => z.string().regex(/^https?:\/\/[^/]/i, { error: `expected the provider's URL, e.g. ${example}` });

/**
 * `auth`: how people sign in to the remote MCP endpoint (OAuth 2.1, docs/remote-mcp.md): a GitHub OAuth app (`baseUrl`
 * for GitHub Enterprise Server) or a Slack app (Sign in with Slack, OpenID Connect), and any OpenID Connect provider
 * beside either (`oidc`).
 */
export const authConfigSchema = z
  .strictObject({
    github: z
      .strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** GitHub Enterprise Server: `https://github.acme.example` (or its API URL, `…/api/v3`); default github.com. */
        baseUrl: providerUrl('https://github.acme.example').optional(),
      })
      .optional(),
    slack: z
      .strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** Another Slack host, e.g. `https://slack-gov.com` (GovSlack); default `https://slack.com`. */
        baseUrl: providerUrl('https://slack-gov.com').optional(),
      })
      .optional(),
    /** Any OpenID Connect provider (Okta, Entra ID, Google Workspace, Keycloak): people are matched by their verified email. */
    oidc: z
      .strictObject({
        /** Exactly the issuer of the provider's discovery document; https (http only on localhost). */
        issuer: z.string().regex(/^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)(\/\S*)?$/i, {
          error: 'expected the issuer URL, e.g. https://acme.okta.com (https; http only on localhost)',
        }),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** Scopes asked for besides openid (default email, profile). */
        scopes: z.array(z.string().min(1)).optional(),
        /** The id_token claim holding the email (default email). */
        emailClaim: z.string().min(1).optional(),
      })
      .optional(),
  })
  .refine((auth) => (auth.github ? 1 : 0) + (auth.slack ? 1 : 0) <= 1 && (auth.github || auth.slack || auth.oidc), {
    error:
      'configure exactly one provider of GitHub and Slack, and OpenID Connect beside it if you like (or alone): auth: { github: { clientId, clientSecret } }, auth: { slack: { clientId, clientSecret } } or auth: { oidc: { issuer, clientId, clientSecret } }',
  });

/** `server`: the address people and providers reach `teamstate serve` at (OAuth redirects, the webhooks it installs). */
export const serverConfigSchema = z.strictObject({
  /** The public origin, e.g. `https://teamstate.acme.example` (HTTPS, or http://localhost for a trial). */
  publicUrl: z
    .string()
    .regex(/^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)\/?$/i, {
      error: 'expected the public origin, e.g. https://teamstate.acme.example (https, no path; http only for localhost)',
    })
    .optional(),
  /**
   * The bearer token `serve --metrics` requires at `/metrics` (env `TEAMSTATE_METRICS_TOKEN` wins); without one,
   * `/metrics` is served only on a loopback `--host` (docs/observability.md).
   */
  metricsToken: z.string().min(1).optional(),
  /** The web page for approvers and leads at `/` of `serve` (default on; docs/web.md). */
  web: z.boolean().optional(),
});

/**
 * `database` as an embedded replica of a libSQL server: `url` is this machine's local file (relative to the config
 * file), `syncUrl` the primary, `syncInterval` in seconds (docs/running-for-a-company.md).
 */
export const replicaConfigSchema = z.strictObject({
  url: z.string().min(1),
  syncUrl: z
    .string()
    .regex(/^(libsql|https?|wss?):\/\/[^/]/i, { error: "expected the libSQL server's URL (libsql://…, https://… or http://…)" }),
  authToken: z.string().min(1).optional(),
  syncInterval: z.number().positive().optional(),
});

/** `knowledge`: where documents come from (docs/knowledge.md). */
export const knowledgeConfigSchema = z.strictObject({
  /** Markdown files on disk (`.md`, `.mdx`, `.markdown`): folders searched recursively, relative to the config file. */
  local: z
    .strictObject({
      paths: z.array(z.string().min(1)).min(1, { error: 'give at least one folder, e.g. [./docs]' }),
      /** Team ids allowed to see these documents (default: everyone in the workspace). */
      visibility: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /**
   * Markdown docs and CODEOWNERS of GitHub repositories, read with the credentials of `connectors.github`
   * (docs/knowledge.md): `repositories` (default those of connectors.github), `paths` (globs; default README.md,
   * CONTRIBUTING.md, docs/**\/*.md, **\/adr/**\/*.md, **\/decisions/**\/*.md, runbooks/**), `visibility` (team ids).
   */
  github: z
    .strictObject({
      repositories: z
        .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' }))
        .min(1, { error: 'name at least one repository, e.g. [acme/handbook], or leave it out for those of connectors.github' })
        .optional(),
      paths: z
        .array(z.string().min(1))
        .min(1, { error: 'give at least one glob, e.g. ["docs/**/*.md"], or leave paths out for the defaults' })
        .optional(),
      /** Team ids allowed to see these documents, e.g. for private repositories (default: everyone in the workspace). */
      visibility: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /** Confluence spaces (Cloud: host, email, apiToken; Data Center: host and a personal access token as apiToken). */
  confluence: confluenceKnowledgeConfigSchema.optional(),
  /**
   * An OpenAI-compatible embeddings API or local model server (Ollama, llama.cpp, vLLM): passages get vectors at sync
   * and search fuses vector and BM25 ranks (docs/knowledge.md#adding-an-embedder). `apiKey` as `${OPENAI_API_KEY}`.
   */
  embedder: z
    .strictObject({
      url: z.string().regex(/^https?:\/\/[^/]/i, {
        error: "expected the API's URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (Ollama)",
      }),
      model: z.string().min(1, { error: 'name the model, e.g. nomic-embed-text or text-embedding-3-small' }),
      apiKey: z.string().min(1).optional(),
      dimensions: z.number().int().positive().max(65_536, { error: "the length of the model's vectors, at most 65536" }),
      /** US dollars per 1,000 tokens: calls are metered and stop at the policy's limits.max_monthly_cost_usd. */
      costPer1kTokensUsd: z
        .number({ error: (issue) => `expected US dollars per 1,000 tokens, e.g. 0.00002, got ${JSON.stringify(issue.input)}` })
        .nonnegative({
          error: (issue) => `expected US dollars per 1,000 tokens, 0 or more (e.g. 0.00002), got ${JSON.stringify(issue.input)}`,
        })
        .optional(),
    })
    .optional(),
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
   * dailyDigest: { time, teams, channel } }`; checked when teamstate opens.
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

/**
 * `knowledge.github` reads with the credentials (and by default the repositories) of `connectors.github`: checked on the
 * file's sections as written (before a section is left out for an unset variable, see `loadConfig`).
 */
export function knowledgeGithubIssues(input: unknown): ValidationIssue[] {
  const section = (value: unknown, key: string): Record<string, unknown> | undefined => {
    const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return found && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
  };
  const knowledge = section(section(input, 'knowledge'), 'github');
  if (!knowledge) return [];
  const github = section(section(input, 'connectors'), 'github');
  if (!github)
    return [
      {
        path: 'knowledge.github',
        message:
          'needs connectors.github (its token or GitHub App credentials are used): configure connectors.github, or remove knowledge.github',
      },
    ];
  const listed = (value: unknown) => Array.isArray(value) && value.length > 0;
  if (knowledge.repositories === undefined && !listed(github.repositories))
    return [
      {
        path: 'knowledge.github.repositories',
        message: 'connectors.github lists no repositories (only an org): list the repositories whose docs to index, e.g. [acme/handbook]',
      },
    ];
  return [];
}

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
