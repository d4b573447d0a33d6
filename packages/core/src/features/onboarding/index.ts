// The onboarding feature's door: its definition.
export { onboardingFeature } from './feature.js';
