import type * as schema from './schema.js';

// Row types inferred from the drizzle tables: `…Row` is what a `SELECT` of the table returns (with the
// table spec's `select()` list, which names columns by property), `…Insert` what a write needs (columns
// with a default or NULL may be left out). Timestamps are epoch milliseconds, flags 0/1.

/** A `teams` row as read. */
export type TeamRow = typeof schema.teams.$inferSelect;
/** A `teams` row as written. */
export type TeamInsert = typeof schema.teams.$inferInsert;
/** A `people` row as read. */
export type PersonRow = typeof schema.people.$inferSelect;
/** A `people` row as written. */
export type PersonInsert = typeof schema.people.$inferInsert;
/** A `accounts` row as read. */
export type AccountRow = typeof schema.accounts.$inferSelect;
/** A `accounts` row as written. */
export type AccountInsert = typeof schema.accounts.$inferInsert;
/** A `memberships` row as read. */
export type MembershipRow = typeof schema.memberships.$inferSelect;
/** A `memberships` row as written. */
export type MembershipInsert = typeof schema.memberships.$inferInsert;
/** A `repositories` row as read. */
export type RepositoryRow = typeof schema.repositories.$inferSelect;
/** A `repositories` row as written. */
export type RepositoryInsert = typeof schema.repositories.$inferInsert;
/** A `work_items` row as read. */
export type WorkItemRow = typeof schema.workItems.$inferSelect;
/** A `work_items` row as written. */
export type WorkItemInsert = typeof schema.workItems.$inferInsert;
/** A `work_item_assignees` row as read. */
export type WorkItemAssigneeRow = typeof schema.workItemAssignees.$inferSelect;
/** A `work_item_assignees` row as written. */
export type WorkItemAssigneeInsert = typeof schema.workItemAssignees.$inferInsert;
/** A `reviews` row as read. */
export type ReviewRow = typeof schema.reviews.$inferSelect;
/** A `reviews` row as written. */
export type ReviewInsert = typeof schema.reviews.$inferInsert;
/** A `transitions` row as read. */
export type TransitionRow = typeof schema.transitions.$inferSelect;
/** A `transitions` row as written. */
export type TransitionInsert = typeof schema.transitions.$inferInsert;
/** A `sprints` row as read. */
export type SprintRow = typeof schema.sprints.$inferSelect;
/** A `sprints` row as written. */
export type SprintInsert = typeof schema.sprints.$inferInsert;
/** A `sprint_committed_items` row as read. */
export type SprintCommittedItemRow = typeof schema.sprintCommittedItems.$inferSelect;
/** A `sprint_committed_items` row as written. */
export type SprintCommittedItemInsert = typeof schema.sprintCommittedItems.$inferInsert;
/** A `deployments` row as read. */
export type DeploymentRow = typeof schema.deployments.$inferSelect;
/** A `deployments` row as written. */
export type DeploymentInsert = typeof schema.deployments.$inferInsert;
/** A `deployment_pull_requests` row as read. */
export type DeploymentPullRequestRow = typeof schema.deploymentPullRequests.$inferSelect;
/** A `deployment_pull_requests` row as written. */
export type DeploymentPullRequestInsert = typeof schema.deploymentPullRequests.$inferInsert;
/** A `incidents` row as read. */
export type IncidentRow = typeof schema.incidents.$inferSelect;
/** A `incidents` row as written. */
export type IncidentInsert = typeof schema.incidents.$inferInsert;
/** A `sync_cursors` row as read. */
export type SyncCursorRow = typeof schema.syncCursors.$inferSelect;
/** A `sync_cursors` row as written. */
export type SyncCursorInsert = typeof schema.syncCursors.$inferInsert;
/** A `webhook_deliveries` row as read. */
export type WebhookDeliveryRow = typeof schema.webhookDeliveries.$inferSelect;
/** A `webhook_deliveries` row as written. */
export type WebhookDeliveryInsert = typeof schema.webhookDeliveries.$inferInsert;
/** A `signals` row as read. */
export type SignalRow = typeof schema.signals.$inferSelect;
/** A `signals` row as written. */
export type SignalInsert = typeof schema.signals.$inferInsert;
/** A `approvals` row as read. */
export type ApprovalRow = typeof schema.approvals.$inferSelect;
/** A `approvals` row as written. */
export type ApprovalInsert = typeof schema.approvals.$inferInsert;
/** A `approval_messages` row as read. */
export type ApprovalMessageRow = typeof schema.approvalMessages.$inferSelect;
/** A `approval_messages` row as written. */
export type ApprovalMessageInsert = typeof schema.approvalMessages.$inferInsert;
/** A `audit_events` row as read. */
export type AuditEventRow = typeof schema.auditEvents.$inferSelect;
/** A `audit_events` row as written. */
export type AuditEventInsert = typeof schema.auditEvents.$inferInsert;
/** A `tokens` row as read. */
export type TokenRow = typeof schema.tokens.$inferSelect;
/** A `tokens` row as written. */
export type TokenInsert = typeof schema.tokens.$inferInsert;
/** A `workspace_settings` row as read. */
export type WorkspaceSettingRow = typeof schema.workspaceSettings.$inferSelect;
/** A `workspace_settings` row as written. */
export type WorkspaceSettingInsert = typeof schema.workspaceSettings.$inferInsert;
/** A `reports` row as read. */
export type ReportRow = typeof schema.reports.$inferSelect;
/** A `reports` row as written. */
export type ReportInsert = typeof schema.reports.$inferInsert;
/** A `report_revisions` row as read. */
export type ReportRevisionRow = typeof schema.reportRevisions.$inferSelect;
/** A `report_revisions` row as written. */
export type ReportRevisionInsert = typeof schema.reportRevisions.$inferInsert;
export type AiUsageRow = typeof schema.aiUsage.$inferSelect;
export type AiUsageInsert = typeof schema.aiUsage.$inferInsert;
export type SurveyResponseRow = typeof schema.surveyResponses.$inferSelect;
export type SurveyResponseInsert = typeof schema.surveyResponses.$inferInsert;
/** A `ai_feedback` row as read. */
export type AiFeedbackRow = typeof schema.aiFeedback.$inferSelect;
/** A `ai_feedback` row as written. */
export type AiFeedbackInsert = typeof schema.aiFeedback.$inferInsert;
/** A `knowledge_documents` row as read. */
export type KnowledgeDocumentRow = typeof schema.knowledgeDocuments.$inferSelect;
/** A `knowledge_documents` row as written. */
export type KnowledgeDocumentInsert = typeof schema.knowledgeDocuments.$inferInsert;
/** A `knowledge_chunks` row as written. */
export type KnowledgeChunkInsert = typeof schema.knowledgeChunks.$inferInsert;
