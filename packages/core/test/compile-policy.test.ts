import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/kernel/model/duration.js';
import { compareSpecificity, matchesActionGlob } from '../src/services/approvals/policy/action-glob.js';
import { compilePolicy } from '../src/services/approvals/policy/compile-policy.js';

describe('action globs', () => {
  it('match any run of characters, dots included', () => {
    expect(matchesActionGlob('*', 'github.pr.merge')).toBe(true);
    expect(matchesActionGlob('github.*', 'github.pr.merge')).toBe(true);
    expect(matchesActionGlob('*.merge', 'github.pr.merge')).toBe(true);
    expect(matchesActionGlob('github.pr.*', 'github.issue.close')).toBe(false);
    expect(matchesActionGlob('github.pr.merge', 'github.pr.merged')).toBe(false);
    expect(matchesActionGlob('a-b.c', 'a-b.c')).toBe(true);
  });

  it('sort most specific first: more literal characters, then fewer wildcards, then by name', () => {
    expect(['*', 'github.*', 'github.pr.merge', 'github.pr.*', '*.merge', 'x*y*', 'xy*'].sort(compareSpecificity)).toEqual([
      'github.pr.merge',
      'github.pr.*',
      'github.*',
      '*.merge',
      'xy*',
      'x*y*',
      '*',
    ]);
  });
});

describe('parseDuration', () => {
  it('reads a whole number and one unit', () => {
    expect([parseDuration('30s'), parseDuration('30m'), parseDuration('4h'), parseDuration('24h'), parseDuration('7d')]).toEqual([
      30_000, 1_800_000, 14_400_000, 86_400_000, 604_800_000,
    ]);
    expect([parseDuration('0h'), parseDuration('1.5h'), parseDuration('4 h'), parseDuration('4H'), parseDuration('h')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('compilePolicy', () => {
  const policy = compilePolicy({
    actions: {
      '*': { mode: 'ask' },
      'github.*': { mode: 'auto', risk: 'low' },
      'github.pr.*': { mode: 'ask' },
      'github.pr.merge': { mode: 'require_approval', risk: 'high' },
      'slack.*': { risk: 'medium' },
      'jira.issue.delete': { mode: 'deny' },
    },
    approvers: { high: ['team:leads'], default: ['ana'] },
    ttl: { default: '24h', high: '4h', low: '30m' },
  });

  it('takes each field from the most specific key that sets it', () => {
    expect(policy.resolve({ type: 'github.pr.merge', risk: 'low' })).toMatchObject({
      mode: 'require_approval',
      risk: 'high',
      rule: { mode: 'github.pr.merge', risk: 'github.pr.merge' },
    });
    expect(policy.resolve({ type: 'github.pr.label', risk: 'medium' })).toMatchObject({
      mode: 'ask',
      risk: 'low',
      rule: { mode: 'github.pr.*', risk: 'github.*' },
    });
    expect(policy.resolve({ type: 'github.issue.comment', risk: 'medium' })).toMatchObject({ mode: 'auto', risk: 'low' });
    expect(policy.resolve({ type: 'slack.message.post', risk: 'low' })).toMatchObject({
      mode: 'ask',
      risk: 'medium',
      rule: { mode: '*', risk: 'slack.*' },
    });
    expect(policy.resolve({ type: 'jira.issue.delete', risk: 'high' })).toMatchObject({
      mode: 'deny',
      risk: 'high',
      rule: { risk: 'action type default' },
    });
  });

  it('gives approvers and TTL by risk, falling back to default', () => {
    expect(policy.resolve({ type: 'github.pr.merge', risk: 'low' })).toMatchObject({ approvers: ['team:leads'], ttlMs: 4 * 3_600_000 });
    expect(policy.resolve({ type: 'slack.message.post', risk: 'low' })).toMatchObject({ approvers: ['ana'], ttlMs: 24 * 3_600_000 });
    expect(policy.resolve({ type: 'github.pr.label', risk: 'low' })).toMatchObject({ approvers: ['ana'], ttlMs: 30 * 60_000 });
  });

  it('falls back to the built-in defaults for types no key matches', () => {
    const builtin = compilePolicy(undefined);
    const mode = (type: string, readOnly = false) => builtin.resolve({ type, risk: 'medium', readOnly }).mode;
    expect(mode('github.pr.list', true)).toBe('auto');
    expect(mode('github.pr.comment')).toBe('ask');
    expect(mode('slack.message.post')).toBe('ask');
    expect(mode('github.pr.merge')).toBe('require_approval');
    expect(mode('github.pr.close')).toBe('require_approval');
    expect(mode('jira.issue.transition')).toBe('require_approval');
    // A change to the instructions an assistant obeys: the person it proposed for cannot wave it through (finding 4).
    expect(builtin.resolve({ type: 'github.pr.open_file_change', risk: 'high' })).toMatchObject({
      mode: 'require_approval',
      rule: { mode: 'built-in: changes to agent instructions' },
    });
    // Paging, escalating and status-page updates always wait for a person (issue 52).
    for (const type of [
      'pagerduty.incident.page',
      'pagerduty.incident.escalate',
      'pagerduty.incident.resolve',
      'statuspage.incident.create',
      'opsgenie.alert.acknowledge',
      'opsgenie.alert.escalate',
      'opsgenie.alert.create',
    ])
      expect(builtin.resolve({ type, risk: 'high' }), type).toMatchObject({
        mode: 'require_approval',
        rule: { mode: 'built-in: paging, escalations and status pages' },
      });
    expect(builtin.resolve({ type: 'x.y', risk: 'medium' })).toMatchObject({
      approvers: [],
      ttlMs: 24 * 3_600_000,
      rule: { mode: 'built-in: writes' },
    });
    const partial = compilePolicy({ actions: { 'github.*': { mode: 'ask' } } });
    expect(partial.resolve({ type: 'jira.issue.transition', risk: 'medium' }).mode).toBe('require_approval');
    expect(partial.resolve({ type: 'github.pr.merge', risk: 'medium' }).mode).toBe('ask');
  });

  it('hashes the policy version: stable under key order, different for any change', () => {
    const a = compilePolicy({ actions: { '*': { mode: 'ask' }, 'x.y': { mode: 'auto' } } });
    const b = compilePolicy({ actions: { 'x.y': { mode: 'auto' }, '*': { mode: 'ask' } } });
    const c = compilePolicy({ actions: { 'x.y': { mode: 'ask' }, '*': { mode: 'ask' } } });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(compilePolicy(undefined).hash).toBe(compilePolicy({}).hash);
  });
});
