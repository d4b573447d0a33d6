import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import type { SlackCommandAnswers } from './commands/slack-commands.js';

/** Options of {@link slack}. */
export interface SlackOptions {
  /** The app's bot token (`xoxb-…`). Never logged. */
  token: string;
  /**
   * The app's signing secret (Basic Information → App Credentials). Enables
   * `POST /webhooks/slack/interactivity`, so people can decide approvals with buttons. Never logged.
   */
  signingSecret?: string;
  /** Web API base URL (default `https://slack.com/api/`): an alternate Slack host, or a local test server. */
  apiUrl?: string;
  /**
   * The channel id (`C…`) where approval requests are posted. Without it, each eligible approver of an
   * approval with an approver list gets a direct message, and other approvals are not posted.
   */
  approvalChannel?: string;
  /** Show pending approvals in Slack (default true); `false` keeps Slack to people, posting and DMs. */
  approvalRequests?: boolean;
  /** Pause between `users.list` pages in milliseconds (Tier 2 allows about 20 calls a minute; default 3000). */
  pageIntervalMs?: number;
  /** Timeout of one Web API request in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** How the connector waits out rate limits and paces pages (default: a timer); tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How `/teamstate standup|sprint|triage|ask` are answered (with the signing secret, the slash command is served at
   * `POST /webhooks/slack/commands`); `teamstate serve` passes the digests' renderers. Without one, that subcommand
   * says it is not configured.
   */
  commands?: SlackCommandAnswers;
}

/** {@link SlackOptions} checked, with defaults applied. */
export interface ResolvedSlackOptions {
  token: string;
  signingSecret?: string;
  apiUrl: string;
  approvalChannel?: string;
  approvalRequests: boolean;
  pageIntervalMs: number;
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  commands: SlackCommandAnswers;
}

/** A Slack conversation id of a channel, private channel or DM. */
export const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
/** A Slack user id. */
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Validates the options, with messages that name the setting and the fix. */
export function resolveSlackOptions(options: SlackOptions): ResolvedSlackOptions {
  const fail = (message: string) => new TeamStateError('invalid_config', `slack: ${message}`);
  if (typeof options?.token !== 'string' || options.token.trim() === '') {
    throw fail(`token is required: the bot token (xoxb-…) from OAuth & Permissions (connectors.slack.token, e.g. \${SLACK_BOT_TOKEN})`);
  }
  if (options.signingSecret !== undefined && options.signingSecret.trim() === '') {
    throw fail('signingSecret must not be empty: copy it from Basic Information → App Credentials, or leave it out');
  }
  let apiUrl = options.apiUrl ?? 'https://slack.com/api/';
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw fail(`apiUrl: expected an http(s) URL such as https://slack.com/api/, got "${apiUrl}"`);
  }
  if (!apiUrl.endsWith('/')) apiUrl += '/';
  if (options.approvalChannel !== undefined && !CHANNEL_ID.test(options.approvalChannel)) {
    throw fail(
      `approvalChannel: expected a channel id such as C0123ABCD, got "${options.approvalChannel}" (channel names change; copy the id from the channel's details)`,
    );
  }
  const whole = (name: string, value: number | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min)
      throw fail(`${name}: expected a whole number of milliseconds of at least ${min}, got ${value}`);
    return value;
  };
  return {
    token: options.token,
    signingSecret: options.signingSecret,
    apiUrl,
    approvalChannel: options.approvalChannel,
    approvalRequests: options.approvalRequests ?? true,
    pageIntervalMs: whole('pageIntervalMs', options.pageIntervalMs, 3000, 0),
    timeoutMs: whole('timeoutMs', options.timeoutMs, 10_000, 1),
    sleep: options.sleep,
    commands: options.commands ?? {},
  };
}

const secret = z.string().min(1, { error: 'must not be empty (use ${ENV_NAME} to read it from the environment)' });

/**
 * `connectors.slack` in teamstate.config.yaml (the CLI's config schema composes it): bot token, signing
 * secret, alternate API host, approval channel. What each value must look like is {@link resolveSlackOptions}'s.
 */
export const slackConfigSchema = z.strictObject({
  token: secret,
  signingSecret: secret.optional(),
  apiUrl: z.url({ error: 'expected a URL, e.g. https://slack.com/api/' }).optional(),
  approvalChannel: z.string().min(1).optional(),
}) satisfies z.ZodType<SlackOptions>;
