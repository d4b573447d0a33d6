import { z } from 'zod';

/** A record id: non-empty, no surrounding whitespace, at most 200 characters. */
export const idSchema = z
  .string({ error: 'expected an id string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((value) => value.trim() === value, { error: 'must not start or end with whitespace' });

/** The shape of an id an extension declares (a provider, a knowledge source kind): lowercase letters, digits, `-`, `_`. */
const EXTENSION_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const extensionIdSchema = (what: string, examples: string) => {
  const error = `expected ${what}: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. ${examples})`;
  return z.string({ error }).regex(EXTENSION_ID, { error });
};

/** The providers of the built-in connectors (and `email`); any connector may declare others (`gitlab`, `linear`). */
export const KNOWN_PROVIDERS = ['github', 'jira', 'slack', 'email'] as const;
export type KnownProvider = (typeof KNOWN_PROVIDERS)[number];

/**
 * An identity provider an account belongs to: a built-in one or any id a connector declares in `providers`.
 * The set is open; `(string & {})` keeps the built-in ones as suggestions in editors.
 */
export type Provider = KnownProvider | (string & {});

/** A well-formed provider id (see {@link Provider}). */
export const providerSchema = extensionIdSchema('a provider id', '"github", "gitlab"');

/** The kinds of the built-in knowledge sources; a third-party source may use its own (`notion`). */
export const KNOWN_KNOWLEDGE_SOURCE_KINDS = ['github', 'confluence', 'local'] as const;
export type KnownKnowledgeSourceKind = (typeof KNOWN_KNOWLEDGE_SOURCE_KINDS)[number];

/** A well-formed knowledge source kind (see `KnowledgeSourceKind`). */
export const knowledgeSourceKindSchema = extensionIdSchema('a knowledge source kind', '"confluence", "notion"');
