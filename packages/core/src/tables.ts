// Every table of the store: the shared records' (records/schema.ts) and each feature's (features/<name>/schema.ts),
// exported as `tables` by `@teamstate/core/store`.

export * from './features/agreements/schema.js';
export * from './features/ai/schema.js';
export * from './features/builds/schema.js';
export * from './features/feedback/schema.js';
export * from './features/forecasts/schema.js';
export * from './features/goals/schema.js';
export * from './features/incidents/schema.js';
export * from './features/knowledge/schema.js';
export * from './features/oauth/schema.js';
export * from './features/onboarding/schema.js';
export * from './features/reports/schema.js';
export * from './features/risks/schema.js';
export * from './features/settings/schema.js';
export * from './features/signals/schema.js';
export * from './features/surveys/schema.js';
export * from './features/tokens/schema.js';
export * from './records/schema.js';
export * from './services/approvals/schema.js';
export * from './services/audit/schema.js';
export * from './services/privacy/schema.js';
