import { z } from 'zod';
import { idArgument, integerArgument, textArgument, timestampArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

// The `insights` toolset: where the time goes and what a team can take on (not in the default set: `--toolsets`).

const typeShare = z.object({ type: z.string(), fte: z.number(), share: z.number(), items: z.number(), prs: z.number() });
const throughput = z.object({ p15: z.number(), p50: z.number(), p85: z.number() });
const verdict = z.enum(['fits', 'at_risk', 'over']);

/** `get_allocation`: effort per work type (`ts.allocation()`). */
export const getAllocationTool = defineTool({
  name: 'get_allocation',
  title: 'Allocation by work type',
  toolset: 'insights',
  writes: false,
  description:
    'Where effort went: per team FTE and share per work type (feature/bug/ktlo/debt/configured), each person-day split over the items touched; unclassified share.',
  input: z.strictObject({
    team: idArgument().optional(),
    from: textArgument(10, 'YYYY-MM-DD; default 89 days before to.').optional(),
    to: textArgument(10, 'YYYY-MM-DD; default today.').optional(),
    by: z.enum(['week', 'month']).optional(),
  }),
  output: z.object({
    window: z.object({ from: z.string(), to: z.string(), weekdays: z.number(), by: z.enum(['week', 'month']).optional() }),
    teams: z.array(
      z.object({
        team: z.string(),
        fte: z.number(),
        types: z.array(typeShare),
        periods: z
          .array(z.object({ from: z.string(), to: z.string(), weekdays: z.number(), fte: z.number(), types: z.array(typeShare) }))
          .optional(),
      }),
    ),
    unclassified: z.object({ fte: z.number(), share: z.number(), items: z.number(), prs: z.number() }),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => teamState.allocation(input),
});

/** `plan_capacity`: available days, throughput percentiles and a verdict (`ts.capacity.plan()`). */
export const planCapacityTool = defineTool({
  name: 'plan_capacity',
  title: 'Plan capacity',
  toolset: 'insights',
  writes: false,
  description:
    'Can the team finish its sprint: available days per person, Monte Carlo throughput p15/p50/p85 vs committed, verdict; what-if: without people, add N.',
  input: z.strictObject({
    team: idArgument(),
    sprint: idArgument('Default: the active sprint.').optional(),
    from: textArgument(10).optional(),
    to: textArgument(10).optional(),
    scope: integerArgument(0, 100_000, 'Items planned.').optional(),
    without: z.array(idArgument()).max(50).optional(),
    add: integerArgument(0, 100).optional(),
    seed: integerArgument(0, 2 ** 31 - 1).optional(),
  }),
  output: z.object({
    team: z.string(),
    window: z.looseObject({ from: z.string(), to: z.string() }),
    people: z.array(z.object({ person: z.string(), availableDays: z.number() })),
    throughput,
    committed: z.number(),
    verdict,
    scenario: z.looseObject({ baseline: z.looseObject({ throughput, verdict }) }).optional(),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => teamState.capacity.plan(input),
});

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
