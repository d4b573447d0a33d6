import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';
import { daySchema } from '../../kernel/model/local-day.js';

/** A person away from `from` to `to` (days, both inclusive): forecasts count them out. */
export const absenceSchema = z
  .strictObject({ person: idSchema, from: daySchema, to: daySchema })
  .refine((absence) => absence.from <= absence.to, { path: ['to'], error: 'must not be before from' });
export type Absence = z.infer<typeof absenceSchema>;
