import { aiImpactTool } from './ai-impact.js';
import { awaitApprovalTool } from './await-approval.js';
import { prReviewQueueTool, sprintHealthTool, standupDigestTool } from './digest-tools.js';
import { aiFeedbackPatternsTool, reportAiIssueTool } from './feedback-tools.js';
import { getApprovalTool } from './get-approval.js';
import { getMetricsTool } from './get-metrics.js';
import { getWorkItemTool } from './get-work-item.js';
import { incidentBriefTool, listIncidentsTool } from './incident-tools.js';
import { getAllocationTool, oncallHealthTool, planCapacityTool, pulseResultsTool } from './insights-tools.js';
import { searchKnowledgeTool, whoKnowsTool } from './knowledge-tools.js';
import { listApprovalsTool } from './list-approvals.js';
import { listPeopleTool } from './list-people.js';
import { listRisksTool } from './list-risks.js';
import { ackSignalTool, listSignalsTool } from './list-signals.js';
import { listWorkItemsTool } from './list-work-items.js';
import { forecastTool, goalsProgressTool } from './plans-tools.js';
import { proposeActionTool } from './propose-action.js';
import { personTimelineTool, searchReportsTool, submitDailyReportTool } from './report-tools.js';
import { teamOverviewTool } from './team-overview.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * Every tool the server offers, in the order `tools/list` shows them. Adding a tool is one file in this
 * folder (a `defineTool(...)` export) and one line here. No tool decides an approval: the assistant is
 * always the requester, and deciding belongs to people (CLI, Slack, apps through the SDK).
 */
export const tools: readonly ToolDefinition[] = [
  // Read
  teamOverviewTool,
  listPeopleTool,
  listWorkItemsTool,
  getWorkItemTool,
  getMetricsTool,
  listSignalsTool,
  ackSignalTool,
  standupDigestTool,
  sprintHealthTool,
  prReviewQueueTool,
  aiImpactTool,
  // Daily reports
  searchReportsTool,
  personTimelineTool,
  // Knowledge
  searchKnowledgeTool,
  whoKnowsTool,
  // Incidents
  listIncidentsTool,
  incidentBriefTool,
  // Writes (to the local store only)
  submitDailyReportTool,
  // AI feedback
  aiFeedbackPatternsTool,
  reportAiIssueTool,
  // Plans
  listRisksTool,
  goalsProgressTool,
  forecastTool,
  // Insights (toolset `insights`, enabled with --toolsets)
  getAllocationTool,
  planCapacityTool,
  pulseResultsTool,
  oncallHealthTool,
  // Control
  proposeActionTool,
  getApprovalTool,
  awaitApprovalTool,
  listApprovalsTool,
];
