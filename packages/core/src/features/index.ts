import { agreementsFeature } from './agreements/feature.js';
import type { AiConfig } from './ai/detect-ai.js';
import { aiFeature } from './ai/feature.js';
import { alertsFeature } from './alerts/feature.js';
import { allocationFeature } from './allocation/feature.js';
import { buildsFeature } from './builds/feature.js';
import { capacityFeature } from './capacity/feature.js';
import { dependenciesFeature } from './dependencies/feature.js';
import { feedbackFeature } from './feedback/feature.js';
import { forecastFeature } from './forecasts/feature.js';
import { goalsFeature } from './goals/feature.js';
import { incidentsFeature } from './incidents/feature.js';
import { knowledgeFeature } from './knowledge/feature.js';
import { meetingsFeature } from './meetings/feature.js';
import { oauthFeature } from './oauth/feature.js';
import { onboardingFeature } from './onboarding/feature.js';
import { oncallFeature } from './oncall/feature.js';
import { pulseFeature } from './pulse/feature.js';
import { reportsFeature } from './reports/feature.js';
import { risksFeature } from './risks/feature.js';
import { settingsFeature } from './settings/feature.js';
import { signalsFeature } from './signals/feature.js';
import { surveysFeature } from './surveys/feature.js';
import { tokensFeature } from './tokens/feature.js';

/** The options of the AI feature that core's own options name (`TeamStateOptions.ai`). */
export type { AiConfig };

/**
 * The one list of features: core derives the facade (`ts.<name>`), the options, the bundle's lists and the hooks it
 * runs (records arriving, a person's erasure, retention) from it, in this order. Adding a feature is one folder and
 * one entry here. `ai`: the AI detection entries added to the built-in lists (checked here).
 */
export function builtinFeatures(options: { ai?: AiConfig } = {}) {
  // The list without AI detection entries is built once: the bundle, the tables, the migrations and every facade share it.
  if (options.ai !== undefined) return featureList(options.ai);
  withBuiltinDetection ??= featureList();
  return withBuiltinDetection;
}

let withBuiltinDetection: ReturnType<typeof featureList> | undefined;

function featureList(ai?: AiConfig) {
  return [
    reportsFeature,
    aiFeature(ai),
    surveysFeature,
    feedbackFeature,
    tokensFeature,
    oauthFeature,
    signalsFeature,
    knowledgeFeature,
    risksFeature,
    agreementsFeature,
    goalsFeature,
    forecastFeature,
    onboardingFeature,
    buildsFeature,
    incidentsFeature,
    settingsFeature,
    meetingsFeature,
    allocationFeature,
    capacityFeature,
    dependenciesFeature,
    oncallFeature,
    pulseFeature,
    alertsFeature,
  ];
}

/** Every built-in feature's definition. */
export type BuiltinFeature = ReturnType<typeof builtinFeatures>[number];

// The row types of the features' tables that `@teamstate/core/store` publishes.
export type { AiUsageInsert, AiUsageRow } from './ai/schema.js';
export type { AiFeedbackRow } from './feedback/schema.js';
export type { KnowledgeDocumentInsert, KnowledgeDocumentRow } from './knowledge/schema.js';
export type { ReportRevisionRow, ReportRow } from './reports/schema.js';
export type { SignalRow } from './signals/schema.js';
export type { SurveyResponseInsert, SurveyResponseRow } from './surveys/schema.js';
