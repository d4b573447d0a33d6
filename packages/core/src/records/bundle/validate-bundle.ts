import type { z } from 'zod';
import { ValidationError } from '../../kernel/errors.js';
import { BUNDLE_FORMAT } from '../../kernel/model/bundle.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';

/** Refuses anything that is not a JSON object, with the one message that says what a bundle is. */
export function assertBundleObject(input: unknown): asserts input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input;
    throw new ValidationError('invalid_bundle', 'The bundle', [
      { path: '', message: `expected a JSON object with "format": "${BUNDLE_FORMAT}", got ${got}` },
    ]);
  }
}

/**
 * Checks a whole bundle's shape (every problem with its JSON path) without touching a store, and
 * returns the normalized document (`schema`: the bundle of a list of features, `bundleShape(features).schema`).
 * Import uses the streaming {@link ingestBundle} instead.
 * @throws ValidationError with code `invalid_bundle`
 */
export function parseBundleWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  assertBundleObject(input);
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ValidationError('invalid_bundle', 'The bundle', describeZodIssues(schema, parsed.error.issues));
  return parsed.data;
}
