import { z } from 'zod';

/** Where a piece of AI evidence was found (DESIGN.md section 14). */
export const aiEvidenceKindSchema = z.enum(['trailer', 'author', 'label', 'body', 'survey']);
export type AiEvidenceKind = z.infer<typeof aiEvidenceKindSchema>;

/**
 * One piece of evidence that a pull request was AI-assisted: the trailer line, the bot login, the label or the body
 * marker exactly as found (`{ kind: 'trailer', value: 'Co-Authored-By: Claude <noreply@anthropic.com>' }`).
 */
export const aiEvidenceSchema = z.strictObject({
  kind: aiEvidenceKindSchema,
  value: z.string().min(1, { error: 'must not be empty (the trailer, login, label or marker as found)' }).max(1_000),
});
export type AiEvidence = z.infer<typeof aiEvidenceSchema>;

/**
 * Whether a pull request was AI-assisted and how we know. `assisted: null` means no evidence either way (never read it
 * as "not assisted"); `false` comes only from an author's survey answer "none". `tools` are lower-case tool ids
 * (`claude`, `copilot`, `cursor` …), empty when the evidence names none (the label `ai-assisted`).
 */
export const aiAssessmentSchema = z.strictObject({
  assisted: z.boolean().nullable(),
  tools: z.array(z.string().min(1).max(100)).default([]),
  evidence: z.array(aiEvidenceSchema).default([]),
});
/** An AI assessment as given (tools and evidence may be left out). */
export type AiAssessmentInput = z.input<typeof aiAssessmentSchema>;
/** An AI assessment of a pull request. */
export type AiAssessment = z.output<typeof aiAssessmentSchema>;
