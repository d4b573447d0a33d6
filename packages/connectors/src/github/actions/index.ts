import type { ActionType } from '@teamstate/core';
import type { ActionDeps } from './action-deps.js';
import type { TrackedRepositories } from './agent-instruction-files.js';
import { closeAction } from './close-action.js';
import { commentAction } from './comment-action.js';
import { labelAction } from './label-action.js';
import { mergeAction } from './merge-action.js';
import { openFileChangeAction } from './open-file-change-action.js';
import { requestReviewAction } from './request-review-action.js';

/**
 * The pull request actions of the GitHub connector (and opening one that changes an agent-instructions file of one of
 * the `tracked` repositories).
 */
export function pullRequestActions(deps: ActionDeps, tracked: TrackedRepositories): ActionType[] {
  return [
    commentAction(deps),
    labelAction(deps),
    requestReviewAction(deps),
    mergeAction(deps),
    closeAction(deps),
    openFileChangeAction(deps, tracked),
  ];
}

export type { ActionDeps } from './action-deps.js';
export { type TrackedRepositories, trackedRepositories } from './agent-instruction-files.js';
export { idempotencyMarker } from './comment-action.js';
