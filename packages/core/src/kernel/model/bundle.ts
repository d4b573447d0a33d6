import { z } from 'zod';
import { aiUsageSchema } from './ai-usage.js';
import { buildSchema } from './build.js';
import { deploymentSchema, incidentSchema, oncallSchema, sprintSchema } from './delivery.js';
import { bundleFeedbackSchema } from './feedback.js';
import { personSchema, repositorySchema, teamSchema } from './identity.js';
import { absenceSchema, goalSchema } from './plans.js';
import { bundleReportSchema } from './report.js';
import { surveyResponseSchema } from './survey.js';
import { bundleRiskSchema } from './team-risk.js';
import { workItemSchema } from './work-item.js';

/** The interchange format version string. */
export const BUNDLE_FORMAT = 'teamstate.bundle/v1';

/** `teamstate.bundle/v1`: the JSON interchange document (docs/bundle-format.md). */
export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: `expected exactly "${BUNDLE_FORMAT}"` }),
  teams: z.array(teamSchema).default([]),
  people: z.array(personSchema).default([]),
  repositories: z.array(repositorySchema).default([]),
  workItems: z.array(workItemSchema).default([]),
  sprints: z.array(sprintSchema).default([]),
  deployments: z.array(deploymentSchema).default([]),
  incidents: z.array(incidentSchema).default([]),
  reports: z.array(bundleReportSchema).default([]),
  aiUsage: z.array(aiUsageSchema).default([]),
  surveyResponses: z.array(surveyResponseSchema).default([]),
  aiFeedback: z.array(bundleFeedbackSchema).default([]),
  risks: z.array(bundleRiskSchema).default([]),
  goals: z.array(goalSchema).default([]),
  absences: z.array(absenceSchema).default([]),
  builds: z.array(buildSchema).default([]),
  oncalls: z.array(oncallSchema).default([]),
});

/** A bundle as written by a producer (optional arrays may be missing). */
export type BundleInput = z.input<typeof bundleSchema>;
/** A validated bundle (every array present). */
export type Bundle = z.output<typeof bundleSchema>;

/** The JSON Schema (draft 2020-12) of `teamstate.bundle/v1`, generated from the zod schema. */
export function bundleJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://teamstate.dev/schema/teamstate.bundle.v1.json',
    title: 'teamstate.bundle/v1',
    ...z.toJSONSchema(bundleSchema, { io: 'input', unrepresentable: 'any' }),
  } as Record<string, unknown>;
}
