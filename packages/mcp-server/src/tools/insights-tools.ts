import { z } from 'zod';
import { idArgument, timestampArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

const count = z.number();

/** `oncall_health`: who carries the pager (`ts.oncall.health()`), person-level under the wellbeing rule. */
export const oncallHealthTool = defineTool({
  name: 'oncall_health',
  title: 'On-call health',
  toolset: 'insights',
  writes: false,
  description:
    'On-call load per person (default last 28 days): shifts, pages, after-hours, sleep-hour (22-07 their zone) and weekend pages, weeks in a row. Only people whose wellbeing you may read.',
  input: z.strictObject({
    team: idArgument().optional(),
    from: timestampArgument().optional(),
    to: timestampArgument().optional(),
  }),
  output: z.object({
    window: z.object({ from: z.string(), to: z.string() }),
    team: z.string().optional(),
    people: z.array(
      z.object({
        person: z.string(),
        shifts: count,
        pages: count,
        afterHoursPages: count,
        sleepHoursPages: count,
        weekendPages: count,
        consecutiveWeeks: count,
      }),
    ),
  }),
  annotations: readOnly,
  async run(input, { teamState }) {
    return teamState.oncall.health({
      ...(input.team ? { team: input.team } : {}),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
    });
  },
});
