import type { ActionType } from '@teamstate/core';
import type { ActionDeps } from './action-deps.js';
import { closeAction } from './close-action.js';
import { commentAction } from './comment-action.js';
import { labelAction } from './label-action.js';
import { mergeAction } from './merge-action.js';
import { requestReviewAction } from './request-review-action.js';

/** The pull request actions of the GitHub connector. */
export function pullRequestActions(deps: ActionDeps): ActionType[] {
  return [commentAction(deps), labelAction(deps), requestReviewAction(deps), mergeAction(deps), closeAction(deps)];
}

export type { ActionDeps } from './action-deps.js';
export { idempotencyMarker } from './comment-action.js';
