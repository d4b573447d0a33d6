import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';

/** A goal's period: a quarter `2026-Q4`, a half `2026-H1`, a month `2026-03` or a year `2026`. */
export const periodSchema = z
  .string({ error: 'expected a period such as 2026-Q4, 2026-H1, 2026-03 or 2026' })
  .regex(/^\d{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$/, { error: 'expected a period such as 2026-Q4, 2026-H1, 2026-03 or 2026' });

/** What links work to a goal: an epic (its key; work reaches it through `parent`), a label, a project or a milestone. */
export const goalLinkKindSchema = z.enum(['epic', 'label', 'project', 'milestone']);
export type GoalLinkKind = z.infer<typeof goalLinkKindSchema>;

/** One link of a goal to work. */
export const goalLinkSchema = z.strictObject({
  kind: goalLinkKindSchema,
  ref: z.string({ error: 'expected the epic key, label, project or milestone name' }).trim().min(1, { error: 'must not be empty' }),
});
export type GoalLink = z.infer<typeof goalLinkSchema>;

/** A key result: measured by a metric against a target, or by a progress share (0–1) someone reports. */
export const keyResultSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(1, { error: 'must not be empty' }),
  metric: z
    .strictObject({
      id: z.string().min(1, { error: 'expected a metric id such as pr_cycle_time' }),
      target: z.number({ error: 'expected a number' }),
      direction: z.enum(['up', 'down']),
    })
    .optional(),
  progress: z.number().min(0, { error: 'expected a share from 0 to 1' }).max(1, { error: 'expected a share from 0 to 1' }).optional(),
});
export type KeyResult = z.infer<typeof keyResultSchema>;

/** A goal (docs/plans.md#goals): config, bundle `goals` or `teamstate goals add`. */
export const goalSchema = z.strictObject({
  id: idSchema,
  title: z.string({ error: 'expected a title' }).min(1, { error: 'must not be empty' }),
  team: idSchema.optional(),
  parent: idSchema.optional(),
  period: periodSchema,
  owner: idSchema.optional(),
  keyResults: z.array(keyResultSchema).default([]),
  links: z.array(goalLinkSchema).default([]),
});
/** A goal as given (key results and links may be missing). */
export type GoalInput = z.input<typeof goalSchema>;
export type Goal = z.output<typeof goalSchema>;

/** A period's first instant and the instant after its end (UTC), half-open. */
export function periodRange(period: string): [number, number] {
  const year = Number(period.slice(0, 4));
  const rest = period.slice(5);
  if (rest === '') return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
  if (rest.startsWith('Q')) {
    const q = Number(rest.slice(1)) - 1;
    return [Date.UTC(year, q * 3, 1), Date.UTC(year, q * 3 + 3, 1)];
  }
  if (rest.startsWith('H')) {
    const h = Number(rest.slice(1)) - 1;
    return [Date.UTC(year, h * 6, 1), Date.UTC(year, h * 6 + 6, 1)];
  }
  const month = Number(rest) - 1;
  return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
}
