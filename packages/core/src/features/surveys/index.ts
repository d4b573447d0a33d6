// The surveys feature's public face: exactly the names @teamstate/core exports from it.
export type { DueReveal, DueSurvey, SurveyAnswer, SurveyAnswerOutcome, SurveySettings, Surveys } from './surveys-api.js';
