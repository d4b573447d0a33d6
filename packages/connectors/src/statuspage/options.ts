import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

export type StatuspageSleep = (ms: number, reason: string) => Promise<void>;

/** `connectors.statuspage` of teamstate.config.yaml, and the options of `statuspage()`. */
export interface StatuspageOptions {
  /** An API key of the Statuspage account (Manage account › API info). */
  token: string;
  /** The page's id. */
  pageId: string;
  /** Default `https://api.statuspage.io/v1`. */
  baseUrl?: string;
  id?: string;
  sleep?: StatuspageSleep;
}

export const statuspageConfigSchema = z.strictObject({
  token: z.string().min(1),
  pageId: z.string().min(1),
  baseUrl: z.url().optional(),
});

export interface ResolvedStatuspageOptions {
  id: string;
  token: string;
  pageId: string;
  baseUrl: string;
  sleep: StatuspageSleep;
}

export function resolveStatuspageOptions(options: StatuspageOptions): ResolvedStatuspageOptions {
  if (typeof options?.token !== 'string' || options.token.trim() === '')
    throw new TeamStateError('invalid_config', 'statuspage.token: expected a Statuspage API key (Manage account › API info)');
  if (typeof options.pageId !== 'string' || !/^[a-z0-9]{4,40}$/i.test(options.pageId))
    throw new TeamStateError(
      'invalid_config',
      `statuspage.pageId: expected the page's id, such as kctbh9vrtdwd (got ${JSON.stringify(options.pageId)})`,
    );
  return {
    id: options.id ?? 'statuspage',
    token: options.token,
    pageId: options.pageId,
    baseUrl: (options.baseUrl ?? 'https://api.statuspage.io/v1').replace(/\/+$/, ''),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
