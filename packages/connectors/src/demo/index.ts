import type { Bundle, Connector } from '@teamstate/core';
import { demoActions } from './actions/demo-actions.js';
import type { DemoOptions } from './options.js';
import { generateDemo } from './sync/generate-demo.js';

export {
  COMPANY_SHAPE,
  type CompanyBundleCounts,
  type CompanyBundleOptions,
  writeCompanyBundle,
} from './company/write-company-bundle.js';
export { type DemoHandbookOptions, demoHandbook } from './handbook/demo-handbook.js';
export type { DemoOptions } from './options.js';

const BATCH = 2_000;

/**
 * A connector that "syncs" a deterministic synthetic organisation through the same pipeline as the
 * real connectors (validated batches, one transaction each): delivery, and daily reports, AI-assisted pull
 * requests, pull request surveys, Copilot usage and feedback on AI assistants. Data is anchored on the injected clock's
 * UTC day, so syncing again on the same day changes nothing. Its one action type, `demo.note.add`, is
 * harmless, for trying approvals.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', connectors: [demo()] })
 * await ts.sync()
 */
export function demo(options: DemoOptions = {}): Connector {
  return {
    specificationVersion: 'v1',
    id: 'demo',
    providers: ['github', 'jira', 'slack'],
    description: `A synthetic organisation (${options.scale ?? 'default'} scale) for trying teamstate without credentials.`,
    actions: demoActions,
    async sync(ctx) {
      const data = generateDemo(options, ctx.now());
      const total =
        data.teams.length +
        data.people.length +
        data.repositories.length +
        data.workItems.length +
        data.sprints.length * 2 +
        data.deployments.length +
        data.incidents.length +
        data.reports.length +
        data.aiUsage.length +
        data.surveyResponses.length +
        data.aiFeedback.length;
      ctx.progress({ phase: 'generating', total });
      await ctx.emit({ teams: data.teams, people: data.people, repositories: data.repositories });
      // Sprints first without their committed items (work items point at sprints), then again with them.
      await ctx.emit({ sprints: data.sprints.map(({ committedItems: _, ...sprint }) => sprint) });
      for (let i = 0; i < data.workItems.length; i += BATCH) {
        ctx.progress({ phase: 'work items', total });
        await ctx.emit({ workItems: data.workItems.slice(i, i + BATCH) });
      }
      await ctx.emit({ sprints: data.sprints });
      for (let i = 0; i < data.deployments.length; i += BATCH) {
        ctx.progress({ phase: 'deployments', total });
        await ctx.emit({ deployments: data.deployments.slice(i, i + BATCH) });
      }
      for (let i = 0; i < data.reports.length; i += BATCH) {
        ctx.progress({ phase: 'daily reports', total });
        await ctx.emit({ reports: data.reports.slice(i, i + BATCH) });
      }
      ctx.progress({ phase: 'AI usage, surveys and feedback', total });
      for (let i = 0; i < data.aiUsage.length; i += BATCH) await ctx.emit({ aiUsage: data.aiUsage.slice(i, i + BATCH) });
      for (let i = 0; i < data.surveyResponses.length; i += BATCH)
        await ctx.emit({ surveyResponses: data.surveyResponses.slice(i, i + BATCH) });
      await ctx.emit({ aiFeedback: data.aiFeedback });
      // Goals and absences (plans-demo.ts) name the epics and people emitted above.
      await ctx.emit({ goals: data.goals, absences: data.absences, workItemLinks: data.workItemLinks });
      await ctx.emit(
        { incidents: data.incidents, oncalls: data.oncalls },
        { cursors: { [DEMO_ANCHOR_CURSOR]: demoAnchor(options, ctx.now()) } },
      );
    },
  };
}

/** The demo connector's cursor that records which organisation it generated ({@link demoAnchor}). */
export const DEMO_ANCHOR_CURSOR = 'generated';

/**
 * Which organisation `demo(options)` generates at `now`: the UTC day it is anchored on, the scale and the
 * seed (`2026-11-22:default:42`). Another anchor is another organisation (other dates, other counts).
 */
export function demoAnchor(options: DemoOptions, now: Date): string {
  return `${now.toISOString().slice(0, 10)}:${options.scale ?? 'default'}:${options.seed ?? 42}`;
}

/** The demo organisation as a bundle (for `ts.import()`, tests and benchmarks). */
export function demoBundle(options: DemoOptions & { now: Date }): Bundle {
  return generateDemo(options, options.now);
}

export type { DemoShape, DemoTeamSlot } from './sync/demo-shape.js';
export { generateDemo };
