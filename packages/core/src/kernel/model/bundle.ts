import { z } from 'zod';
import { deploymentSchema, incidentSchema, sprintSchema } from './delivery.js';
import { personSchema, repositorySchema, teamSchema } from './identity.js';
import { workItemSchema } from './work-item.js';

/** The interchange format version string. */
export const BUNDLE_FORMAT = 'teamstate.bundle/v1';

/** The top level's `format`: exactly {@link BUNDLE_FORMAT}. */
export const bundleFormatSchema = z.literal(BUNDLE_FORMAT, { error: `expected exactly "${BUNDLE_FORMAT}"` });

/** The shared records' lists of `teamstate.bundle/v1`, in the order an in-memory bundle is written. */
export const recordListsShape = {
  teams: z.array(teamSchema).default([]),
  people: z.array(personSchema).default([]),
  repositories: z.array(repositorySchema).default([]),
  // Work items before sprints: sprints name many work items, work items few sprints (references met early wait).
  workItems: z.array(workItemSchema).default([]),
  sprints: z.array(sprintSchema).default([]),
  deployments: z.array(deploymentSchema).default([]),
  incidents: z.array(incidentSchema).default([]),
};

/** A bundle's top level with the shared records' lists only: features add theirs ({@link bundleSchemaWith}). */
export const recordsBundleSchema = z.strictObject({ format: bundleFormatSchema, ...recordListsShape });

/** A validated bundle's shared records (every array present); a feature's lists come beside them. */
export type RecordsBundle = z.output<typeof recordsBundleSchema>;
/** The shared records' lists as a producer writes them (optional arrays may be missing). */
export type RecordsBundleInput = z.input<typeof recordsBundleSchema>;

/** A list a feature adds to the bundle: its name and the schema of one element. */
export interface BundleListSchema {
  readonly list: string;
  readonly element: z.ZodType;
}

/** The zod shape of the lists `S` add to the bundle. */
export type BundleListsShape<S extends BundleListSchema> = {
  [L in S as L['list']]: z.ZodDefault<z.ZodArray<L['element']>>;
};

/** The whole `teamstate.bundle/v1` schema for the shared records plus the lists of `lists`, in their order. */
export function bundleSchemaWith<S extends BundleListSchema>(lists: readonly S[]) {
  const shape = Object.fromEntries(lists.map((list) => [list.list, z.array(list.element).default([])]));
  return z.strictObject({ format: bundleFormatSchema, ...recordListsShape, ...(shape as BundleListsShape<S>) });
}

/** The JSON Schema (draft 2020-12) of a bundle schema, for editors and other tools. */
export function bundleJsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return {
    $id: 'https://teamstate.dev/schema/teamstate.bundle.v1.json',
    title: 'teamstate.bundle/v1',
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  } as Record<string, unknown>;
}
