import type { z } from 'zod';
import type { ValidationIssue } from '../errors.js';
import { formatPath } from './json-path.js';
import { closest } from './suggest.js';

type AnySchema = z.core.$ZodType;

type Def = {
  type: string;
  innerType?: AnySchema;
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
};
const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

// Unwraps optional/default/nullable wrappers (and a preprocess or transform pipe) down to the schema that does the checking.
function unwrap(schema: AnySchema): AnySchema {
  let inner = schema;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'pipe' && def.in && def.out) {
      inner = defOf(def.in).type === 'transform' ? def.out : def.in;
      continue;
    }
    if (!def.innerType || !['optional', 'default', 'nullable', 'prefault'].includes(def.type)) return inner;
    inner = def.innerType;
  }
}

// Walks a schema down a path, through arrays and wrappers, to the keys an object there allows:
// used to suggest the key a typo meant.
function objectKeysAt(schema: AnySchema, path: ReadonlyArray<PropertyKey>): string[] {
  let current: AnySchema | undefined = schema;
  for (const segment of path) {
    if (!current) return [];
    const def: Def = defOf(unwrap(current));
    if (def.type === 'array' && typeof segment === 'number') current = def.element;
    else if (def.type === 'object' && typeof segment === 'string') current = def.shape?.[segment];
    else if (def.type === 'record') current = def.valueType;
    else return [];
  }
  if (!current) return [];
  const def = defOf(unwrap(current));
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** Turns zod issues into one readable line each, located by JSON path, with typo suggestions. */
export function describeZodIssues(schema: AnySchema, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = closest(key, allowed);
        out.push({
          path: formatPath([...issue.path, key]),
          message: suggestion ? `unknown key (did you mean "${suggestion}"?)` : `unknown key (allowed: ${allowed.join(', ')})`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      const nested = issue.errors.flat();
      if (nested.length > 0) {
        out.push(
          ...describeZodIssues(
            schema,
            nested.map((n) => ({ ...n, path: [...issue.path, ...n.path] })),
          ),
        );
        continue;
      }
    }
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    out.push({
      path: formatPath(issue.path),
      message: missing ? `is required (${issue.message.replace(/^Invalid input: /, '')})` : issue.message,
    });
  }
  return out;
}
