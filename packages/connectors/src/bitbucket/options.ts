import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** A wait between retries (injectable, so tests need not sleep). */
export type BitbucketSleep = (ms: number, reason: string) => Promise<void>;

/** `connectors.bitbucket` of teamstate.config.yaml, and the options of `bitbucket()`. */
export interface BitbucketOptions {
  /** A workspace, project or repository access token (sent as a Bearer token); or give `username` and `appPassword`. */
  token?: string;
  /** The Bitbucket username an app password belongs to (Basic auth with `appPassword`). */
  username?: string;
  /** An app password with Repositories, Pull requests, Pipelines and Deployments read (write for the actions). */
  appPassword?: string;
  /** The workspace slug (`acme`). */
  workspace: string;
  /** Repository slugs of the workspace (default: every repository of the workspace). */
  repositories?: readonly string[];
  /** The API root (default `https://api.bitbucket.org/2.0`); a bare host gets `/2.0` appended. */
  baseUrl?: string;
  /** The webhook secret: `X-Hub-Signature: sha256=<hmac>` of the body at `POST /webhooks/bitbucket`. */
  webhookSecret?: string;
  /** The team owning each repository (`acme/checkout` → `shop`); the config's `teams[].repositories` add to it. */
  repositoryTeams?: Readonly<Record<string, string>>;
  /** The configured teams' names, for a team created by the sync. */
  configuredTeams?: readonly { id: string; name: string }[];
  /** The connector id (default `bitbucket`). */
  id?: string;
  sleep?: BitbucketSleep;
}

const SLUG = /^[A-Za-z0-9._-]+$/;

/** The config section's schema (validated by `teamstate config check`). */
export const bitbucketConfigSchema = z.strictObject({
  token: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  appPassword: z.string().min(1).optional(),
  workspace: z.string().regex(SLUG, { error: 'expected a workspace slug such as acme' }),
  repositories: z.array(z.string().regex(SLUG, { error: 'expected a repository slug such as checkout' })).optional(),
  baseUrl: z.url().optional(),
  webhookSecret: z.string().min(1).optional(),
  repositoryTeams: z.record(z.string().min(1), z.string().min(1)).optional(),
});

export interface ResolvedBitbucketOptions {
  id: string;
  /** The `Authorization` header value (never logged). */
  authorization: string;
  /** The secrets to redact from errors. */
  secrets: string[];
  workspace: string;
  repositories: readonly string[] | undefined;
  baseUrl: string;
  webhookSecret?: string;
  configuredTeams: readonly { id: string; name: string }[];
  sleep: BitbucketSleep;
  teamOf(repository: string): string | undefined;
}

/** The API root of a configured `baseUrl`: a bare host gets `/2.0`, a trailing slash is dropped. */
export function apiRootOf(baseUrl: string | undefined): string {
  const trimmed = (baseUrl ?? 'https://api.bitbucket.org/2.0').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(trimmed))
    throw new TeamStateError(
      'invalid_config',
      `bitbucket.baseUrl: expected the API root's http(s) URL such as https://api.bitbucket.org/2.0, got "${trimmed}"`,
    );
  return new URL(trimmed).pathname === '/' || new URL(trimmed).pathname === '' ? `${trimmed}/2.0` : trimmed;
}

/** Checks and completes the options; a bad one throws naming the field and the fix. */
export function resolveBitbucketOptions(options: BitbucketOptions): ResolvedBitbucketOptions {
  const token = typeof options?.token === 'string' ? options.token.trim() : '';
  const basic = options?.username && options.appPassword ? { username: options.username, appPassword: options.appPassword } : undefined;
  if (!token && !basic)
    throw new TeamStateError(
      'invalid_config',
      'bitbucket.token: give an access token, or username and appPassword (Personal settings › App passwords)',
    );
  if (typeof options.workspace !== 'string' || !SLUG.test(options.workspace))
    throw new TeamStateError(
      'invalid_config',
      `bitbucket.workspace: expected a workspace slug such as acme, got ${JSON.stringify(options.workspace)}`,
    );
  for (const [i, slug] of (options.repositories ?? []).entries())
    if (typeof slug !== 'string' || !SLUG.test(slug))
      throw new TeamStateError(
        'invalid_config',
        `bitbucket.repositories.${i}: expected a repository slug such as checkout, got ${JSON.stringify(slug)}`,
      );
  const authorization = token ? `Bearer ${token}` : `Basic ${Buffer.from(`${basic?.username}:${basic?.appPassword}`).toString('base64')}`;
  const owners = new Map(Object.entries(options.repositoryTeams ?? {}).map(([repository, team]) => [repository.toLowerCase(), team]));
  return {
    id: options.id ?? 'bitbucket',
    authorization,
    secrets: [token, basic?.appPassword ?? '', authorization.split(' ')[1] ?? ''].filter((s) => s.length > 0),
    workspace: options.workspace,
    repositories: options.repositories ? [...options.repositories] : undefined,
    baseUrl: apiRootOf(options.baseUrl),
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    configuredTeams: options.configuredTeams ?? [],
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    teamOf: (repository) => owners.get(repository.toLowerCase()),
  };
}
