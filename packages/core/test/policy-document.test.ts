import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/kernel/errors.js';
import { compilePolicy } from '../src/services/approvals/policy/compile-policy.js';
import { parsePolicy, parsePolicyText } from '../src/services/approvals/policy/policy-document.js';

function problems(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_policy');
    return (error as ValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('accepts a policy of actions, approvers, ttl and limits (docs/approvals.md)', () => {
    const text = `
actions:
  github.pr.merge:     { risk: high,   mode: require_approval }
  github.pr.label:     { risk: low,    mode: auto }
  slack.message.post:  { risk: medium, mode: ask }
  "*":                 { mode: ask }
approvers:
  high: [team:leads]
  medium: [team:leads, team:payments]
ttl: { default: 24h, high: 4h }
limits: { max_channel_size_auto_post: 10 }
`;
    expect(parsePolicyText(text, 'policy.yaml')).toEqual({
      actions: {
        'github.pr.merge': { risk: 'high', mode: 'require_approval' },
        'github.pr.label': { risk: 'low', mode: 'auto' },
        'slack.message.post': { risk: 'medium', mode: 'ask' },
        '*': { mode: 'ask' },
      },
      approvers: { high: ['team:leads'], medium: ['team:leads', 'team:payments'] },
      ttl: { default: '24h', high: '4h' },
      limits: { max_channel_size_auto_post: 10 },
    });
  });

  it('accepts JSON text and treats an empty document as the empty policy', () => {
    expect(parsePolicyText('{"actions": {"*": {"mode": "deny"}}}')).toEqual({ actions: { '*': { mode: 'deny' } } });
    expect(parsePolicyText('')).toEqual({});
  });

  it('names the field and the allowed values of a bad mode or risk', () => {
    expect(problems({ actions: { 'github.pr.merge': { mode: 'yes', risk: 'extreme' } } })).toEqual([
      'policy.actions["github.pr.merge"].mode: expected one of auto|ask|require_approval|deny, got "yes"',
      'policy.actions["github.pr.merge"].risk: expected one of low|medium|high, got "extreme"',
    ]);
  });

  it('suggests the key a typo meant', () => {
    expect(problems({ actons: {}, approvers: { hihg: [] }, actions: { '*': { mdoe: 'ask' } } })).toEqual([
      'policy.actions["*"].mdoe: unknown key (did you mean "mode"?)',
      'policy.approvers.hihg: unknown key (did you mean "high"?)',
      'policy.actons: unknown key (did you mean "actions"?)',
    ]);
  });

  it('checks durations, approvers, globs, limits and empty rules, listing every problem', () => {
    expect(
      problems({
        actions: { 'a b': { mode: 'auto' }, 'github.*': {} },
        approvers: { high: ['team: leads', 7] },
        ttl: { high: '4 hours', low: 30 },
        limits: { max: 'ten' },
      }),
    ).toEqual([
      'policy.actions["github.*"]: set mode, risk or both',
      'policy.actions["a b"]: not an action type or glob (letters, digits, "_", "-", "." and "*" only)',
      'policy.approvers.high[0]: expected a person id or team:<id>, got "team: leads"',
      'policy.approvers.high[1]: expected a person id or team:<id>, got 7',
      'policy.ttl.low: expected a duration such as 30m, 4h or 24h, got 30',
      'policy.ttl.high: expected a duration such as 30m, 4h or 24h (a whole number and s, m, h or d), got "4 hours"',
      'policy.limits.max: expected a number, got "ten"',
    ]);
  });

  it('takes limits.pii_redaction: off, standard or strict (default standard), next to the numeric limits', () => {
    const policy = compilePolicy({ limits: { pii_redaction: 'strict', max_channel_size_auto_post: 10 } });
    expect(policy.piiRedaction).toBe('strict');
    // Executors compare numbers only: the named setting is not one of them.
    expect(policy.limits).toEqual({ max_channel_size_auto_post: 10 });
    expect(compilePolicy({ limits: { max_channel_size_auto_post: 10 } }).piiRedaction).toBe('standard');
    expect(compilePolicy(undefined).piiRedaction).toBe('standard');
    expect(problems({ limits: { pii_redaction: 'strong' } })).toEqual([
      'policy.limits.pii_redaction: expected one of off|standard|strict, got "strong"',
    ]);
  });

  it('takes privacy.wellbeing: team, leads or person, and names anything else', () => {
    expect(parsePolicy({ privacy: { wellbeing: 'team' } }).privacy).toEqual({ wellbeing: 'team' });
    expect(problems({ privacy: { wellbeing: 'managers' } })).toEqual([
      'policy.privacy.wellbeing: expected one of team|leads|person, got "managers"',
    ]);
    expect(problems({ privacy: { wellness: 'team' } })).toEqual(['policy.privacy.wellness: unknown key (allowed: reports, wellbeing)']);
  });

  it('takes reminders.reports (teams opted in, a local time, the days) and names what is wrong', () => {
    expect(parsePolicy({ reminders: { reports: { teams: ['payments'], at: '16:30' } } }).reminders).toEqual({
      reports: { teams: ['payments'], at: '16:30' },
    });
    expect(parsePolicy({ reminders: { reports: { teams: ['a'], at: '09:05', days: ['mon', 'sun'] } } }).reminders?.reports?.days).toEqual([
      'mon',
      'sun',
    ]);
    expect(problems({ reminders: { reports: { teams: [], at: '25:00', days: ['monday'] } } })).toEqual([
      'policy.reminders.reports.teams: list at least one team id whose members get reminders (reminders are opt-in per team)',
      'policy.reminders.reports.at: expected a local time as HH:MM (24-hour), e.g. "16:30", got "25:00"',
      'policy.reminders.reports.days[0]: expected one of mon|tue|wed|thu|fri|sat|sun, got "monday"',
    ]);
    expect(problems({ reminders: { report: {} } })).toEqual(['policy.reminders.report: unknown key (did you mean "reports"?)']);
  });

  it('refuses a document that is not a mapping, and text that is not YAML', () => {
    expect(problems(['ask'])).toEqual([
      'policy: expected a mapping with actions, approvers, ttl, limits, privacy, reminders and agreements, got ["ask"]',
    ]);
    expect(() => parsePolicyText('actions: [unclosed', 'team-policy.yaml')).toThrow(
      /^team-policy\.yaml has 1 problem:\n {2}policy: is not valid YAML or JSON/,
    );
  });
});
