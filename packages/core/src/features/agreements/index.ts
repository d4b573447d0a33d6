// The agreements feature's public face: exactly the names @teamstate/core exports from it.
export type { Agreements } from './agreements-api.js';
export type { AgreementReport, AgreementReportQuery, ResolveSide } from './agreements-report.js';
export { type Agreement, NUDGE_SNOOZE, NUDGES_REQUESTER, type NudgeRound, type NudgeStage, SIGNAL_ACTIONS } from './nudges.js';
