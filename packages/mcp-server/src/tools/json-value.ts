import { z } from 'zod';

/** A JSON value: what free-form fields (action params and results, signal evidence) hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The schema of a JSON value, typed all the way down (a strict MCP client warns about untyped `{}` sub-schemas),
 * for fields whose shape belongs to a connector or a detector rather than to the tool.
 */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** An object of JSON values. */
export const jsonObject = z.record(z.string(), jsonValue);
