import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** How long to wait between retries; the sync context's reported, abort-aware sleep by default. */
export type LinearSleep = (ms: number, reason: string) => Promise<void>;

/** Options of {@link linear}. */
export interface LinearOptions {
  /** A personal API key (Settings › Security & access › Personal API keys), sent as `Authorization: <key>`. */
  apiKey: string;
  /** Team keys to sync, e.g. `['PAY']`; default every team the key sees. */
  teams?: readonly string[];
  /** Verifies `POST /webhooks/linear` (`Linear-Signature`); without it the connector receives no webhooks. */
  webhookSecret?: string;
  /** The team that owns each Linear team key; issues and cycles get it. A Linear team without one gets `linear-<key>`. */
  teamOfLinearTeam?: Readonly<Record<string, string>>;
  /** Default `https://api.linear.app/graphql`. */
  url?: string;
  /** Connector id (cursors and `--only`). Default `linear`. */
  id?: string;
  /** Issues per request (each with its first 15 history entries). Default 60, at most 90 (a query may cost 10,000 points). */
  pageSize?: number;
  /** Retries of rate-limited (`RATELIMITED`, 429) and unavailable (5xx) requests. Default 6. */
  maxRetries?: number;
  /** Waits between retries (inject a fast one in tests); rate-limit waits are reported as progress either way. */
  sleep?: LinearSleep;
}

/** Options with defaults applied and checked. */
export interface ResolvedLinearOptions {
  id: string;
  apiKey: string;
  url: string;
  teams: string[];
  webhookSecret?: string;
  teamOfLinearTeam: Readonly<Record<string, string>>;
  pageSize: number;
  maxRetries: number;
  sleep?: LinearSleep;
}

const TEAM_KEY = /^[A-Z0-9][A-Z0-9_]{0,6}$/i;

function fail(message: string): never {
  throw new TeamStateError('invalid_config', message);
}

/** Applies defaults and checks the options; messages name the option and the fix, never the key's value. */
export function resolveLinearOptions(options: LinearOptions): ResolvedLinearOptions {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '')
    fail('linear.apiKey: expected a Linear personal API key (Settings › Security & access › Personal API keys)');
  const teams = [...new Set((options.teams ?? []).map((key) => String(key).toUpperCase()))];
  for (const key of teams) if (!TEAM_KEY.test(key)) fail(`linear.teams: "${key}" is not a team key (letters and digits, e.g. PAY)`);
  const url = options.url ?? 'https://api.linear.app/graphql';
  if (!/^https?:\/\/[^@]+$/.test(url)) fail(`linear.url: expected an http(s) URL without credentials, e.g. https://api.linear.app/graphql`);
  const pageSize = options.pageSize ?? 60;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 90)
    fail(`linear.pageSize: expected a whole number from 1 to 90 (a page's query complexity grows with it), got ${pageSize}`);
  const maxRetries = options.maxRetries ?? 6;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) fail(`linear.maxRetries: expected a whole number >= 0, got ${maxRetries}`);
  return {
    id: options.id ?? 'linear',
    apiKey: options.apiKey.trim(),
    url,
    teams,
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    teamOfLinearTeam: Object.fromEntries(Object.entries(options.teamOfLinearTeam ?? {}).map(([key, team]) => [key.toUpperCase(), team])),
    pageSize,
    maxRetries,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
}

const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });

/** `connectors.linear` in teamstate.config.yaml: `{ apiKey, teams?: [keys], webhookSecret?, url? }`. */
export const linearConfigSchema = z.strictObject({
  apiKey: secret,
  // The GraphQL endpoint (a proxy, a test server): what the connector names when Linear cannot be reached.
  url: z.url().optional(),
  teams: z.array(z.string().regex(TEAM_KEY, { error: 'expected a Linear team key such as "PAY"' })).optional(),
  webhookSecret: secret.optional(),
}) satisfies z.ZodType<Partial<LinearOptions>>;

/**
 * What the Linear connector adds to a team in teamstate.config.yaml: `teams[].linearTeams`, the Linear team keys the
 * team owns (their issues and cycles get the team).
 */
export const linearTeamFields = {
  linearTeams: z.array(z.string().min(1)).optional(),
};

/** Which team owns each Linear team key (`teams[].linearTeams`); a key owned twice is refused. */
export function teamOfLinearTeamFromTeams(teams: readonly { id: string; linearTeams?: readonly string[] }[]): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const team of teams)
    for (const raw of team.linearTeams ?? []) {
      const key = raw.toUpperCase();
      const owner = owners[key];
      if (owner && owner !== team.id)
        throw new TeamStateError(
          'invalid_config',
          `teams: Linear team ${key} is owned by both "${owner}" and "${team.id}" (keep it in one team's linearTeams)`,
        );
      owners[key] = team.id;
    }
  return owners;
}
