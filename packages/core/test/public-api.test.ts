import { readFileSync } from 'node:fs';
import * as core from '@teamstate/core';
import { describe, expect, it } from 'vitest';

// A new export is new public API: each barrel's runtime names are listed here, so adding or removing one is a
// visible change in review (types are checked by the packages that use them).
const ROOT = [
  'BUNDLE_FORMAT',
  'CODEOWNERS_PATHS',
  'KNOWLEDGE_QUERY_MAX',
  'KNOWN_KNOWLEDGE_SOURCE_KINDS',
  'KNOWN_PROVIDERS',
  'REPORT_TEXT_MAX',
  'RULE_FORMATS',
  'FEEDBACK_CATEGORIES',
  'FEEDBACK_PATHS_MAX',
  'FEEDBACK_TEXT_MAX',
  'NotFoundError',
  'OPT_OUT_KINDS',
  'TERMINAL_APPROVAL_STATUSES',
  'TeamStateError',
  'UpstreamError',
  'ValidationError',
  'WebhookPayloadError',
  'accountSchema',
  'addDays',
  'escapeMrkdwn',
  'aiUsageSchema',
  'LEADERBOARD_MEASURES',
  'lastScheduledAt',
  'leaderboardText',
  'parseLeaderboardSchedule',
  'aiAssessmentSchema',
  'aiConfigSchema',
  'aiEvidenceKindSchema',
  'aiEvidenceSchema',
  'approvalContentHash',
  'approvalDecisionSchema',
  'approvalErrorCodeSchema',
  'approvalSchema',
  'approvalStatusSchema',
  'auditEventSchema',
  'backupStore',
  'bundleJsonSchema',
  'bundleReportSchema',
  'bundleFeedbackSchema',
  'feedbackCategorySchema',
  'repositoryPathProblem',
  'bundleSchema',
  'chunkMarkdown',
  'codeownersRuleFor',
  'parseCodeowners',
  'closest',
  'constantTimeEqual',
  'createAiDetector',
  'createStderrLogger',
  'createTeamState',
  'daySchema',
  'defaultMetricIds',
  'defineActionType',
  'deploymentSchema',
  'describeZodIssues',
  'detectAi',
  'formatPath',
  'formatTimestamp',
  'hmacSha256Hex',
  'httpEmbedder',
  'idSchema',
  'incidentEventSchema',
  'incidentSchema',
  'isDay',
  'isTerminalApprovalStatus',
  'isTimeZone',
  'isWithinWorkingHours',
  'knowledgeSourceKindSchema',
  'linkAccount',
  'localKnowledge',
  'localDay',
  'metricWindow',
  'migrateDatabase',
  'parseBundle',
  'parsePolicy',
  'parsePolicyText',
  'parseTimestamp',
  'personSchema',
  'policyModeSchema',
  'providerSchema',
  'redactSecrets',
  'reportSourceSchema',
  'repositorySchema',
  'retentionOptionsSchema',
  'reviewSchema',
  'riskSchema',
  'safeText',
  'signalSchema',
  'signalSeveritySchema',
  'signalSubjectSchema',
  'silentLogger',
  'sprintSchema',
  'statusCategorySchema',
  'surveyAssistedSchema',
  'surveyResponseSchema',
  'surveyRoleSchema',
  'teamSchema',
  'timeZoneOffset',
  'timeZoneSchema',
  'timestampSchema',
  'transitionSchema',
  'unknownId',
  'verifySha256Signature',
  'webhookDeliverySchema',
  'workItemKindSchema',
  'workItemSchema',
  'workingHoursBetween',
  'workingTimeCalendar',
];

describe('@teamstate/core public surface', () => {
  it('exports exactly the facade, the model, the errors and their helpers from "." (./spec and ./store are guarded next to their code)', () => {
    expect(Object.keys(core).sort()).toEqual([...ROOT].sort());
    expect(core.BUNDLE_FORMAT).toBe('teamstate.bundle/v1');
  });

  it('publishes the three entries in the package exports map, built by tsup', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(manifest.exports)).toEqual(['.', './spec', './store', './testing', './package.json']);
  });

  it('publishes the bundle JSON Schema as generated from the zod schema (pnpm exec tsx scripts/generate-bundle-schema.ts)', () => {
    const published = JSON.parse(readFileSync(new URL('../schema/teamstate.bundle.v1.json', import.meta.url), 'utf8'));
    expect(published).toEqual(core.bundleJsonSchema());
    expect(published.properties.workItems.items.required).toEqual(['id', 'source', 'kind', 'key', 'title', 'state', 'createdAt']);
  });
});
