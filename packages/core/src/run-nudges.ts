import type { TeamState } from './team-state-facade.js';

/**
 * One nudges pass of the policy's working agreements (`ts.agreements.nudge()`), at the facade's clock or `now`: what a
 * scheduler (`teamstate serve`) calls. Refresh the signals first for nudges about what is true now.
 * @example await ts.signals.refresh(); const round = await runNudges(ts)
 */
export function runNudges(ts: Pick<TeamState, 'agreements'>, options: { now?: Date } = {}): ReturnType<TeamState['agreements']['nudge']> {
  return ts.agreements.nudge(options);
}
