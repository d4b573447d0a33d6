import { redactSecrets, TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** How long to wait between retries; the sync context's reported, abort-aware sleep by default. */
export type JiraSleep = (ms: number, reason: string) => Promise<void>;

/** Options of {@link jira}. */
export interface JiraOptions {
  /**
   * The site: `https://<site>.atlassian.net` (Cloud), the base URL of a Data Center server, or, with an
   * OAuth 2.0 bearer token, the gateway `https://api.atlassian.com/ex/jira/<cloudId>`.
   */
  host: string;
  /** Cloud: the account's email, with `apiToken` (basic auth). */
  email?: string;
  /** Cloud: an API token (https://id.atlassian.com/manage-profile/security/api-tokens), with `email`. */
  apiToken?: string;
  /** An OAuth 2.0 (3LO) access token, or a Data Center personal access token; sent as `Authorization: Bearer`. */
  bearerToken?: string;
  /** `cloud` (default) or `datacenter` (REST API v2, offset paging, user keys instead of account ids). */
  deployment?: 'cloud' | 'datacenter';
  /** Project keys to sync, e.g. `['PAY']`. */
  projects: readonly string[];
  /** Board ids whose sprints to sync; default: every board of the projects (kanban boards have none). */
  boards?: readonly number[];
  /** The team that owns each project key; issues and sprints get it. A project without one gets a team of its own (`jira-<key>`). */
  teamOfProject?: Readonly<Record<string, string>>;
  /** The story points field, by id (`customfield_10016`) or name; default: found by name on the site. */
  storyPointsField?: string;
  /** Issues updated this many minutes before the last cursor are fetched again (index lag, clock skew). Default 5. */
  overlapMinutes?: number;
  /** Issues per search page (Jira may return fewer). Default 100. */
  pageSize?: number;
  /** Verifies `POST /webhooks/jira` (`X-Hub-Signature`); without it the connector receives no webhooks. */
  webhookSecret?: string;
  /** The site's browser URL for issue links, when `host` is the OAuth gateway. Default: `host`. */
  siteUrl?: string;
  /** Connector id (cursors and `--only`). Default `jira`. */
  id?: string;
  /** Retries of rate-limited (429, honouring `Retry-After`) and unavailable (502/503/504) requests. */
  retry?: {
    /** Retries per request before giving up. Default 6. */
    maxRetries?: number;
    /** First back-off without `Retry-After`, doubled on each retry. Default 1000 ms. */
    baseDelayMs?: number;
    /** Longest back-off without `Retry-After`. Default 60 000 ms. */
    maxDelayMs?: number;
  };
  /** Request budget: at most this many requests per second (0 turns pacing off). Default 10. */
  requestsPerSecond?: number;
  /** Project names, fields, statuses and assignable users are read again when older than this (hours, default 24). */
  metadataRefreshHours?: number;
  /** Boards and sprints are read again when older than this (minutes, default 15; 0 reads them every run). */
  sprintsRefreshMinutes?: number;
  /** Waits between retries (inject a fast one in tests); rate-limit waits are reported as progress either way. */
  sleep?: JiraSleep;
  /** What jira.js does when a response does not match its schema: `warn` (default), `silent` or `throw`. */
  onSchemaMismatch?: 'warn' | 'silent' | 'throw';
}

/** Options with defaults applied and checked. */
export interface ResolvedJiraOptions extends Omit<JiraOptions, 'retry' | 'host' | 'siteUrl'> {
  id: string;
  host: string;
  siteUrl: string;
  deployment: 'cloud' | 'datacenter';
  projects: string[];
  teamOfProject: Readonly<Record<string, string>>;
  overlapMs: number;
  pageSize: number;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  requestsPerSecond: number;
  metadataRefreshMs: number;
  sprintsRefreshMs: number;
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

function fail(message: string): never {
  throw new TeamStateError('invalid_config', message);
}

function url(name: string, value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {}
  if (parsed && (parsed.username || parsed.password))
    fail(`jira.${name}: must not contain credentials ("user:token@"); put the account in email and the token in apiToken (or bearerToken)`);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    fail(`jira.${name}: expected an http(s) URL such as https://acme.atlassian.net, got "${redactSecrets(value)}"`);
  return value.replace(/\/+$/, '');
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) fail(`jira.${name}: expected a number >= ${min}, got ${value}`);
  return value;
}

/** Applies defaults and checks the options; messages name the option and the fix, never a secret's value. */
export function resolveJiraOptions(options: JiraOptions): ResolvedJiraOptions {
  const host = url('host', options.host);
  const deployment = options.deployment ?? 'cloud';
  if (deployment !== 'cloud' && deployment !== 'datacenter') fail(`jira.deployment: expected "cloud" or "datacenter", got "${deployment}"`);
  const basic = options.email !== undefined || options.apiToken !== undefined;
  if (basic && options.bearerToken !== undefined)
    fail('jira: set either email + apiToken (basic auth) or bearerToken (OAuth 2.0 / personal access token), not both');
  if (basic && (!options.email || !options.apiToken))
    fail(`jira.${options.email ? 'apiToken' : 'email'}: basic auth needs both email and apiToken (or use bearerToken instead)`);
  if (!basic && !options.bearerToken)
    fail('jira: no credentials; set email + apiToken (Jira Cloud API token) or bearerToken (OAuth 2.0 access token, Data Center PAT)');
  if (basic && deployment === 'datacenter')
    fail('jira.apiToken: Data Center authenticates with a personal access token; set bearerToken instead of email + apiToken');
  const projects = [...new Set(options.projects ?? [])];
  if (projects.length === 0) fail('jira.projects: list the project keys to sync, e.g. [PAY] (or give teams jiraProjects in the config)');
  for (const key of projects)
    if (!PROJECT_KEY.test(key)) fail(`jira.projects: "${key}" is not a project key (upper-case letters and digits, e.g. PAY)`);
  for (const board of options.boards ?? [])
    if (!Number.isInteger(board) || board <= 0) fail(`jira.boards: expected board ids (positive whole numbers), got ${board}`);
  return {
    ...options,
    id: options.id ?? 'jira',
    host,
    siteUrl: options.siteUrl ? url('siteUrl', options.siteUrl) : host,
    deployment,
    projects,
    teamOfProject: options.teamOfProject ?? {},
    overlapMs: whole('overlapMinutes', options.overlapMinutes, 5, 0) * 60_000,
    pageSize: Math.min(whole('pageSize', options.pageSize, 100, 1), 5000),
    retry: {
      maxRetries: whole('retry.maxRetries', options.retry?.maxRetries, 6, 0),
      baseDelayMs: whole('retry.baseDelayMs', options.retry?.baseDelayMs, 1000, 0),
      maxDelayMs: whole('retry.maxDelayMs', options.retry?.maxDelayMs, 60_000, 0),
    },
    requestsPerSecond: whole('requestsPerSecond', options.requestsPerSecond, 10, 0),
    metadataRefreshMs: whole('metadataRefreshHours', options.metadataRefreshHours, 24, 0) * 3_600_000,
    sprintsRefreshMs: whole('sprintsRefreshMinutes', options.sprintsRefreshMinutes, 15, 0) * 60_000,
  };
}

const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });
const siteUrl = z.url({ error: 'expected a URL, e.g. https://acme.atlassian.net' }).refine((value) => !/^[^/]*\/\/[^/@]*@/.test(value), {
  error: 'must not contain credentials ("user:token@"); put the account in email and the token in apiToken (or bearerToken)',
});

