import type { RegisterCommand } from '../command-context.js';
import { registerAgreements } from './agreements.js';
import { registerAiImpact } from './ai-impact.js';
import { registerAlerts } from './alerts.js';
import { registerApprovals } from './approvals.js';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerConfig } from './config.js';
import { registerDemo } from './demo.js';
import { registerExport } from './export.js';
import { registerFeedback } from './feedback.js';
import { registerForecast } from './forecast.js';
import { registerGoals } from './goals.js';
import { registerImport } from './import.js';
import { registerIncident } from './incident.js';
import { registerInit } from './init.js';
import { registerAllocation, registerCapacity, registerDeps } from './insights.js';
import { registerKnowledge } from './knowledge.js';
import { registerLeaderboard } from './leaderboard.js';
import { registerMcp } from './mcp.js';
import { registerMeeting } from './meeting.js';
import { registerMetrics } from './metrics.js';
import { registerMigrate } from './migrate.js';
import { registerNudges } from './nudges.js';
import { registerOnboarding } from './onboarding.js';
import { registerOncall } from './oncall.js';
import { registerPeople } from './people.js';
import { registerPolicy } from './policy.js';
import { registerPulse } from './pulse.js';
import { registerReport } from './report.js';
import { registerRetention } from './retention.js';
import { registerRisks } from './risks.js';
import { registerServe } from './serve.js';
import { registerSignals } from './signals.js';
import { registerSprint } from './sprint.js';
import { registerStandup } from './standup.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerTimeline } from './timeline.js';
import { registerTokens } from './tokens.js';
import { registerWebhooks } from './webhooks.js';

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [
  registerDemo,
  registerInit,
  registerImport,
  registerExport,
  registerSync,
  registerStatus,
  registerSignals,
  registerIncident,
  registerOncall,
  registerPulse,
  registerAlerts,
  registerStandup,
  registerSprint,
  registerRisks,
  registerMeeting,
  registerAgreements,
  registerNudges,
  registerApprovals,
  registerPolicy,
  registerAudit,
  registerTokens,
  registerReport,
  registerTimeline,
  registerFeedback,
  registerRetention,
  registerKnowledge,
  registerConfig,
  registerServe,
  registerWebhooks,
  registerPeople,
  registerMetrics,
  registerAiImpact,
  registerLeaderboard,
  registerGoals,
  registerForecast,
  registerAllocation,
  registerCapacity,
  registerDeps,
  registerOnboarding,
  registerMcp,
  registerMigrate,
  registerBackup,
];
