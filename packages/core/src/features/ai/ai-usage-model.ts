import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';
import { daySchema } from '../../kernel/model/local-day.js';

const count = (what: string) =>
  z
    .number({ error: `expected the number of ${what}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(0, { error: `expected a number of ${what} of 0 or more` })
    .default(0);

/**
 * A day of an AI coding tool's usage (docs/ai-impact.md#copilot-usage), as a usage report gives it: one person's day (`person`),
 * a team's (`team`), or the organisation's (neither). The GitHub connector fills it from the Copilot usage-metrics
 * reports (`copilot: true`); a bundle may carry any tool's. One row per day, tool and subject: a later report for the
 * same day replaces the earlier.
 */
export const aiUsageSchema = z
  .strictObject({
    day: daySchema,
    person: idSchema.optional(),
    team: idSchema.optional(),
    /** The tool, lower case: `copilot`, `cursor`, `claude-code`… */
    tool: z
      .string({ error: 'expected the tool as a string, e.g. "copilot"' })
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { error: 'expected a lower-case tool name such as "copilot" or "claude-code"' }),
    /** People who used the tool that day (1 on a person's row). */
    activeUsers: count('active users'),
    /** Prompts and chat requests a person started. */
    interactions: count('interactions'),
    /** Code the tool generated (suggestions shown, edits proposed). */
    codeGenerations: count('code generations'),
    /** Generated code a person accepted. */
    acceptances: count('acceptances'),
    linesSuggested: count('lines suggested'),
    linesAccepted: count('lines accepted'),
  })
  .refine((usage) => usage.person === undefined || usage.team === undefined, {
    error: 'give either person or team (a person already belongs to teams), not both',
    path: ['team'],
  });
export type AiUsageInput = z.input<typeof aiUsageSchema>;
export type AiUsage = z.output<typeof aiUsageSchema>;
