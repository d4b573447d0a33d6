import { redactSecrets, TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** How long to wait between retries (`reason` says why, for the progress report). */
export type ConfluenceSleep = (ms: number, reason: string) => Promise<void>;

/** Options of {@link confluenceKnowledge}. */
export interface ConfluenceKnowledgeOptions {
  /** The site: `https://<site>.atlassian.net` (Cloud; `/wiki` is added), or the base URL of a Data Center server (with its context path). */
  host: string;
  /** Cloud: the account's email, with `apiToken` (basic auth, as for Jira). Leave it out on Data Center. */
  email?: string;
  /** Cloud: an API token (with `email`); Data Center: a personal access token (sent as `Authorization: Bearer`). */
  apiToken: string;
  /** Space keys to index, e.g. `['ENG']`. */
  spaces: readonly string[];
  /** Team ids allowed to see these pages (default: everyone in the workspace). */
  visibility?: readonly string[];
  /** `cloud` (REST v2) or `dataCenter` (REST v1 with a personal access token). Default: `cloud` for `*.atlassian.net`, else `dataCenter`. */
  deployment?: 'cloud' | 'dataCenter';
  /** The source's id (default `confluence`). */
  id?: string;
  /** Pages per listing request (default 250 on Cloud, 100 on Data Center). */
  pageSize?: number;
  /** Retries of rate-limited (429, honouring `Retry-After`) and unavailable (502/503/504) requests. */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** At most this many requests per second (0 turns pacing off). Default 10. */
  requestsPerSecond?: number;
  /** Waits between retries (inject a fast one in tests); the waits are reported as progress either way. */
  sleep?: ConfluenceSleep;
}

/** Options with defaults applied and checked. */
export interface ResolvedConfluenceOptions {
  id: string;
  /** The host as configured, without a trailing slash (the REST paths are added to it). */
  host: string;
  /** Where the pages' `_links.webui` are relative to: `<host>/wiki` on Cloud, the host on Data Center. */
  webBase: string;
  deployment: 'cloud' | 'dataCenter';
  email?: string;
  apiToken: string;
  spaces: string[];
  visibility?: readonly string[];
  pageSize: number;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  requestsPerSecond: number;
  sleep?: ConfluenceSleep;
}

const SPACE_KEY = /^~?[A-Za-z0-9_-]{1,255}$/;

function fail(message: string): never {
  throw new TeamStateError('invalid_config', message);
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) fail(`knowledge.confluence.${name}: expected a number >= ${min}, got ${value}`);
  return value;
}

/** Applies defaults and checks the options; messages name the option and the fix, never a secret's value. */
export function resolveConfluenceOptions(options: ConfluenceKnowledgeOptions): ResolvedConfluenceOptions {
  let parsed: URL | undefined;
  try {
    parsed = new URL(options.host);
  } catch {}
  if (parsed && (parsed.username || parsed.password))
    fail('knowledge.confluence.host: must not contain credentials ("user:token@"); put the account in email and the token in apiToken');
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    fail(
      `knowledge.confluence.host: expected an http(s) URL such as https://acme.atlassian.net, got "${redactSecrets(String(options.host))}"`,
    );
  // A Cloud site given with its /wiki suffix is the same site.
  let host = options.host.replace(/\/+$/, '');
  const deployment = options.deployment ?? (parsed.hostname.endsWith('.atlassian.net') ? 'cloud' : 'dataCenter');
  if (deployment !== 'cloud' && deployment !== 'dataCenter')
    fail(`knowledge.confluence.deployment: expected "cloud" or "dataCenter", got "${String(deployment)}"`);
  if (deployment === 'cloud') host = host.replace(/\/wiki$/, '');
  if (typeof options.apiToken !== 'string' || options.apiToken === '')
    fail(
      'knowledge.confluence.apiToken: required (Cloud: an Atlassian API token with email; Data Center: a personal access token), e.g. ${CONFLUENCE_API_TOKEN}',
    );
  if (deployment === 'cloud' && !options.email)
    fail('knowledge.confluence.email: Confluence Cloud authenticates with email + apiToken (basic auth); add the account email');
  if (deployment === 'dataCenter' && options.email)
    fail(
      'knowledge.confluence.email: Data Center authenticates with a personal access token alone (apiToken, sent as a bearer token); remove email',
    );
  const spaces = [...new Set(options.spaces ?? [])];
  if (spaces.length === 0) fail('knowledge.confluence.spaces: list the space keys to index, e.g. [ENG]');
  for (const key of spaces)
    if (typeof key !== 'string' || !SPACE_KEY.test(key))
      fail(`knowledge.confluence.spaces: "${String(key)}" is not a space key (letters and digits, e.g. ENG)`);
  return {
    id: options.id ?? 'confluence',
    host,
    webBase: deployment === 'cloud' ? `${host}/wiki` : host,
    deployment,
    ...(options.email ? { email: options.email } : {}),
    apiToken: options.apiToken,
    spaces,
    ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
    pageSize: Math.min(whole('pageSize', options.pageSize, deployment === 'cloud' ? 250 : 100, 1), 250),
    retry: {
      maxRetries: whole('retry.maxRetries', options.retry?.maxRetries, 6, 0),
      baseDelayMs: whole('retry.baseDelayMs', options.retry?.baseDelayMs, 1000, 0),
      maxDelayMs: whole('retry.maxDelayMs', options.retry?.maxDelayMs, 60_000, 0),
    },
    requestsPerSecond: whole('requestsPerSecond', options.requestsPerSecond, 10, 0),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
}

const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });

/**
 * `knowledge.confluence` in teamstate.config.yaml (the CLI's config schema composes it): a Cloud site
 * (`https://<site>.atlassian.net`, email + API token) or a Data Center host (a personal access token as `apiToken`,
 * no email). The rules between the settings are {@link resolveConfluenceOptions}'s.
 */
export const confluenceKnowledgeConfigSchema = z.strictObject({
  host: z.url({ error: 'expected a URL, e.g. https://acme.atlassian.net' }).refine((value) => !/^[^/]*\/\/[^/@]*@/.test(value), {
    error: 'must not contain credentials ("user:token@"); put the account in email and the token in apiToken',
  }),
  email: z.string().min(1).optional(),
  apiToken: secret,
  spaces: z.array(z.string().min(1)).min(1, { error: 'list the space keys to index, e.g. [ENG]' }),
  visibility: z.array(z.string().min(1)).min(1).optional(),
  deployment: z.enum(['cloud', 'dataCenter']).optional(),
  requestsPerSecond: z.number().nonnegative().optional(),
}) satisfies z.ZodType<Partial<ConfluenceKnowledgeOptions>>;
