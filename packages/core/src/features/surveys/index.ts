// The surveys feature's door: the facade's `ts.surveys` and its definition.
export { surveysFeature } from './feature.js';
export { createSurveys, type SurveySettings, type Surveys } from './surveys-api.js';
