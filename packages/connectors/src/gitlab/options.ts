import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import type { GitLabSleep } from './client/gitlab-request.js';

/** `connectors.gitlab` of teamstate.config.yaml, and the options of `gitlab()`. */
export interface GitLabOptions {
  /** A personal, group or project access token: `read_api` to sync, `api` for the actions. */
  token: string;
  /** The instance, e.g. `https://gitlab.example.com` (default `https://gitlab.com`); the connector adds `/api/v4`. */
  baseUrl?: string;
  /** Groups by path (`acme`, `acme/platform`): their projects (with subgroups') and members are synced. */
  groups?: readonly string[];
  /** Projects by path (`acme/checkout`), besides the groups' projects. */
  projects?: readonly string[];
  /** The team that owns each repository (`acme/checkout` → `shop`); the config's `teams[].repositories` add to it. */
  repositoryTeams?: Readonly<Record<string, string>>;
  /** The secret token of the webhook (`X-Gitlab-Token`) at `POST /webhooks/gitlab`. */
  webhookSecret?: string;
  /** The connector id (default `gitlab`). */
  id?: string;
  /** Teams the configuration declares (their names are kept when the connector creates them). */
  configuredTeams?: readonly { id: string; name: string }[];
  /** How often members are re-read (default a day). */
  peopleRefreshMs?: number;
  /** Waits (injectable, so tests need not sleep). */
  sleep?: GitLabSleep;
}

const paths = z.array(z.string().regex(/^[^\s/]+(\/[^\s/]+)*$/, { error: 'expected a path such as "acme" or "acme/checkout"' }));

/** The config section's schema (validated by `teamstate config check`). */
export const gitlabConfigSchema = z.strictObject({
  token: z.string().min(1),
  baseUrl: z.url().optional(),
  groups: paths.optional(),
  projects: paths.optional(),
  repositoryTeams: z.record(z.string().min(1), z.string().min(1)).optional(),
  webhookSecret: z.string().min(1).optional(),
});

export interface ResolvedGitLabOptions {
  id: string;
  token: string;
  baseUrl: string;
  groups: readonly string[];
  projects: readonly string[];
  webhookSecret?: string;
  peopleRefreshMs: number;
  configuredTeams: readonly { id: string; name: string }[];
  sleep?: GitLabSleep;
  /** The team of a repository (case-insensitive), if one owns it. */
  teamOf(repository: string): string | undefined;
  /** Whether a repository is synced: one of `projects`, or in one of `groups`. */
  tracks(repository: string): boolean;
}

export function resolveGitLabOptions(options: GitLabOptions): ResolvedGitLabOptions {
  if (typeof options?.token !== 'string' || options.token.trim() === '')
    throw new TeamStateError(
      'invalid_config',
      'gitlab.token: expected a GitLab access token with the read_api scope (api for actions): User settings › Access tokens',
    );
  const baseUrl = (options.baseUrl ?? 'https://gitlab.com').replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    throw new TeamStateError(
      'invalid_config',
      `gitlab.baseUrl: expected the instance's http(s) URL such as https://gitlab.example.com, got "${baseUrl}"`,
    );
  const groups = [...(options.groups ?? [])];
  const projects = [...(options.projects ?? [])];
  if (groups.length === 0 && projects.length === 0)
    throw new TeamStateError('invalid_config', 'gitlab: give groups (e.g. [acme]) or projects (e.g. [acme/checkout]) to sync');
  const owners = new Map(Object.entries(options.repositoryTeams ?? {}).map(([repository, team]) => [repository.toLowerCase(), team]));
  const lowerProjects = new Set(projects.map((p) => p.toLowerCase()));
  const lowerGroups = groups.map((g) => `${g.toLowerCase()}/`);
  return {
    id: options.id ?? 'gitlab',
    token: options.token,
    baseUrl,
    groups,
    projects,
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    peopleRefreshMs: options.peopleRefreshMs ?? 24 * 3_600_000,
    configuredTeams: options.configuredTeams ?? [],
    ...(options.sleep ? { sleep: options.sleep } : {}),
    teamOf: (repository) => owners.get(repository.toLowerCase()),
    tracks: (repository) => {
      const lower = repository.toLowerCase();
      return lowerProjects.has(lower) || lowerGroups.some((g) => lower.startsWith(g));
    },
  };
}
