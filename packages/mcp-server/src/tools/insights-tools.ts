import { z } from 'zod';
import { idArgument, textArgument, timestampArgument } from './arguments.js';
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

const questionResult = z.object({
  id: z.string(),
  text: z.string(),
  mean: z.number(),
  distribution: z.array(z.number()),
  trend: z.number().nullable(),
});
/** A group's figures, or why it is withheld (every field but the reason optional: one schema for both). */
const group = {
  withheld: z.literal(true).optional(),
  reason: z.string().optional(),
  invited: z.number().optional(),
  responses: z.number().optional(),
  questions: z.array(questionResult).optional(),
  comments: z.array(z.string()).optional(),
};

/** `pulse_results`: a pulse round's figures (`ts.pulse.results()`), small groups withheld, also against subtraction. */
export const pulseResultsTool = defineTool({
  name: 'pulse_results',
  title: 'Pulse survey results',
  toolset: 'insights',
  writes: false,
  description:
    'A pulse survey round (default latest): invited, responses, per question mean, distribution (answers 1-5), trend; per team. Groups under minGroup answers are withheld. Comments only for leads.',
  input: z.strictObject({
    team: idArgument().optional(),
    round: textArgument(40, 'A round id, e.g. 2026-11-23.').optional(),
  }),
  output: z.object({
    round: z.string(),
    team: z.string().optional(),
    ...group,
    teams: z.array(z.object({ team: z.string(), ...group })).optional(),
  }),
  annotations: readOnly,
  async run(input, { teamState }) {
    return teamState.pulse.results({
      ...(input.team ? { team: input.team } : {}),
      ...(input.round ? { round: input.round } : {}),
    });
  },
});
