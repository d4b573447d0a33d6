import { metricWindow } from '@teamstate/core';
import { z } from 'zod';
import { idArgument, integerArgument, timestampArgument } from './arguments.js';
import { requireRepository, requireTeam } from './references.js';
import { defineTool } from './tool-definition.js';

const hours = (value: number | null) => (value === null ? null : Number(value.toFixed(2)));
const ratio = (value: number | null) => (value === null ? null : Number(value.toFixed(4)));

const cohort = z.object({
  n: z.number(),
  cycleTimeHoursP50: z.number().nullable(),
  timeToFirstReviewHoursP50: z.number().nullable(),
  reviewRoundsMean: z.number().nullable(),
  sizeP50: z.number().nullable(),
});
const difference = z.object({
  difference: z.number().nullable(),
  interval: z.array(z.number()).length(2).nullable(),
  direction: z.enum(['lower', 'higher', 'no clear difference', 'not enough data']),
});

/** `ai_impact`: AI-assisted vs other merged pull requests (`ts.ai.impact()`), hours to 2 decimals and shares to 4. */
export const aiImpactTool = defineTool({
  name: 'ai_impact',
  title: 'AI impact',
  toolset: 'ai',
  writes: false,
  description:
    'Is AI helping? AI-assisted vs other PRs merged in [from, to) (default 30 days): speed, reviews, size, rework with 95% intervals, a verdict, adoption, tools, surveys, usage. Quote the verdict and intervals.',
  input: z.strictObject({
    from: timestampArgument().optional(),
    to: timestampArgument('End, exclusive.').optional(),
    team: idArgument().optional(),
    repository: idArgument('owner/name.').optional(),
    minSample: integerArgument(2, 1000, 'Default 10.').optional(),
  }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    team: z.string().optional(),
    repository: z.string().optional(),
    assisted: cohort,
    other: cohort,
    comparison: z.object({
      cycleTimeHours: difference,
      timeToFirstReviewHours: difference,
      reviewRounds: difference,
      sizeLines: difference,
    }),
    verdict: z.string(),
    minSample: z.number(),
    weekly: z.array(
      z.object({
        week: z.string(),
        from: z.string(),
        to: z.string(),
        partial: z.boolean(),
        merged: z.number(),
        assisted: z.number(),
        share: z.number().nullable(),
      }),
    ),
    tools: z.array(z.object({ tool: z.string(), n: z.number(), cycleTimeHoursP50: z.number().nullable() })),
    withoutTool: z.object({ n: z.number(), cycleTimeHoursP50: z.number().nullable() }),
    reviews: z.object({ quality: z.looseObject({}), guesses: z.looseObject({}) }),
    usage: z.array(
      z.object({
        tool: z.string(),
        days: z.number(),
        activeUsersPerDay: z.number(),
        people: z.number(),
        interactions: z.number(),
        codeGenerations: z.number(),
        acceptances: z.number(),
        acceptanceRate: z.number().nullable(),
        linesSuggested: z.number(),
        linesAccepted: z.number(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(input, { teamState }) {
    if (input.team) await requireTeam(teamState, input.team);
    if (input.repository) await requireRepository(teamState, input.repository);
    const impact = await teamState.ai.impact({
      ...metricWindow(input, teamState.now()),
      ...(input.team ? { team: input.team } : {}),
      ...(input.repository ? { repository: input.repository } : {}),
      ...(input.minSample ? { minSample: input.minSample } : {}),
    });
    const roundCohort = (c: typeof impact.assisted) => ({
      ...c,
      cycleTimeHoursP50: hours(c.cycleTimeHoursP50),
      timeToFirstReviewHoursP50: hours(c.timeToFirstReviewHoursP50),
      reviewRoundsMean: hours(c.reviewRoundsMean),
      sizeP50: hours(c.sizeP50),
    });
    const roundDifference = (d: typeof impact.comparison.cycleTimeHours) => ({
      ...d,
      difference: hours(d.difference),
      interval: d.interval ? ([hours(d.interval[0])!, hours(d.interval[1])!] as [number, number]) : null,
    });
    return {
      ...impact,
      assisted: roundCohort(impact.assisted),
      other: roundCohort(impact.other),
      comparison: {
        cycleTimeHours: roundDifference(impact.comparison.cycleTimeHours),
        timeToFirstReviewHours: roundDifference(impact.comparison.timeToFirstReviewHours),
        reviewRounds: roundDifference(impact.comparison.reviewRounds),
        sizeLines: roundDifference(impact.comparison.sizeLines),
      },
      weekly: impact.weekly.map((week) => ({ ...week, share: ratio(week.share) })),
      tools: impact.tools.map((tool) => ({ ...tool, cycleTimeHoursP50: hours(tool.cycleTimeHoursP50) })),
      withoutTool: { ...impact.withoutTool, cycleTimeHoursP50: hours(impact.withoutTool.cycleTimeHoursP50) },
    };
  },
});
