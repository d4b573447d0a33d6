import type { z } from 'zod';

/**
 * The `limits` teamstate itself enforces, each with what a valid value is (the fix a bad one's message names). Other
 * numbers in `limits` are handed to executors as they are (`max_channel_size_auto_post`).
 */
const KNOWN_LIMITS: Record<string, { valid(value: number): boolean; expected: string }> = {
  max_monthly_cost_usd: {
    valid: (value) => Number.isFinite(value) && value >= 0,
    expected: 'expected US dollars a month, 0 or more (e.g. 200)',
  },
  proposals_per_hour: {
    valid: (value) => Number.isInteger(value) && value >= 1,
    expected: 'expected a whole number of proposals per caller per hour, at least 1 (e.g. 60)',
  },
};

/** Checks the values of the limits teamstate enforces (`policy.limits.proposals_per_hour: expected a whole number …, got 0`). */
export function checkLimitValues(limits: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [name, rule] of Object.entries(KNOWN_LIMITS)) {
    const value = limits[name];
    if (typeof value === 'number' && !rule.valid(value))
      ctx.addIssue({ code: 'custom', path: [name], message: `${rule.expected}, got ${JSON.stringify(value)}` });
  }
}
