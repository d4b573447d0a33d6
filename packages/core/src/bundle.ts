import type { z } from 'zod';
import { builtinFeatures } from './features/index.js';
import { bundleJsonSchemaOf, bundleSchemaWith } from './kernel/model/bundle.js';
import type { IngestResult } from './records/bundle/ingest-bundle.js';
import { parseBundleWith } from './records/bundle/validate-bundle.js';
import { bundleSections, type ListsOf } from './records/feature.js';

// The bundle format is the shared records' lists plus every built-in feature's, derived from their definitions.

/** The bundle lists of the built-in features. */
export type BuiltinLists = ListsOf<ReturnType<typeof builtinFeatures>[number]>;

/** `teamstate.bundle/v1`: the JSON interchange document (docs/bundle-format.md). */
export const bundleSchema = bundleSchemaWith(bundleSections(builtinFeatures()));

/** A bundle as written by a producer (optional arrays may be missing). */
export type BundleInput = z.input<typeof bundleSchema>;
/** A validated bundle (every array present). */
export type Bundle = z.output<typeof bundleSchema>;

/** What an import wrote: the elements of each list it read (every list of the bundle), and the rows changed. */
export type ImportResult = IngestResult & { records: Record<Exclude<keyof Bundle, 'format'>, number> };

/** An ingest of the built-in features' bundle as an {@link ImportResult}: it counts every list of that bundle. */
export const builtinImport = (result: Promise<IngestResult>): Promise<ImportResult> => result as Promise<ImportResult>;

/** The JSON Schema (draft 2020-12) of `teamstate.bundle/v1`, generated from the zod schema. */
export function bundleJsonSchema(): Record<string, unknown> {
  return bundleJsonSchemaOf(bundleSchema);
}

/**
 * Checks a whole bundle's shape (every problem with its JSON path) without touching a store, and returns the
 * normalized document. `ts.import()` streams it instead.
 * @throws ValidationError with code `invalid_bundle`
 * @example const bundle = parseBundle(JSON.parse(text))
 */
export function parseBundle(input: unknown): Bundle {
  return parseBundleWith(bundleSchema, input);
}
