import { z } from 'zod';
import { ValidationError } from '../../kernel/errors.js';
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
