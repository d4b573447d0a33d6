import { z } from 'zod';
import { idSchema } from './common.js';
import { daySchema } from './local-day.js';
import { timestampSchema } from './timestamp.js';

/** How bad a risk would be if it happened. */
export const RISK_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const riskSeveritySchema = z.enum(RISK_SEVERITIES, { error: `expected one of ${RISK_SEVERITIES.join('|')}` });
export type RiskSeverity = z.infer<typeof riskSeveritySchema>;

/** How likely a risk is to happen. */
export const RISK_LIKELIHOODS = ['low', 'medium', 'high'] as const;
export const riskLikelihoodSchema = z.enum(RISK_LIKELIHOODS, { error: `expected one of ${RISK_LIKELIHOODS.join('|')}` });
export type RiskLikelihood = z.infer<typeof riskLikelihoodSchema>;

/** Where a risk stands: `closed` ends it; the others are open in the wide sense (`risks list` shows them). */
export const RISK_STATUSES = ['open', 'mitigating', 'accepted', 'closed'] as const;
export const riskStatusSchema = z.enum(RISK_STATUSES, { error: `expected one of ${RISK_STATUSES.join('|')}` });
export type RiskStatus = z.infer<typeof riskStatusSchema>;

const SOURCE = /^(manual|signal:.+|incident:.+)$/s;
/** Where a risk came from: `manual`, `signal:<fingerprint>` or `incident:<id>`. */
export const riskSourceSchema = z
  .string()
  .max(400)
  .regex(SOURCE, { error: 'expected manual, signal:<signal id> or incident:<incident id>' })
  .meta({ description: 'manual, signal:<signal id> or incident:<incident id>' });
export type RiskSource = 'manual' | `signal:${string}` | `incident:${string}`;

/** What a piece of evidence points at. */
export const RISK_EVIDENCE_KINDS = ['signal', 'incident', 'work_item', 'report', 'deployment', 'metric', 'link', 'note'] as const;

/** One piece of evidence behind a risk: what it points at, and the facts copied from it when the risk was recorded. */
export const riskEvidenceSchema = z.strictObject({
  kind: z.enum(RISK_EVIDENCE_KINDS, { error: `expected one of ${RISK_EVIDENCE_KINDS.join('|')}` }),
  /** The signal's fingerprint, the incident's or work item's id, a URL for `link`. */
  ref: z.string().min(1).max(2000),
  title: z.string().max(2000).optional(),
  /** When it was seen or happened. */
  at: timestampSchema.optional(),
  /** The facts and numbers behind it (a signal's evidence), as they were when copied. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type RiskEvidence = z.infer<typeof riskEvidenceSchema>;

/** The longest risk title and mitigation. */
export const RISK_TITLE_MAX = 500;
export const RISK_MITIGATION_MAX = 5000;

const title = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(RISK_TITLE_MAX, { error: `must be at most ${RISK_TITLE_MAX} characters` });
const mitigation = z.string().max(RISK_MITIGATION_MAX, { error: `must be at most ${RISK_MITIGATION_MAX} characters` });

/**
 * A risk in a team's register (docs/hub.md#risk-register): what could go wrong, how bad and how likely, who owns it,
 * what is being done, when to look at it again, and the evidence it was recorded from.
 */
export const teamRiskSchema = z.strictObject({
  id: idSchema,
  team: idSchema,
  title,
  severity: riskSeveritySchema,
  likelihood: riskLikelihoodSchema,
  owner: idSchema.optional(),
  mitigation: mitigation.optional(),
  status: riskStatusSchema,
  /** The day by which someone looks at it again (`risk.review_due` once it has passed). */
  reviewBy: daySchema.optional(),
  source: riskSourceSchema,
  evidence: z.array(riskEvidenceSchema).max(100),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type TeamRisk = Omit<z.infer<typeof teamRiskSchema>, 'source'> & { source: RiskSource };

/** A risk as a bundle's `risks` carries it: likelihood `medium`, status `open`, source `manual` and no evidence by default. */
export const bundleRiskSchema = teamRiskSchema.extend({
  likelihood: riskLikelihoodSchema.default('medium'),
  status: riskStatusSchema.default('open'),
  source: riskSourceSchema.default('manual'),
  evidence: z.array(riskEvidenceSchema).max(100).default([]),
  updatedAt: timestampSchema.optional(),
});
export type BundleRisk = z.output<typeof bundleRiskSchema>;
