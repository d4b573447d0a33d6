// The onboarding feature's public face: exactly the names @teamstate/core exports from it.
export type {
  Milestone,
  OnboardingApi,
  OnboardingContact,
  OnboardingDocument,
  OnboardingMessage,
  OnboardingPlan,
  StarterIssue,
} from './onboarding-api.js';
