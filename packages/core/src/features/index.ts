import { agreementsFeature } from './agreements/feature.js';
import { type AiDetector, builtinAiDetector } from './ai/detect-ai.js';
import { aiFeature } from './ai/feature.js';
import { buildsFeature } from './builds/feature.js';
import { feedbackFeature } from './feedback/feature.js';
import { absencesFeature } from './forecasts/feature.js';
import { goalsFeature } from './goals/feature.js';
import { incidentsFeature } from './incidents/feature.js';
import { knowledgeFeature } from './knowledge/feature.js';
import { oauthFeature } from './oauth/feature.js';
import { onboardingFeature } from './onboarding/index.js';
import { reportsFeature } from './reports/feature.js';
import { risksFeature } from './risks/feature.js';
import { signalsFeature } from './signals/feature.js';
import { surveysFeature } from './surveys/feature.js';
import { tokensFeature } from './tokens/feature.js';

/**
 * The features whose hooks core runs (records arriving, bundle lists, a person's erasure), in the order they run.
 * Adding a feature with hooks is one folder and one entry here.
 */
export function builtinFeatures(options: { ai?: AiDetector } = {}) {
  return [
    reportsFeature,
    aiFeature(options.ai ?? builtinAiDetector()),
    surveysFeature,
    feedbackFeature,
    tokensFeature,
    oauthFeature,
    signalsFeature,
    knowledgeFeature,
    risksFeature,
    agreementsFeature,
    goalsFeature,
    absencesFeature,
    onboardingFeature,
    buildsFeature,
    incidentsFeature,
  ];
}
