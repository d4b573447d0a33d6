import { describeZodIssues, parseTimestamp } from '@teamstate/core';
import { z } from 'zod';

// Argument schemas whose every failure reads "<expected>, got <value>"; the dispatcher prefixes the
// argument's name, so a model sees `limit: expected a whole number from 1 to 100, got 1000`.

/** The value as a model would recognise it, shortened. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** A zod error function: `is required (expected)` for a missing value, `expected, got <value>` otherwise. */
function expecting(expected: string) {
  // Optional arguments are never checked when absent, so an undefined input is a missing required one.
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `is required (${expected})` : `${expected}, got ${shown(issue.input)}`;
}

/**
 * The schema with its description; none when the argument's name and type say it all (`team`, `severity`, `limit`):
 * every word here is in every conversation's context.
 */
function described<T extends z.ZodType>(schema: T, description: string | undefined): T {
  return description === undefined ? schema : schema.describe(description);
}

/** A whole number in `[min, max]`. */
export function integerArgument(min: number, max: number, description?: string) {
  const error = expecting(`expected a whole number from ${min} to ${max}`);
  return described(z.int({ error }).min(min, { error }).max(max, { error }), description);
}

/** A page size from 1 to `max`, `fallback` when omitted. */
export function limitArgument(max: number, fallback: number) {
  return integerArgument(1, max).default(fallback);
}

/** An id, key, login or other short reference. */
export function idArgument(description?: string) {
  const error = expecting('expected a non-empty id string of at most 200 characters');
  return described(z.string({ error }).trim().min(1, { error }).max(200, { error }), description);
}

/** Free text with a length bound. */
export function textArgument(maxLength: number, description?: string) {
  const error = expecting(`expected a non-empty string of at most ${maxLength} characters`);
  return described(z.string({ error }).min(1, { error }).max(maxLength, { error }), description);
}

/** An ISO 8601 instant with a UTC offset. */
export function timestampArgument(description?: string) {
  const error = expecting('expected an ISO 8601 timestamp with an offset, e.g. 2026-03-01T00:00:00Z');
  return described(
    z
      .string({ error })
      .refine((value) => parseTimestamp(value) !== undefined, { error })
      .meta({ format: 'date-time' }),
    description,
  );
}

/** One of the values of a zod enum (core's model enums), with this module's messages. */
export function enumArgument<T extends z.core.util.EnumLike>(schema: z.ZodEnum<T>, description?: string) {
  return described(z.enum(schema.enum, { error: expecting(`expected one of ${schema.options.join('|')}`) }), description);
}

/** A cursor from a previous page. */
export function cursorArgument() {
  const error = expecting('expected the nextCursor string of a previous page');
  return z.string({ error }).min(1, { error }).max(1000, { error }).describe('nextCursor of the previous page.');
}

/**
 * One line per problem, each starting with the argument it is about:
 * `limit: expected a whole number from 1 to 100, got 1000`; unknown arguments get a suggestion.
 */
export function describeArgumentIssues(schema: z.ZodObject, issues: readonly z.core.$ZodIssue[]): string {
  return describeZodIssues(schema, issues)
    .map(({ path, message }) => `${path || 'arguments'}: ${message.replace(/^unknown key/, 'unknown argument')}`)
    .join('\n');
}
