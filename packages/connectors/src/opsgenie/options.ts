import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** A wait between retries (injectable, so tests need not sleep). */
export type OpsgenieSleep = (ms: number, reason: string) => Promise<void>;

/** `connectors.opsgenie` of teamstate.config.yaml, and the options of `opsgenie()`. */
export interface OpsgenieOptions {
  /** An API key of an API integration (`GenieKey`): read access for sync, create and update for the actions. */
  apiKey: string;
  /** Default `https://api.opsgenie.com` (EU: `https://api.eu.opsgenie.com`). */
  baseUrl?: string;
  /** Only these Opsgenie teams, by name (default: every team the key sees). */
  teams?: readonly string[];
  /** The shared key webhooks must carry (`X-Opsgenie-Key` or `?key=`) at `POST /webhooks/opsgenie`. */
  webhookKey?: string;
  /** The connector id (default `opsgenie`). */
  id?: string;
  /** How far back the first sync reads incidents, in days (default 180). */
  days?: number;
  sleep?: OpsgenieSleep;
}

/** The config section's schema (validated by `teamstate config check`). */
export const opsgenieConfigSchema = z.strictObject({
  apiKey: z.string().min(1),
  baseUrl: z.url().optional(),
  teams: z.array(z.string().min(1)).optional(),
  webhookKey: z.string().min(8).optional(),
});

export interface ResolvedOpsgenieOptions {
  id: string;
  apiKey: string;
  baseUrl: string;
  teams: readonly string[];
  webhookKey?: string;
  days: number;
  sleep: OpsgenieSleep;
}

/** Checks and completes the options; a bad one throws naming the field and the fix. */
export function resolveOpsgenieOptions(options: OpsgenieOptions): ResolvedOpsgenieOptions {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '')
    throw new TeamStateError(
      'invalid_config',
      'opsgenie.apiKey: expected the API key of an Opsgenie API integration (Settings › Integrations › API)',
    );
  const baseUrl = (options.baseUrl ?? 'https://api.opsgenie.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    throw new TeamStateError(
      'invalid_config',
      `opsgenie.baseUrl: expected an http(s) URL such as https://api.opsgenie.com, got "${baseUrl}"`,
    );
  const days = options.days ?? 180;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new TeamStateError('invalid_config', `opsgenie.days: expected a whole number from 1 to 365, got ${days}`);
  return {
    id: options.id ?? 'opsgenie',
    apiKey: options.apiKey,
    baseUrl,
    teams: options.teams ?? [],
    ...(options.webhookKey ? { webhookKey: options.webhookKey } : {}),
    days,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
