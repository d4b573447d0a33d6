import { z } from 'zod';
import { idArgument, integerArgument, textArgument } from './arguments.js';
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
