import type { GoalRowRef } from '@teamstate/core';
import { z } from 'zod';
import { idArgument, integerArgument, textArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** Rows shown per number: the first ones, and how many more there are. */
const ROWS = 10;
const rowRef = z.object({ id: z.string(), key: z.string(), title: z.string() });
const someRows = (rows: readonly GoalRowRef[] | undefined) =>
  rows === undefined ? {} : { rows: rows.slice(0, ROWS), ...(rows.length > ROWS ? { moreRows: rows.length - ROWS } : {}) };
const counted = z.object({ count: z.number(), points: z.number(), rows: z.array(rowRef).optional(), moreRows: z.number().optional() });
const share = z.object({
  goal: z.string(),
  title: z.string(),
  count: z.number(),
  points: z.number().optional(),
  share: z.number().nullable(),
  rows: z.array(rowRef).optional(),
  moreRows: z.number().optional(),
});

/** `goals_progress`: a goal's (or a team's and period's goals') progress and where the work went (`ts.goals.progress()`). */
export const goalsProgressTool = defineTool({
  name: 'goals_progress',
  title: 'Goals progress',
  toolset: 'plans',
  writes: false,
  description:
    'Goals of a team and period (or one by id): work done/in progress/left, key results vs targets, merged PRs and done points per goal and unlinked; explain: rows.',
  input: z.strictObject({
    id: idArgument().optional(),
    team: idArgument().optional(),
    period: textArgument(10, 'e.g. 2026-Q4; default this quarter.').optional(),
    explain: z.boolean().optional(),
  }),
  output: z.object({
    team: z.string().optional(),
    period: z.string(),
    window: z.object({ from: z.string(), to: z.string() }),
    goals: z.array(
      z.object({
        goal: z.looseObject({ id: z.string(), title: z.string() }),
        work: z.object({ done: counted, inProgress: counted, left: counted }),
        keyResults: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            metric: z
              .object({
                id: z.string(),
                target: z.number(),
                direction: z.enum(['up', 'down']),
                value: z.number().nullable(),
                unit: z.string().optional(),
                met: z.boolean().nullable(),
              })
              .optional(),
            progress: z.number().nullable(),
          }),
        ),
      }),
    ),
    allocation: z.object({
      mergedPullRequests: z.object({ total: z.number(), shares: z.array(share) }),
      donePoints: z.object({ total: z.number(), items: z.number(), shares: z.array(share) }),
    }),
  }),
  annotations: readOnly,
  async run(input, { teamState }) {
    const progress = await teamState.goals.progress(
      input.id ?? { ...(input.team ? { team: input.team } : {}), ...(input.period ? { period: input.period } : {}) },
      { explain: input.explain === true },
    );
    const work = (w: { count: number; points: number; rows?: GoalRowRef[] }) => ({ ...w, ...someRows(w.rows) });
    const shares = (list: typeof progress.allocation.donePoints.shares) => list.map((s) => ({ ...s, ...someRows(s.rows) }));
    return {
      ...progress,
      goals: progress.goals.map((g) => ({
        ...g,
        work: { done: work(g.work.done), inProgress: work(g.work.inProgress), left: work(g.work.left) },
      })),
      allocation: {
        mergedPullRequests: { ...progress.allocation.mergedPullRequests, shares: shares(progress.allocation.mergedPullRequests.shares) },
        donePoints: { ...progress.allocation.donePoints, shares: shares(progress.allocation.donePoints.shares) },
      },
    };
  },
});

/** `forecast`: a seeded Monte Carlo forecast of a team's work with its backtest (`ts.forecast()`). */
export const forecastTool = defineTool({
  name: 'forecast',
  title: 'Forecast',
  toolset: 'plans',
  writes: false,
  description:
    "When N items or an epic will be done, or how many by a date: 50/70/85/95th percentiles of a Monte Carlo over the team's throughput minus absences, and how often such ranges held (quote it).",
  input: z.strictObject({
    team: idArgument(),
    items: integerArgument(1, 100_000).optional(),
    epic: idArgument("An epic's key.").optional(),
    until: textArgument(30, 'A date (YYYY-MM-DD).').optional(),
    weeks: integerArgument(1, 104, 'History; default 12.').optional(),
    seed: integerArgument(0, 2 ** 31 - 1).optional(),
  }),
  output: z.object({
    team: z.string(),
    status: z.enum(['ok', 'insufficient_history']),
    reason: z.string().optional(),
    target: z.looseObject({}),
    basis: z.looseObject({ weeks: z.number(), items: z.number() }),
    simulations: z.number(),
    seed: z.number(),
    absentDays: z.number(),
    percentiles: z.array(
      z.object({ p: z.number(), date: z.string().optional(), days: z.number().optional(), items: z.number().optional() }),
    ),
    backtest: z
      .object({
        horizon: z.number(),
        windows: z.number(),
        held: z.number(),
        share: z.number().nullable(),
        medianError: z.object({ items: z.number().nullable(), relative: z.number().nullable() }),
        calibrated: z.boolean(),
        text: z.string(),
      })
      .optional(),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => teamState.forecast(input),
});
