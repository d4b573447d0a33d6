// The work in progress at instant `to`, shared by `wip` and `aging_wip`: the one definition in core, which the
// overview's WIP column reads too.
export { workInProgress } from '@teamstate/core/store';
