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

/** `teamstate.config.yaml` (docs/configuration.md). */
export const configSchema = z.strictObject({
  database: z.string().min(1).optional(),
  workspace: z.string().min(1).optional(),
  connectors: z
    .strictObject({ github: githubConfigSchema.optional(), jira: jiraConfigSchema.optional(), slack: slackConfigSchema.optional() })
    .optional(),
  teams: z.array(teamConfigSchema).optional(),
  people: z.array(personConfigSchema).optional(),
  /** A path (relative to the config file) or the policy document inline. */
  policy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});

/** A validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Keys under `connectors` whose values are credentials: masked in `config check`, never logged. */
export const SECRET_KEYS = new Set(['token', 'apiToken', 'webhookSecret', 'signingSecret', 'email', 'bearerToken']);
