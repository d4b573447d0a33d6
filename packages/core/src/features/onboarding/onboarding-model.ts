import type { Store } from '../../kernel/store/open-store.js';
import type { WorkingHours } from '../../services/working-hours/index.js';

export const DAY_MS = 86_400_000;
/** Who gets a plan: people who joined in this many days before now. */
export const ONBOARDING_DAYS = 60;

/** A document to read, from the team's knowledge. */
export interface OnboardingDocument {
  title: string;
  uri: string;
  /** The team topics whose search found it, best first. */
  topics: string[];
  score: number;
}

/** Someone to meet, and why. */
export interface OnboardingContact {
  person: { id: string; name: string };
  reasons: string[];
}

/** An issue to start with. */
export interface StarterIssue {
  id: string;
  key: string;
  title: string;
  storyPoints?: number;
  url?: string;
  /** `good first issue` (labelled so), or `small` (unassigned, at most 2 points). */
  why: 'good first issue' | 'small';
}

/** A first (or tenth) step: when it happened and how many days after joining, or null before it happens. */
export type Milestone = { at: string; days: number } | null;

/** `ts.onboarding.plan(person)`. */
export interface OnboardingPlan {
  person: { id: string; name: string };
  /** When they joined: their `joinedAt`, else their first activity. */
  joinedAt: string;
  joinedFrom: 'joinedAt' | 'first activity';
  teams: string[];
  /** Their teams' leads. */
  leads: { id: string; name: string }[];
  /** The topics the plan is built around: the team's most used labels, components and repositories. */
  topics: string[];
  documents: OnboardingDocument[];
  people: OnboardingContact[];
  starterIssues: StarterIssue[];
  progress: {
    daysSinceJoining: number;
    firstPullRequest: Milestone;
    firstReview: Milestone;
    tenthPullRequest: Milestone;
    pullRequests: number;
  };
}

/** What onboarding reads through other features (knowledge). */
export interface OnboardingDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  /** When messages may go: the signals' working hours (`signalSettings.workingHours`), in each recipient's time zone. */
  workingHours: WorkingHours;
  /** The policy's approver references: approvers who are members lead their teams. */
  approvers?: readonly string[];
  search(query: string, options: { team?: string; limit?: number }): Promise<{ score: number; document: { title: string; uri: string } }[]>;
  whoKnows(topic: string, options: { team?: string; limit?: number }): Promise<{ person: { id: string; name: string } }[]>;
  propose(proposal: {
    type: string;
    target: string;
    params: Record<string, unknown>;
    reason: string;
    requestedBy: string;
  }): Promise<{ id: string; status: string }>;
  /** The policy's free-text redaction (`limits.pii_redaction`), for what a message quotes (documents, issues). */
  redact?: (text: string) => string;
}

/** A message proposed for a new hire's plan. */
export interface OnboardingMessage {
  person: string;
  recipient: string;
  approval: string;
  status: string;
}
