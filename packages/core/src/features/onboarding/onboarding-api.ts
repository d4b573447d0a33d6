import { proposeOnboardingMessages } from './onboarding-messages.js';
import type { OnboardingDeps, OnboardingMessage, OnboardingPlan } from './onboarding-model.js';
import { listJoiners, planOnboarding } from './onboarding-plan.js';

export {
  type Milestone,
  ONBOARDING_DAYS,
  type OnboardingContact,
  type OnboardingDeps,
  type OnboardingDocument,
  type OnboardingMessage,
  type OnboardingPlan,
  type StarterIssue,
} from './onboarding-model.js';

/** `ts.onboarding`. */
export interface OnboardingApi {
  /**
   * The plan of someone who joined in the last 60 days (`joinedAt`, else their first activity): documents to read (the
   * team's, ranked by knowledge search on the team's topics), people to meet (who knows those topics, frequent
   * reviewers), starter issues, and progress (days to their first PR, first review, tenth PR).
   * @example const plan = await ts.onboarding.plan('dee')
   */
  plan(person: string): Promise<OnboardingPlan>;
  /** The people who joined in the last 60 days, newest first. */
  joiners(): Promise<{ id: string; name: string; joinedAt: string }[]>;
  /**
   * Proposes, through the policy, a Slack DM (`slack.dm.send`) with the plan to each recent joiner and to their leads,
   * once per joiner and recipient (recorded before proposing, so a restart or a second process never sends twice).
   * Recipients without a Slack account are left out. `teamstate serve` runs it on its schedule.
   */
  proposeMessages(options?: { requestedBy?: string }): Promise<OnboardingMessage[]>;
}

/** Builds `ts.onboarding`. */
export function createOnboardingApi(deps: OnboardingDeps): OnboardingApi {
  return {
    plan: (person) => planOnboarding(deps, person),
    joiners: () => listJoiners(deps),
    proposeMessages: (options) => proposeOnboardingMessages(deps, options),
  };
}
