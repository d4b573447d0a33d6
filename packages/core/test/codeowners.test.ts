import { describe, expect, it } from 'vitest';
import { codeownersRuleFor, parseCodeowners } from '../src/features/knowledge/codeowners.js';

// The examples of GitHub's CODEOWNERS documentation, and the last-match-wins rule.
const file = `# Global owners
*       @acme/platform

# Order matters: the last matching pattern takes precedence.
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/github
\\#notes.md @hash-owner
!negated.md @nobody
[Section] @gitlab
`;

describe('CODEOWNERS', () => {
  const rules = parseCodeowners(file);

  it('reads rules with their line, pattern and owners, skipping comments and what GitHub does not support', () => {
    expect(rules[0]).toEqual({ line: 2, pattern: '*', owners: ['@acme/platform'] });
    expect(rules[1]).toEqual({ line: 5, pattern: '*.js', owners: ['@js-owner'] });
    expect(rules.find((rule) => rule.pattern === '/apps/github')?.owners).toEqual([]);
    expect(rules.map((rule) => rule.pattern)).not.toContain('!negated.md');
    expect(rules.map((rule) => rule.pattern)).not.toContain('[Section]');
  });

  it('gives a path the owners of the last matching rule', () => {
    const owners = (path: string) => codeownersRuleFor(rules, path)?.owners;
    expect(owners('README.md')).toEqual(['@acme/platform']);
    expect(owners('src/app.js')).toEqual(['@js-owner']);
    expect(owners('docs/getting-started.md')).toEqual(['@doctocat']);
    expect(owners('build/logs/today.log')).toEqual(['@octocat']);
    expect(owners('scripts/deploy.sh')).toEqual(['@doctocat', '@octocat']);
    expect(owners('deep/apps/thing.md')).toEqual(['@octocat']);
    // A rule without owners takes the path away from the earlier ones.
    expect(owners('apps/github/readme.md')).toEqual([]);
    expect(owners('#notes.md')).toEqual(['@hash-owner']);
    expect(codeownersRuleFor(rules, 'src/app.js')?.line).toBe(5);
  });

  it('matches `docs/*` one level deep only (a later rule aside)', () => {
    const only = parseCodeowners('docs/* @docs-team');
    expect(codeownersRuleFor(only, 'docs/getting-started.md')?.owners).toEqual(['@docs-team']);
    expect(codeownersRuleFor(only, 'docs/build-app/troubleshooting.md')).toBeUndefined();
  });

  it('owns nothing when nothing matches', () => {
    expect(codeownersRuleFor(parseCodeowners('/src/ @alice'), 'docs/a.md')).toBeUndefined();
  });
});
