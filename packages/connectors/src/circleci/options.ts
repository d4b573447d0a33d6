import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** A wait between retries (injectable, so tests need not sleep). */
export type CircleCiSleep = (ms: number, reason: string) => Promise<void>;

/** `connectors.circleci` of teamstate.config.yaml, and the options of `circleci()`. */
export interface CircleCiOptions {
  /** A personal API token (User Settings › Personal API Tokens), sent as `Circle-Token`. */
  token: string;
  /** Project slugs: `gh/<org>/<repo>` or `bb/<workspace>/<repo>`. */
  projects: readonly string[];
  /** The host (default `https://circleci.com`; a server install's URL); the API is at `<baseUrl>/api/v2`. */
  baseUrl?: string;
  /** The team owning each repository (`teams[].repositories` in the config). */
  repositoryTeams?: Readonly<Record<string, string>>;
  /** The configured teams' names, for a team created by the sync. */
  configuredTeams?: readonly { id: string; name: string }[];
  /** The connector id (default `circleci`). */
  id?: string;
  sleep?: CircleCiSleep;
}

const SLUG = /^(gh|bb|github|bitbucket)\/[^/\s]+\/[^/\s]+$/;

/** The config section's schema (validated by `teamstate config check`). */
export const circleciConfigSchema = z.strictObject({
  token: z.string().min(1),
  projects: z.array(z.string().regex(SLUG, { error: 'expected a project slug such as gh/acme/api' })).min(1),
  baseUrl: z.url().optional(),
});

export interface ResolvedCircleCiOptions {
  id: string;
  token: string;
  projects: readonly string[];
  baseUrl: string;
  teamOf(repository: string): string | undefined;
  configuredTeams: readonly { id: string; name: string }[];
  sleep: CircleCiSleep;
}

/** The repository of a project slug: the slug without its VCS prefix (`gh/acme/api` → `acme/api`). */
export const repositoryOf = (slug: string) => slug.split('/').slice(1).join('/');

/** Checks and completes the options; a bad one throws naming the field and the fix. */
export function resolveCircleCiOptions(options: CircleCiOptions): ResolvedCircleCiOptions {
  if (typeof options?.token !== 'string' || options.token.trim() === '')
    throw new TeamStateError(
      'invalid_config',
      'circleci.token: expected a CircleCI personal API token (User Settings › Personal API Tokens)',
    );
  if (!Array.isArray(options.projects) || options.projects.length === 0)
    throw new TeamStateError('invalid_config', 'circleci.projects: give the project slugs to sync, e.g. [gh/acme/api]');
  for (const [i, slug] of options.projects.entries())
    if (typeof slug !== 'string' || !SLUG.test(slug))
      throw new TeamStateError(
        'invalid_config',
        `circleci.projects.${i}: expected a project slug such as gh/acme/api, got ${JSON.stringify(slug)}`,
      );
  const baseUrl = (options.baseUrl ?? 'https://circleci.com').replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    throw new TeamStateError(
      'invalid_config',
      `circleci.baseUrl: expected the host's http(s) URL such as https://circleci.com, got "${baseUrl}"`,
    );
  const teams = options.repositoryTeams ?? {};
  const lower = new Map(Object.entries(teams).map(([repository, team]) => [repository.toLowerCase(), team]));
  return {
    id: options.id ?? 'circleci',
    token: options.token,
    projects: [...options.projects],
    baseUrl,
    teamOf: (repository) => lower.get(repository.toLowerCase()),
    configuredTeams: options.configuredTeams ?? [],
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
