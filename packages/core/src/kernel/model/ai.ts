import { z } from 'zod';

/** Where a piece of AI evidence was found (docs/ai-impact.md#detection). */
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
  tools: z.array(z.string().min(1).max(100)).max(50),
  evidence: z.array(aiEvidenceSchema).max(100),
});
/** An AI assessment of a pull request. */
export type AiAssessment = z.infer<typeof aiAssessmentSchema>;

/** An identity as GitHub shows it: a PR author (login, type) or a commit author/committer (name, email, user login). */
export interface AiIdentity {
  login?: string | null;
  /** GraphQL `__typename` (`Bot`, `User`) or REST `type`. */
  type?: string | null;
  name?: string | null;
  email?: string | null;
}

/** A commit of the pull request. */
export interface AiCommit {
  message?: string | null;
  author?: AiIdentity | null;
  committer?: AiIdentity | null;
}

/** What a pull request shows. Leave out what the source did not read. */
export interface AiDetectionInput {
  author?: AiIdentity | null;
  commits?: readonly AiCommit[];
  labels?: readonly string[];
  body?: string | null;
}
