import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** A wait between retries (injectable, so tests need not sleep). */
export type PagerDutySleep = (ms: number, reason: string) => Promise<void>;

/** `connectors.pagerduty` of teamstate.config.yaml, and the options of `pagerduty()`. */
export interface PagerDutyOptions {
  /** A REST API key (`Token token=…`): read access for sync, write access for the actions. */
  token: string;
  /** Default `https://api.pagerduty.com`. */
  baseUrl?: string;
  /** Only these service ids (default: every service the key sees). */
  services?: readonly string[];
  /** The team each service belongs to: its incidents get that team. */
  serviceTeams?: Readonly<Record<string, string>>;
  /** The repository each service runs from: its incidents get that repository. */
  serviceRepositories?: Readonly<Record<string, string>>;
  /** The secret of the v3 webhook subscription (`POST /webhooks/pagerduty`). */
  webhookSecret?: string;
  /** The email writes are sent `From:` (a PagerDuty user's). */
  from?: string;
  /** The connector id (default `pagerduty`). */
  id?: string;
  /** How far back the first sync reads, in days (default and most: 180, PagerDuty's limit). */
  days?: number;
  sleep?: PagerDutySleep;
}

const record = z.record(z.string().min(1), z.string().min(1));

/** The config section's schema (validated by `teamstate config check`). */
export const pagerdutyConfigSchema = z.strictObject({
  token: z.string().min(1),
  baseUrl: z.url().optional(),
  services: z.array(z.string().min(1)).optional(),
  serviceTeams: record.optional(),
  serviceRepositories: record.optional(),
  webhookSecret: z.string().min(1).optional(),
  from: z.email().optional(),
});

export interface ResolvedPagerDutyOptions {
  id: string;
  token: string;
  baseUrl: string;
  services: readonly string[];
  serviceTeams: Readonly<Record<string, string>>;
  serviceRepositories: Readonly<Record<string, string>>;
  webhookSecret?: string;
  from?: string;
  days: number;
  sleep: PagerDutySleep;
}

const timerSleep: PagerDutySleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function resolvePagerDutyOptions(options: PagerDutyOptions): ResolvedPagerDutyOptions {
  if (typeof options?.token !== 'string' || options.token.trim() === '')
    throw new TeamStateError('invalid_config', 'pagerduty.token: expected a PagerDuty REST API key (Integrations › API Access Keys)');
  const baseUrl = (options.baseUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl))
    throw new TeamStateError('invalid_config', `pagerduty.baseUrl: expected an http(s) URL, got "${baseUrl}"`);
  const days = options.days ?? 180;
  if (!Number.isInteger(days) || days < 1 || days > 180)
    throw new TeamStateError('invalid_config', `pagerduty.days: expected a whole number from 1 to 180 (PagerDuty's limit), got ${days}`);
  return {
    id: options.id ?? 'pagerduty',
    token: options.token,
    baseUrl,
    services: options.services ?? [],
    serviceTeams: options.serviceTeams ?? {},
    serviceRepositories: options.serviceRepositories ?? {},
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    ...(options.from ? { from: options.from } : {}),
    days,
    sleep: options.sleep ?? timerSleep,
  };
}
