// The pulse feature's public face: exactly the names @teamstate/core exports from it.
export type { Pulse, PulseAnswerInput, PulseResults, PulseRoundDue } from './pulse-api.js';
export type { PulseFigures, PulseQuestionResult, PulseWithheld } from './pulse-results.js';
export type { PulseQuestion, PulseSettings } from './pulse-settings.js';
