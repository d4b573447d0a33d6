import { confluenceKnowledgeConfigSchema } from '@teamstate/connectors/confluence';
import type { ValidationIssue } from '@teamstate/core';
import { z } from 'zod';

/** `knowledge`: where documents come from (docs/knowledge.md). */
export const knowledgeConfigSchema = z.strictObject({
  /** Markdown files on disk (`.md`, `.mdx`, `.markdown`): folders searched recursively, relative to the config file. */
  local: z
    .strictObject({
      paths: z.array(z.string().min(1)).min(1, { error: 'give at least one folder, e.g. [./docs]' }),
      /** Team ids allowed to see these documents (default: everyone in the workspace). */
      visibility: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /**
   * Markdown docs and CODEOWNERS of GitHub repositories, read with the credentials of `connectors.github`
   * (docs/knowledge.md): `repositories` (default those of connectors.github), `paths` (globs; default README.md,
   * CONTRIBUTING.md, docs/**\/*.md, **\/adr/**\/*.md, **\/decisions/**\/*.md, runbooks/**), `visibility` (team ids).
   */
  github: z
    .strictObject({
      repositories: z
        .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' }))
        .min(1, { error: 'name at least one repository, e.g. [acme/handbook], or leave it out for those of connectors.github' })
        .optional(),
      paths: z
        .array(z.string().min(1))
        .min(1, { error: 'give at least one glob, e.g. ["docs/**/*.md"], or leave paths out for the defaults' })
        .optional(),
      /** Team ids allowed to see these documents, e.g. for private repositories (default: everyone in the workspace). */
      visibility: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /** Confluence spaces (Cloud: host, email, apiToken; Data Center: host and a personal access token as apiToken). */
  confluence: confluenceKnowledgeConfigSchema.optional(),
  /**
   * An OpenAI-compatible embeddings API or local model server (Ollama, llama.cpp, vLLM): passages get vectors at sync
   * and search fuses vector and BM25 ranks (docs/knowledge.md#adding-an-embedder). `apiKey` as `${OPENAI_API_KEY}`.
   */
  embedder: z
    .strictObject({
      url: z.string().regex(/^https?:\/\/[^/]/i, {
        error: "expected the API's URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (Ollama)",
      }),
      model: z.string().min(1, { error: 'name the model, e.g. nomic-embed-text or text-embedding-3-small' }),
      apiKey: z.string().min(1).optional(),
      dimensions: z.number().int().positive().max(65_536, { error: "the length of the model's vectors, at most 65536" }),
      /** US dollars per 1,000 tokens: calls are metered and stop at the policy's limits.max_monthly_cost_usd. */
      costPer1kTokensUsd: z
        .number({ error: (issue) => `expected US dollars per 1,000 tokens, e.g. 0.00002, got ${JSON.stringify(issue.input)}` })
        .nonnegative({
          error: (issue) => `expected US dollars per 1,000 tokens, 0 or more (e.g. 0.00002), got ${JSON.stringify(issue.input)}`,
        })
        .optional(),
    })
    .optional(),
});

/**
 * `knowledge.github` reads with the credentials (and by default the repositories) of `connectors.github`: checked on the
 * file's sections as written (before a section is left out for an unset variable, see `loadConfig`).
 */
export function knowledgeGithubIssues(input: unknown): ValidationIssue[] {
  const section = (value: unknown, key: string): Record<string, unknown> | undefined => {
    const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return found && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
  };
  const knowledge = section(section(input, 'knowledge'), 'github');
  if (!knowledge) return [];
  const github = section(section(input, 'connectors'), 'github');
  if (!github)
    return [
      {
        path: 'knowledge.github',
        message:
          'needs connectors.github (its token or GitHub App credentials are used): configure connectors.github, or remove knowledge.github',
      },
    ];
  const listed = (value: unknown) => Array.isArray(value) && value.length > 0;
  if (knowledge.repositories === undefined && !listed(github.repositories))
    return [
      {
        path: 'knowledge.github.repositories',
        message: 'connectors.github lists no repositories (only an org): list the repositories whose docs to index, e.g. [acme/handbook]',
      },
    ];
  return [];
}
