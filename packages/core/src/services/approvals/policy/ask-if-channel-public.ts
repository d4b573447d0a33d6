import { z } from 'zod';

/** `ask_if_channel_public: true` on an action rule: a post to a public Slack channel waits for a person (`ask`). */
export const askIfChannelPublicSchema = z.boolean({
  error: (issue) => `expected true or false (true: a post to a public channel waits for a person), got ${JSON.stringify(issue.input)}`,
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Accepts the rule spelling `{ mode: { ask_if_channel_public: true } }` (a mode that asks for public channels and
 * runs elsewhere) as `{ mode: auto, ask_if_channel_public: true }`; every other rule is left as written.
 */
export function seedModeSpelling(rule: unknown): unknown {
  if (!isRecord(rule) || !isRecord(rule.mode)) return rule;
  const keys = Object.keys(rule.mode);
  if (keys.length !== 1 || keys[0] !== 'ask_if_channel_public' || rule.ask_if_channel_public !== undefined) return rule;
  return { ...rule, mode: 'auto', ask_if_channel_public: rule.mode.ask_if_channel_public };
}
