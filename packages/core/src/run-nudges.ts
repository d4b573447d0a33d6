import type { NudgeRound } from './features/agreements/index.js';
import type { TeamState } from './team-state-facade.js';

/**
 * One nudges pass of the policy's working agreements (`ts.agreements.nudge()`), at the facade's clock or `now`: what a
 * scheduler (`teamstate serve`) calls. Refresh the signals first for nudges about what is true now.
 * @example await ts.signals.refresh(); const round = await runNudges(ts)
 */
export function runNudges(ts: Pick<TeamState, 'agreements'>, options: { now?: Date } = {}): Promise<NudgeRound> {
  return ts.agreements.nudge(options);
}
