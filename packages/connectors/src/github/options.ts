import { describeZodIssues, ValidationError } from '@teamstate/core';
import { z } from 'zod';

/** Where deployments come from. */
export type DeploymentSource = 'deployments' | 'workflow_runs' | 'releases';

/** GitHub App installation auth. */
export interface GitHubAppAuth {
  /** The App id (or its client id). */
  appId: number | string;
  /** The App's private key (PEM); `\\n` escapes, as an environment variable often carries it, are turned into line breaks. */
  privateKey: string;
  /** The installation id, as a number or its digits. */
  installationId: number | string;
}

/** Options of the `github()` connector. */
export interface GitHubConnectorOptions {
  /** Connector id (for `--only` and cursors). Default `github`. */
  id?: string;
  /** A personal access token (classic or fine-grained) or an installation token. */
  token?: string;
  /** GitHub App installation auth, instead of `token`. */
  app?: GitHubAppAuth;
  /**
   * `https://api.github.com` (default); for GitHub Enterprise Server `https://<host>/api/v3` or just
   * `https://<host>` (REST is then `…/api/v3`, GraphQL `…/api/graphql`).
   */
  baseUrl?: string;
  /** The organisation: its members and teams are synced, and all its repositories unless `repositories` is set. */
  org?: string;
  /** Exactly these repositories (`owner/name`). Without it, every repository of `org`. */
  repositories?: readonly string[];
  /** Also sync archived repositories of `org` (default false). */
  includeArchived?: boolean;
  /** Which team owns each repository (the config's `teams[].repositories`): PRs, deployments and incidents get that team. */
  teamOfRepository?: Readonly<Record<string, string>>;
  /**
   * Teams the configuration declares. The connector never renames them; a declared team without
   * `members` gets the members of the GitHub team with the same slug, one with `members` keeps its own.
   */
  configuredTeams?: readonly { id: string; name: string; members?: readonly string[] }[];
  /** Sync the organisation's teams as teams (default true when `org` is set). */
  syncTeams?: boolean;
  /** How deployments are found. */
  deployments?: {
    /** `deployments` (the Deployments API, default), `workflow_runs` (GitHub Actions runs of `workflow`) or `releases`. */
    source?: DeploymentSource;
    /** Only these environments (source `deployments`). */
    environments?: readonly string[];
    /** The workflow file name or id whose runs are deployments (source `workflow_runs`), e.g. `deploy.yml`. */
    workflow?: string;
    /** The environment name given to workflow runs and releases (default `production`). */
    environment?: string;
    /** Work out which PRs each successful deployment shipped from its commit range (default true). */
    mapPullRequests?: boolean;
  };
  /** Issues with any of these labels are incidents (default `["incident"]`). */
  incidentLabels?: readonly string[];
  /**
   * Also read the organisation's Copilot usage (the Copilot usage-metrics reports: a request and a download per day)
   * into `aiUsage`. Needs `org` and a credential with the "Organization Copilot metrics" permission (read). Default false.
   */
  copilot?: boolean;
  /**
   * GitHub Projects (`<org>/<number>`, e.g. `acme/3`): their items that are issues become work items with the project's
   * status, iteration (as a sprint) and estimate (as points).
   */
  projects?: readonly string[];
  /** Verifies `X-Hub-Signature-256` on `POST /webhooks/github`; without it the connector receives no webhooks. */
  webhookSecret?: string;
  /** Pull requests per GraphQL page to start with (5–100, default 50); halves on timeouts and grows back. */
  pageSize?: number;
  /** Members and teams are read again when older than this (hours, default 24). */
  peopleRefreshHours?: number;
  /**
   * Replaces the timer behind rate-limit and retry waits (the wait is still reported as progress).
   * For tests: GitHub's secondary limit asks for waits of a minute and more.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const repositoryName = z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' });
const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });
/** A positive id, as a number or as the digits a YAML file or an environment variable gives. */
const numericId = (what: string) =>
  z.union([z.number().int().positive(), z.string().regex(/^\d+$/, { error: `expected the numeric ${what}` })]);

/**
 * The settings a person writes down: `connectors.github` in teamstate.config.yaml, and the same keys of
 * `github()`. One shape, so the config file and the SDK cannot disagree on a type.
 */
const settings = {
  token: secret.optional(),
  org: z.string().min(1).optional(),
  repositories: z.array(repositoryName).readonly().optional(),
  baseUrl: z.url({ error: 'expected a URL, e.g. https://api.github.com or https://github.acme.example/api/v3' }).optional(),
  webhookSecret: secret.optional(),
  /** GitHub App installation auth instead of `token`; `privateKey` is the PEM (`\n` escapes allowed). */
  app: z
    .strictObject({
      /** The App id, or its client id. */
      appId: z.union([z.number().int().positive(), z.string().min(1)]),
      privateKey: secret.refine((key) => key.includes('PRIVATE KEY'), { error: 'expected the App private key in PEM format' }),
      installationId: numericId('installation id'),
    })
    .optional(),
  includeArchived: z.boolean().optional(),
  syncTeams: z.boolean().optional(),
  deployments: z
    .strictObject({
      source: z.enum(['deployments', 'workflow_runs', 'releases']).optional(),
      environments: z.array(z.string().min(1)).readonly().optional(),
      workflow: z.string().min(1).optional(),
      environment: z.string().min(1).optional(),
      mapPullRequests: z.boolean().optional(),
    })
    .optional(),
  incidentLabels: z.array(z.string().min(1)).readonly().optional(),
  copilot: z.boolean().optional(),
  projects: z
    .array(z.string().regex(/^[^/\s]+\/\d+$/, { error: 'expected a project as <org>/<number>, e.g. acme/3' }))
    .readonly()
    .optional(),
};

type Settings = z.infer<z.ZodObject<typeof settings>>;

/** The rules between settings; `app` is where the App settings live, as the reader knows it. */
const checkSettings = (app: string) => (options: Settings & { id?: string }, ctx: z.RefinementCtx) => {
  if (!options.token && !options.app)
    ctx.addIssue({ code: 'custom', path: ['token'], message: `is required (or configure GitHub App auth under ${app})` });
  if (!options.org && !options.repositories?.length)
    ctx.addIssue({
      code: 'custom',
      path: ['repositories'],
      message: 'set repositories (e.g. [acme/api]) or org (to sync every repository of the organisation)',
    });
  if (options.copilot && !options.org)
    ctx.addIssue({
      code: 'custom',
      path: ['copilot'],
      message: 'needs org: Copilot usage reports are read per organisation (set org, e.g. acme)',
    });
  if (options.deployments?.source === 'workflow_runs' && !options.deployments.workflow)
    ctx.addIssue({
      code: 'custom',
      path: ['deployments', 'workflow'],
      message: 'is required when deployments.source is workflow_runs (the workflow file, e.g. deploy.yml)',
    });
};

/** `connectors.github` in teamstate.config.yaml (docs/connectors/github.md); the CLI's config schema composes it. */
export const githubConfigSchema = z.strictObject(settings).superRefine(checkSettings('connectors.github.app'));

const optionsSchema = z
  .strictObject({
    ...settings,
    id: z.string().min(1).optional(),
    teamOfRepository: z.record(z.string(), z.string().min(1)).optional(),
    configuredTeams: z
      .array(z.object({ id: z.string().min(1), name: z.string().min(1), members: z.array(z.string()).readonly().optional() }))
      .readonly()
      .optional(),
    pageSize: z.number().int().min(5).max(100).optional(),
    peopleRefreshHours: z.number().positive().optional(),
    sleep: z.custom<(ms: number, signal: AbortSignal) => Promise<void>>((value) => typeof value === 'function').optional(),
  })
  .superRefine((options, ctx) => {
    checkSettings('"app"')(options, ctx);
    if (options.token && options.app) ctx.addIssue({ code: 'custom', path: ['app'], message: 'use either token or app, not both' });
  });

/** The options after validation and defaults. */
export interface ResolvedGitHubOptions {
  id: string;
  auth: { token: string } | { app: { appId: number | string; privateKey: string; installationId: number } };
  restUrl: string;
  graphqlUrl: string;
  org?: string;
  repositories?: readonly string[];
  includeArchived: boolean;
  teamOf: (repository: string) => string | undefined;
  /** The configured spelling of a repository name (GitHub names are case-insensitive), else the name as given. */
  spellingOf: (repository: string) => string;
  configuredTeams: readonly { id: string; name: string; members?: readonly string[] }[];
  syncTeams: boolean;
  deploymentSource: DeploymentSource;
  environments?: readonly string[];
  workflow?: string;
  environment: string;
  mapPullRequests: boolean;
  incidentLabels: readonly string[];
  copilot: boolean;
  projects: readonly string[];
  webhookSecret?: string;
  pageSize: number;
  peopleRefreshMs: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * REST and GraphQL endpoints for a base URL: github.com, GHES given as `https://<host>/api/v3` or as
 * `https://<host>`, or any other URL (a proxy) whose GraphQL endpoint is `<url>/graphql`.
 */
export function endpointsFor(baseUrl: string | undefined): { restUrl: string; graphqlUrl: string } {
  const url = new URL(baseUrl ?? 'https://api.github.com');
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  if (url.hostname === 'api.github.com' && path === '') return { restUrl: origin, graphqlUrl: `${origin}/graphql` };
  if (path === '' || path === '/api/v3') return { restUrl: `${origin}/api/v3`, graphqlUrl: `${origin}/api/graphql` };
  return { restUrl: `${origin}${path}`, graphqlUrl: `${origin}${path}/graphql` };
}

/**
 * Validates the options of `github()` and fills in defaults.
 * @throws ValidationError (`invalid_config`) naming each wrong option and how to fix it
 */
export function resolveGitHubOptions(options: GitHubConnectorOptions): ResolvedGitHubOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ValidationError('invalid_config', 'The github() options', describeZodIssues(optionsSchema, parsed.error.issues));
  const o = parsed.data;
  const owners = new Map(Object.entries(o.teamOfRepository ?? {}).map(([repository, team]) => [repository.toLowerCase(), team]));
  const spellings = new Map(
    [...Object.keys(o.teamOfRepository ?? {}), ...(o.repositories ?? [])].map((repository) => [repository.toLowerCase(), repository]),
  );
  return {
    id: o.id ?? 'github',
    auth: o.app
      ? {
          app: {
            appId: o.app.appId,
            privateKey: o.app.privateKey.replace(/\\n/g, '\n'),
            installationId: Number(o.app.installationId),
          },
        }
      : { token: o.token! },
    ...endpointsFor(o.baseUrl),
    org: o.org,
    repositories: o.repositories,
    includeArchived: o.includeArchived ?? false,
    teamOf: (repository) => owners.get(repository.toLowerCase()),
    spellingOf: (repository) => spellings.get(repository.toLowerCase()) ?? repository,
    configuredTeams: o.configuredTeams ?? [],
    syncTeams: o.syncTeams ?? true,
    deploymentSource: o.deployments?.source ?? 'deployments',
    environments: o.deployments?.environments,
    workflow: o.deployments?.workflow,
    environment: o.deployments?.environment ?? 'production',
    mapPullRequests: o.deployments?.mapPullRequests ?? true,
    incidentLabels: o.incidentLabels ?? ['incident'],
    copilot: o.copilot ?? false,
    projects: o.projects ?? [],
    webhookSecret: o.webhookSecret,
    pageSize: o.pageSize ?? 50,
    peopleRefreshMs: (o.peopleRefreshHours ?? 24) * 3_600_000,
    sleep: o.sleep,
  };
}
