import { z } from 'zod';

const url = z.url({ error: 'expected a URL, e.g. https://api.github.com' });
const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });

/** `connectors.github`: token auth, org, repositories; `baseUrl` for GitHub Enterprise Server. */
export const githubConfigSchema = z.strictObject({
  token: secret,
  org: z.string().min(1).optional(),
  repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name"' })).optional(),
  baseUrl: url.optional(),
  webhookSecret: secret.optional(),
});

/** `connectors.jira`: Cloud (`https://<site>.atlassian.net`, email + API token) or Data Center host. */
export const jiraConfigSchema = z.strictObject({
  host: url,
  email: z.string().min(1).optional(),
  apiToken: secret,
  projects: z.array(z.string().min(1)).optional(),
  webhookSecret: secret.optional(),
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
  /** A path (relative to the config file) or the policy document inline. */
  policy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Keys under `connectors` whose values are credentials: masked in `config check`, never logged. */
export const SECRET_KEYS = new Set(['token', 'apiToken', 'webhookSecret', 'signingSecret', 'email']);
