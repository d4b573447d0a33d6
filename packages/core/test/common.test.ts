import { describe, expect, it } from 'vitest';
import { bundleSchema } from '../src/bundle.js';
import { KNOWN_KNOWLEDGE_SOURCE_KINDS, KNOWN_PROVIDERS, knowledgeSourceKindSchema, providerSchema } from '../src/kernel/model/common.js';
import { accountSchema } from '../src/kernel/model/identity.js';
import { describeZodIssues } from '../src/kernel/model/zod-issues.js';

describe('open provider ids', () => {
  it('accepts the built-in providers and any well-formed id a connector declares', () => {
    expect([...KNOWN_PROVIDERS]).toEqual(['github', 'jira', 'slack', 'email']);
    for (const id of ['github', 'email', 'gitlab', 'linear', 'azure-devops', 'pager_duty', 'o365'])
      expect(providerSchema.parse(id)).toBe(id);
  });

  it('refuses a malformed id with one message naming the shape and an example', () => {
    for (const id of ['GitLab', 'git lab', '', '-gitlab', 'gitlab!', 'x'.repeat(65)]) {
      const result = accountSchema.safeParse({ provider: id, id: 'u1' });
      expect(result.success, id).toBe(false);
      expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
        [
          'provider',
          'expected a provider id: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. "github", "gitlab")',
        ],
      ]);
    }
  });

  it('lets a bundle carry accounts at a provider a third-party connector declares, and names the field of a bad one', () => {
    const bundle = bundleSchema.parse({
      format: 'teamstate.bundle/v1',
      people: [{ id: 'ana', name: 'Ana', accounts: [{ provider: 'gitlab', id: '17', login: 'ana' }] }],
    });
    expect(bundle.people?.[0]?.accounts).toEqual([{ provider: 'gitlab', id: '17', login: 'ana' }]);
    const bad = bundleSchema.safeParse({
      format: 'teamstate.bundle/v1',
      people: [{ id: 'ana', name: 'Ana', accounts: [{ provider: 'GitLab', id: '17' }] }],
    });
    expect(describeZodIssues(bundleSchema, bad.error!.issues).map((issue) => issue.path)).toEqual(['people[0].accounts[0].provider']);
  });
});

describe('open knowledge source kinds', () => {
  it('accepts the built-in kinds and any well-formed one, and refuses a malformed one naming the fix', () => {
    expect([...KNOWN_KNOWLEDGE_SOURCE_KINDS]).toEqual(['github', 'confluence', 'local']);
    for (const kind of ['github', 'confluence', 'local', 'notion', 'google-drive'])
      expect(knowledgeSourceKindSchema.parse(kind)).toBe(kind);
    expect(knowledgeSourceKindSchema.safeParse('Wiki Pages').error?.issues[0]?.message).toBe(
      'expected a knowledge source kind: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. "confluence", "notion")',
    );
  });
});
