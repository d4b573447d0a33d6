import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_PATHS, knowledgePathMatcher } from '../src/github/knowledge/path-globs.js';

describe('knowledge path globs', () => {
  const matches = knowledgePathMatcher(DEFAULT_KNOWLEDGE_PATHS);

  it('take the default documents: root README and CONTRIBUTING, docs, ADRs and decisions anywhere, runbooks', () => {
    for (const path of [
      'README.md',
      'CONTRIBUTING.md',
      'docs/index.md',
      'docs/runbooks/deploy/rollback.md',
      'adr/0001-use-postgres.md',
      'services/payments/adr/0002-retries.md',
      'architecture/decisions/0003-queues.md',
      'runbooks/paging.md',
      'runbooks/db/failover.markdown',
    ])
      expect(matches(path), path).toBe(true);
  });

  it('leave out everything else, and what is not markdown', () => {
    for (const path of [
      'services/payments/README.md',
      'src/docs/notes.md',
      'docs/logo.png',
      'runbooks/restart.sh',
      'CHANGELOG.md',
      'readme.md.bak',
      'adr.md',
    ])
      expect(matches(path), path).toBe(false);
  });

  it('treat the glob characters only as globs (a dot is a dot)', () => {
    const only = knowledgePathMatcher(['notes/v1.0/*.md', 'a?c.md']);
    expect(only('notes/v1.0/x.md')).toBe(true);
    expect(only('notes/v1x0/x.md')).toBe(false);
    expect(only('abc.md')).toBe(true);
    expect(only('a/c.md')).toBe(false);
  });
});
