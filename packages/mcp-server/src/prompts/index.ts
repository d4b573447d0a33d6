import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { registerOneOnOnePrompt, registerRetroPrompt } from './meeting-packs.js';
import { registerOnboardingPrompt } from './onboarding.js';
import { registerPrTriagePrompt } from './pr-triage.js';
import { registerSprintReviewPrompt } from './sprint-review.js';
import { registerStandupPrompt } from './standup.js';
import { registerSuggestAgentRulesPrompt } from './suggest-agent-rules.js';
import { registerWeeklyReportPrompt } from './weekly-report.js';

/** Every prompt the server offers: one module each. Steps that need a tool appear only when the server has it. */
export const prompts: readonly Register<McpServer>[] = [
  registerStandupPrompt,
  registerSprintReviewPrompt,
  registerPrTriagePrompt,
  registerWeeklyReportPrompt,
  registerSuggestAgentRulesPrompt,
  registerOnboardingPrompt,
  registerOneOnOnePrompt,
  registerRetroPrompt,
];
