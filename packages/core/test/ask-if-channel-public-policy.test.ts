import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../src/index.js';
import { compilePolicy } from '../src/services/approvals/policy/compile-policy.js';

// The policy side of ask_if_channel_public: both spellings, the ruling it gives, a bad value named with the fix.
describe('ask_if_channel_public in the policy', () => {
  it("reads seed 001's spelling as mode auto with ask_if_channel_public", () => {
    const document = parsePolicyText('actions:\n  pr.comment.summary:\n    risk: medium\n    mode:\n      ask_if_channel_public: true\n');
    expect(document.actions?.['pr.comment.summary']).toEqual({ risk: 'medium', mode: 'auto', ask_if_channel_public: true });
  });

  it('gives the ruling from the most specific key that sets it', () => {
    const policy = compilePolicy({ actions: { 'slack.*': { ask_if_channel_public: true }, 'slack.message.post': { mode: 'auto' } } });
    expect(policy.resolve({ type: 'slack.message.post', risk: 'medium' })).toMatchObject({
      mode: 'auto',
      askIfChannelPublic: { rule: 'slack.*' },
    });
    expect(
      compilePolicy({ actions: { '*': { mode: 'auto' } } }).resolve({ type: 'slack.message.post', risk: 'medium' }),
    ).not.toHaveProperty('askIfChannelPublic');
  });

  it('names a bad value and the fix', () => {
    expect(() => parsePolicyText('actions:\n  slack.message.post: { mode: auto, ask_if_channel_public: maybe }\n', 'policy.yaml')).toThrow(
      'policy.actions["slack.message.post"].ask_if_channel_public: expected true or false (true: a post to a public channel waits for a person), got "maybe"',
    );
  });
});
