import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { ActionType } from '../../spec/action-type.js';
import { toJsonValue } from './approval-deps.js';

/**
 * Checks `params` against the action type's schema. On success, returns them as the plain JSON that is
 * stored and audited; otherwise an `invalid_params` error naming every field (`params.number: …`).
 */
export function checkActionParams(
  action: ActionType,
  params: unknown,
  what: string,
): { ok: true; params: Record<string, unknown> } | { ok: false; error: ValidationError } {
  const wrapper = z.strictObject({ params: action.params });
  const result = wrapper.safeParse({ params });
  if (result.success) return { ok: true, params: toJsonValue(result.data.params) as Record<string, unknown> };
  return {
    ok: false,
    error: new ValidationError('invalid_params', `${what} of ${action.type}`, describeZodIssues(wrapper, result.error.issues)),
  };
}

/**
 * One error for text an input holds that a TEXT column would not read back exactly (see `unstorableText`), or
 * `undefined` when there is none: `invalid_params` when only the params hold it, else `invalid_argument`.
 */
export function unstorableInputError(what: string, issues: ValidationIssue[]): ValidationError | undefined {
  if (issues.length === 0) return undefined;
  const inParams = issues.every(({ path }) => path === 'params' || path.startsWith('params.') || path.startsWith('params['));
  return new ValidationError(inParams ? 'invalid_params' : 'invalid_argument', what, issues);
}