/**
 * What the Jira connector adds to a team in teamstate.config.yaml: `teams[].jiraProjects`, the project keys the team
 * owns (its issues and sprints get the team; `connectors.jira.projects` defaults to all of them).
 */
export const jiraTeamFields = {
  jiraProjects: z.array(z.string().min(1)).optional(),
};

/** Which team owns each Jira project (`teams[].jiraProjects`); a project owned twice is refused. */
export function teamOfProjectFromTeams(teams: readonly { id: string; jiraProjects?: readonly string[] }[]): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const team of teams)
    for (const project of team.jiraProjects ?? []) {
      const owner = owners[project];
      if (owner && owner !== team.id)
        throw new TeamStateError(
          'invalid_config',
          `teams: Jira project ${project} is owned by both "${owner}" and "${team.id}" (keep it in one team's jiraProjects)`,
        );
      owners[project] = team.id;
    }
  return owners;
}

/**
 * `connectors.jira` in teamstate.config.yaml (the CLI's config schema composes it): Cloud
 * (`https://<site>.atlassian.net`, email + API token, or an OAuth 2.0 bearer token) or a Data Center host
 * (`deployment: datacenter`, personal access token as `bearerToken`). `projects` defaults to the teams'
 * `jiraProjects`. The rules between the settings (which credentials go together) are {@link resolveJiraOptions}'s.
 */
export const jiraConfigSchema = z.strictObject({
  host: siteUrl,
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
  metadataRefreshHours: z.number().nonnegative().optional(),
  sprintsRefreshMinutes: z.number().nonnegative().optional(),
  siteUrl: siteUrl.optional(),
}) satisfies z.ZodType<Partial<JiraOptions>>;
