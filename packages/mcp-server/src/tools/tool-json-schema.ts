import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { jsonValue } from './json-value.js';

type JsonSchema = Record<string, unknown>;

/** Any JSON value, typed (a strict client warns about an untyped `{}`) but not spelt out as zod's recursive union. */
const ANY_JSON: JsonSchema = { type: ['string', 'number', 'boolean', 'null', 'array', 'object'] };

/** zod's bounds of `z.int()`: true of every integer a client will send or read, so they say nothing. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** The longest id, key or name argument (`idArgument`). */
const ID_LENGTH = 200;

/** The pattern of a day argument, `YYYY-MM-DD` (`dayArgument`). */
const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The description core gives every timestamp; `format: date-time` says the same. */
const TIMESTAMP_DESCRIPTION = 'ISO 8601 timestamp with a UTC offset';

/**
 * Removes, in place and all the way down, what costs context and tells neither a model nor a validating client anything:
 * `propertyNames: { type: string }` (JSON keys are strings), the ±2^53 bounds of every integer, `minLength: 1` and the
 * length bound of ids (an empty or overlong one is answered with an error that says so), the timestamp description
 * next to `format: date-time`, and in output schemas `additionalProperties: false` and length and range bounds (the
 * server writes those objects; the properties listed already say what they hold).
 */
function compact(schema: unknown, io: 'input' | 'output'): void {
  if (Array.isArray(schema)) {
    for (const item of schema) compact(item, io);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as JsonSchema;
  if ((s.propertyNames as JsonSchema | undefined)?.type === 'string' && Object.keys(s.propertyNames as object).length === 1)
    delete s.propertyNames;
  if (s.type === 'integer') {
    if (s.minimum === -SAFE_INTEGER) delete s.minimum;
    if (s.maximum === SAFE_INTEGER) delete s.maximum;
  }
  if (s.format === 'date-time' && s.description === TIMESTAMP_DESCRIPTION) delete s.description;
  // Every string argument is non-empty and ids are short; the server answers an empty or overlong one with an error
  // that says so. Longer bounds (free text) stay: a model can reach them.
  if (s.type === 'string' && s.minLength === 1) delete s.minLength;
  if (s.type === 'string' && typeof s.maxLength === 'number' && s.maxLength <= ID_LENGTH) delete s.maxLength;
  // A day argument: `format: date` (RFC 3339 full-date) says what the regular expression says, in fewer characters.
  if (s.type === 'string' && s.pattern === DAY_PATTERN) {
    delete s.pattern;
    s.format = 'date';
  }
  // A record of any JSON values: an object's values are JSON values anyway, so the type list says nothing.
  if (io === 'input' && s.type === 'object' && JSON.stringify(s.additionalProperties) === JSON.stringify(ANY_JSON))
    delete s.additionalProperties;
  if (io === 'output') {
    if (s.additionalProperties === false || isEmpty(s.additionalProperties)) delete s.additionalProperties;
    for (const bound of OUTPUT_BOUNDS) delete s[bound];
    // Which fields an answer always has matters to a validator, not to a reader: the answer shows them.
    if (Array.isArray(s.required)) delete s.required;
    // What a field of an answer means is in the tool's description and in the answer itself; its type stays.
    if (typeof s.description === 'string' && s.type !== undefined) delete s.description;
  }
  for (const value of Object.values(s)) compact(value, io);
}

/** Bounds the server's own answers always meet: they matter to a validator of input, not to a reader of output. */
const OUTPUT_BOUNDS = ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const;

const isEmpty = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/**
 * How deep an output schema spells objects out: the answer's fields (level 0) and the fields of what it lists or holds
 * (level 1). Deeper objects are typed `object` with their description (a list of them, `array`): a model reads their fields in the answer itself,
 * and spelling them out costs every conversation context before the first question (docs/mcp.md#the-context-budget).
 */
const OUTLINE_LEVELS = 1;

/** Replaces objects nested {@link OUTLINE_LEVELS} deep by `{ type: 'object' }` (keeping their description), in place. */
function outline(schema: unknown, level: number): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const s = schema as JsonSchema;
  if (s.type === 'object' && level >= OUTLINE_LEVELS)
    return { type: 'object', ...(s.description === undefined ? {} : { description: s.description }) };
  const child = s.type === 'object' ? level + 1 : level;
  if (s.properties)
    for (const [key, value] of Object.entries(s.properties as JsonSchema)) (s.properties as JsonSchema)[key] = outline(value, child);
  if (s.items) {
    s.items = outline(s.items, child);
    // `array` of plain objects: the items' type says nothing the answer does not show.
    if (JSON.stringify(s.items) === '{"type":"object"}') delete s.items;
  }
  if (typeof s.additionalProperties === 'object') s.additionalProperties = outline(s.additionalProperties, child);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(s[key])) s[key] = (s[key] as unknown[]).map((branch) => outline(branch, level));
  return s;
}

/** Replaces references to a definition that is {@link ANY_JSON} by the schema itself (shorter than the reference and the definition). */
function inlineAnyJson(json: JsonSchema): void {
  const definitions = json.definitions as Record<string, JsonSchema> | undefined;
  if (!definitions) return;
  const inlined = new Set(Object.keys(definitions).filter((name) => JSON.stringify(definitions[name]) === JSON.stringify(ANY_JSON)));
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const ref = (value as JsonSchema).$ref;
    if (typeof ref === 'string' && inlined.has(ref.replace('#/definitions/', ''))) return { ...ANY_JSON };
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
  };
  for (const [key, value] of Object.entries(json)) if (key !== 'definitions') json[key] = walk(value);
  for (const name of inlined) delete definitions[name];
  if (Object.keys(definitions).length === 0) delete json.definitions;
}

/**
 * The JSON Schema of a tool's input or output as `tools/list` sends it: draft-7 (what the SDK's client validates
 * `structuredContent` with), with no `$schema` line and nothing {@link compact} removes. Every tool's schema goes through
 * here, so a tool added later is as lean as the others without doing anything.
 */
export function toolJsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    override: (context) => {
      if ((context.zodSchema as unknown) === jsonValue) {
        for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as JsonSchema)[key];
        Object.assign(context.jsonSchema, ANY_JSON);
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  inlineAnyJson(json);
  compact(json, io);
  const result = (io === 'output' ? outline(json, 0) : json) as JsonSchema;
  // Definitions the outline cut every reference to go too.
  if (result.definitions && !JSON.stringify({ ...result, definitions: undefined }).includes('"$ref"')) delete result.definitions;
  return result as Tool['inputSchema'];
}
