// The onboarding feature's door: the facade's `ts.onboarding` and its definition.
export { onboardingFeature } from './feature.js';
export {
  createOnboardingApi,
  type Milestone,
  ONBOARDING_DAYS,
  type OnboardingApi,
  type OnboardingContact,
  type OnboardingDocument,
  type OnboardingMessage,
  type OnboardingPlan,
  type StarterIssue,
} from './onboarding-api.js';
