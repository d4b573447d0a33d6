// The leaderboard feature's door.
export { type Leaderboard, type LeaderboardQuery, type LeaderboardSettings, leaderboard } from './leaderboard.js';
