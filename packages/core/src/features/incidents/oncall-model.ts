import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';
import { parseTimestamp, timestampSchema } from '../../kernel/model/timestamp.js';

/**
 * Who is on call (an on-call tool's shift, e.g. a PagerDuty `/oncalls` entry): `person` at `level` of an escalation
 * policy, through a `schedule` when the rule names one, for a `service` (named as its incidents name it) and the
 * service's `team`, from `start` to `end` (either left out: without bound, as when a rule names a person directly).
 */
export const oncallSchema = z
  .strictObject({
    source: z.string({ error: 'expected the on-call tool, e.g. "pagerduty"' }).min(1),
    escalationPolicy: z.string({ error: 'expected the escalation policy id, e.g. "PESCPOL"' }).min(1),
    escalationPolicyName: z.string().min(1).optional(),
    level: z
      .number({ error: 'expected the escalation level as a whole number, 1 for the first' })
      .int({ error: 'expected the escalation level as a whole number, 1 for the first' })
      .min(1, { error: 'expected an escalation level of 1 or more' })
      .default(1),
    schedule: z.string().min(1).optional(),
    scheduleName: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    team: idSchema.optional(),
    person: idSchema,
    start: timestampSchema.optional(),
    end: timestampSchema.optional(),
  })
  .superRefine((oncall, ctx) => {
    const start = oncall.start === undefined ? undefined : parseTimestamp(oncall.start);
    const end = oncall.end === undefined ? undefined : parseTimestamp(oncall.end);
    if (start !== undefined && end !== undefined && end < start)
      ctx.addIssue({ code: 'custom', path: ['end'], message: `must not be before start (${oncall.start})` });
    if (oncall.service === undefined && oncall.team === undefined)
      ctx.addIssue({ code: 'custom', path: ['service'], message: 'an on-call entry needs its service or its team (or both)' });
  });
export type OncallInput = z.input<typeof oncallSchema>;
export type Oncall = z.output<typeof oncallSchema>;
