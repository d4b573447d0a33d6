// The feedback feature's public face: exactly the names @teamstate/core exports from it.
export { RULE_FORMATS, type RuleFormat } from './agent-rule-formats.js';
export type { FeedbackApi, FeedbackInput } from './feedback-api.js';
export type { CategoryEffect, EffectWindow, FeedbackEffect, FeedbackEffectQuery, RuleEffect } from './feedback-effect.js';
export type { FeedbackExample, FeedbackPattern, FeedbackPatternQuery, FeedbackPatterns, FeedbackTrend } from './feedback-patterns.js';
export type { RuleSuggestion, RuleSuggestionQuery } from './suggest-rules.js';
