import { z } from 'zod';

const url = z.url({ error: 'expected a URL, e.g. https://api.github.com' });
const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });

/** `connectors.github`: token (or GitHub App) auth, org, repositories; `baseUrl` for GitHub Enterprise Server (docs/connectors/github.md). */
export const githubConfigSchema = z
  .strictObject({
    token: secret.optional(),
    org: z.string().min(1).optional(),
    repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name"' })).optional(),
    baseUrl: url.optional(),
    webhookSecret: secret.optional(),
    /** GitHub App installation auth instead of `token`; `privateKey` is the PEM (`\n` escapes allowed). */
    app: z
      .strictObject({
        appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, { error: 'expected the numeric App id' })]),
        privateKey: secret,
        installationId: z.union([
          z.number().int().positive(),
          z.string().regex(/^\d+$/, { error: 'expected the numeric installation id' }),
        ]),
      })
      .optional(),
    /** Also sync archived repositories of `org`. */
    includeArchived: z.boolean().optional(),
    /** Sync the organisation's teams as teams (default true). */
    syncTeams: z.boolean().optional(),
    /** Where deployments come from: the Deployments API (default), a workflow's runs, or releases. */
    deployments: z
      .strictObject({
        source: z.enum(['deployments', 'workflow_runs', 'releases']).optional(),
        environments: z.array(z.string().min(1)).optional(),
        workflow: z.string().min(1).optional(),
        environment: z.string().min(1).optional(),
        mapPullRequests: z.boolean().optional(),
      })
      .optional(),
    /** Issues with any of these labels are incidents (default [incident]). */
    incidentLabels: z.array(z.string().min(1)).optional(),
  })
  .refine((github) => github.token !== undefined || github.app !== undefined, {
    error: 'is required (or configure GitHub App auth under connectors.github.app)',
    path: ['token'],
  })
  .refine((github) => github.org !== undefined || (github.repositories?.length ?? 0) > 0, {
    error: 'set repositories (e.g. [acme/api]) or org (to sync every repository of the organisation)',
    path: ['repositories'],
  })
  .refine((github) => github.deployments?.source !== 'workflow_runs' || github.deployments.workflow !== undefined, {
    error: 'is required when deployments.source is workflow_runs (the workflow file, e.g. deploy.yml)',
    path: ['deployments', 'workflow'],
  });

/**
 * `connectors.jira`: Cloud (`https://<site>.atlassian.net`, email + API token, or an OAuth 2.0 bearer
 * token) or a Data Center host (`deployment: datacenter`, personal access token as `bearerToken`).
 * `projects` defaults to the teams' `jiraProjects`.
 */
export const jiraConfigSchema = z.strictObject({
  host: url,
  email: z.string().min(1).optional(),
  apiToken: secret.optional(),
  projects: z.array(z.string().min(1)).optional(),
  webhookSecret: secret.optional(),
  bearerToken: secret.optional(),
  deployment: z.enum(['cloud', 'datacenter']).optional(),
  boards: z.array(z.number().int().positive({ error: 'expected a board id (a positive whole number)' })).optional(),
  storyPointsField: z.string().min(1).optional(),
  overlapMinutes: z.number().nonnegative().optional(),
  requestsPerSecond: z.number().nonnegative().optional(),
  siteUrl: url.optional(),
});

/** `connectors.slack`: bot token, signing secret, alternate API host, approval channel. */
export const slackConfigSchema = z.strictObject({
  token: secret,
  signingSecret: secret.optional(),
  apiUrl: url.optional(),
  approvalChannel: z.string().min(1).optional(),
});

/** `connectors.demo`: the synthetic organisation, for trying teamstate without credentials. */
export const demoConfigSchema = z.strictObject({
  scale: z.enum(['default', 'large']).optional(),
  seed: z.number().int().optional(),
});

/** A team: owns repositories and Jira projects; `members` are person ids. */
export const teamConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  members: z.array(z.string().min(1)).optional(),
  repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name"' })).optional(),
  jiraProjects: z.array(z.string().min(1)).optional(),
});

/** An identity override: one person and their accounts, matched before email matching. */
export const personConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email().optional(),
  github: z.string().min(1).optional(),
  jira: z.string().min(1).optional(),
  slack: z.string().min(1).optional(),
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

/** `mcp`: the bearer token of `teamstate mcp --http` and `teamstate serve`'s `/mcp` (default: generated into a file next to the database). */
export const mcpConfigSchema = z.strictObject({
  /** The person using the MCP server (stdio, or the shared token over HTTP): `onBehalfOf` of proposals. */
  person: z.string().min(1).optional(),
  token: z
    .string()
    .min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`, or ${TEAMSTATE_MCP_TOKEN})' })
    .optional(),
});

/** `teamstate.config.yaml` (docs/configuration.md). */
export const configSchema = z.strictObject({
  database: z.string().min(1).optional(),
  workspace: z.string().min(1).optional(),
  connectors: z
    .strictObject({
      demo: demoConfigSchema.optional(),
      github: githubConfigSchema.optional(),
      jira: jiraConfigSchema.optional(),
      slack: slackConfigSchema.optional(),
    })
    .optional(),
  teams: z.array(teamConfigSchema).optional(),
  people: z.array(personConfigSchema).optional(),
  signals: signalsConfigSchema.optional(),
  metrics: metricsConfigSchema.optional(),
  mcp: mcpConfigSchema.optional(),
  /** `localTrust: true`: `approvals approve|decline --as <person>` works without a credential (anyone with a shell here can approve as anyone). */
  approvals: z.strictObject({ localTrust: z.boolean().optional() }).optional(),
  /** A path (relative to the config file) or the policy document inline. */
  policy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Keys under `connectors` whose values are credentials: masked in `config check`, never logged. */
export const SECRET_KEYS = new Set(['token', 'apiToken', 'webhookSecret', 'signingSecret', 'email', 'privateKey', 'bearerToken']);
