import { type LeaderboardSettings, type Logger, lastScheduledAt, leaderboardText, type TeamState } from '@teamstate/core';
import { postToSlack } from '../post-to-slack.js';

/** The schedule when `leaderboard.schedule` is not set. */
export const DEFAULT_LEADERBOARD_SCHEDULE = 'mon 09:00';
/** A week's post is only sent this long after its scheduled time (a server started days later does not post an old week). */
const LATE_MS = 24 * 3_600_000;

/**
 * One pass of `serve`'s weekly leaderboard: when this week's scheduled time (`leaderboard.schedule`, UTC) has passed
 * and it was not posted yet (the workspace setting `leaderboard.lastPosted`, so a restart does not post twice), posts
 * the leaderboard of the 7 days before it to `leaderboard.channel` through the policy. Returns what it did.
 */
export async function postWeeklyLeaderboard(
  ts: TeamState,
  settings: LeaderboardSettings,
  log: Logger,
): Promise<'posted' | 'not due' | 'already posted' | 'refused'> {
  const now = ts.now();
  const at = lastScheduledAt(settings.schedule ?? DEFAULT_LEADERBOARD_SCHEDULE, now);
  if (now.getTime() - Date.parse(at) > LATE_MS) return 'not due';
  if ((await ts.settings.get('leaderboard.lastPosted')) === at) return 'already posted';
  const board = await ts.ai.leaderboard({ from: new Date(Date.parse(at) - 7 * 86_400_000).toISOString(), to: at });
  const posted = await postToSlack(ts, {
    channel: settings.channel!,
    text: leaderboardText(board),
    reason: `weekly leaderboard ${board.from.slice(0, 10)} to ${board.to.slice(0, 10)}`,
    requestedBy: 'teamstate-serve',
  });
  // Remembered whatever the policy said: a denied or failed post is not retried every minute.
  await ts.settings.set('leaderboard.lastPosted', at, 'teamstate-serve');
  if (posted.exitCode === 0) log.info(`leaderboard: ${posted.message}`);
  else log.warn(`leaderboard: ${posted.message}`);
  return posted.exitCode === 0 ? 'posted' : 'refused';
}
