import { z } from 'zod';
import { bundleFormatSchema, bundleSchemaWith, recordListsShape } from '../../kernel/model/bundle.js';
import { type BundleSection, bundleSections, type FeatureDefinition } from '../feature.js';

/** A top-level list of a bundle: the shared records' or a feature's. */
export type ListName = string;

/** What a bundle is for one list of features: its lists in order, its top level, its elements' schemas. */
export interface BundleShape {
  /** The lists, in the order an in-memory bundle is written: the shared records', then each feature's. */
  readonly lists: readonly ListName[];
  /** The features' lists by name. */
  readonly sections: ReadonlyMap<ListName, BundleSection>;
  /** The whole document, for parsing it at once and for naming problems. */
  readonly schema: z.ZodType;
  /** The top level, with the lists left unparsed (elements are parsed chunk by chunk). */
  readonly shell: z.ZodType;
  /** One element of each list. */
  readonly element: ReadonlyMap<ListName, z.ZodType>;
}

const shapes = new WeakMap<readonly FeatureDefinition[], BundleShape>();
const noFeatures: readonly FeatureDefinition[] = [];

/** The bundle of the shared records plus the lists `features` own (built once per list of features). */
export function bundleShape(features: readonly FeatureDefinition[] = noFeatures): BundleShape {
  const known = shapes.get(features);
  if (known) return known;
  const sections = bundleSections(features);
  const schema = bundleSchemaWith(sections);
  const lists = [...Object.keys(recordListsShape), ...sections.map((section) => section.list)];
  const element = new Map<ListName, z.ZodType>([
    ...Object.entries(recordListsShape).map(([list, array]): [ListName, z.ZodType] => [list, array.unwrap().element]),
    ...sections.map((section): [ListName, z.ZodType] => [section.list, section.element]),
  ]);
  const shape: BundleShape = {
    lists,
    sections: new Map(sections.map((section) => [section.list, section])),
    schema,
    shell: z.strictObject({
      format: bundleFormatSchema,
      ...Object.fromEntries(lists.map((list) => [list, z.array(z.unknown(), { error: 'expected an array' }).optional()])),
    }),
    element,
  };
  shapes.set(features, shape);
  return shape;
}
