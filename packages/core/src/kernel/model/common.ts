import { z } from 'zod';

/** A record id: non-empty, no surrounding whitespace, at most 200 characters. */
export const idSchema = z
  .string({ error: 'expected an id string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((value) => value.trim() === value, { error: 'must not start or end with whitespace' });

/** Identity providers an account can belong to. */
export const providerSchema = z.enum(['github', 'jira', 'slack', 'email']);
export type Provider = z.infer<typeof providerSchema>;
