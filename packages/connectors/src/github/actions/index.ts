import type { ActionType } from '@teamstate/core';
import type { ActionDeps } from './action-deps.js';
import { closeAction } from './close-action.js';
import { commentAction } from './comment-action.js';
import { labelAction } from './label-action.js';
import { mergeAction } from './merge-action.js';
import { openFileChangeAction } from './open-file-change-action.js';
import { requestReviewAction } from './request-review-action.js';

/** The pull request actions of the GitHub connector (and opening one that changes a file). */
export function pullRequestActions(deps: ActionDeps): ActionType[] {
  return [
    commentAction(deps),
    labelAction(deps),
    requestReviewAction(deps),
    mergeAction(deps),
    closeAction(deps),
    openFileChangeAction(deps),
  ];
}

export type { ActionDeps } from './action-deps.js';
export { idempotencyMarker } from './comment-action.js';
