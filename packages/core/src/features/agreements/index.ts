// The agreements feature's door for the rest of core: other features import it only from here.

export { type Agreements, checkAgreements, createAgreementsApi } from './agreements-api.js';
export type { AgreementReport, AgreementReportQuery, ResolveSide } from './agreements-report.js';
export { agreementsFeature } from './feature.js';
export {
  type Agreement,
  NUDGE_SNOOZE,
  NUDGES_REQUESTER,
  type NudgeRound,
  type NudgeStage,
  nudgeApprovalsForViewer,
  nudgeMessage,
  SIGNAL_ACTIONS,
} from './nudges.js';
