import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AiDetectionInput, createAiDetector, detectAi, trailersOf } from '../src/features/ai/detect-ai.js';
import type { AiAssessment } from '../src/kernel/model/ai.js';

interface Case {
  name: string;
  input: AiDetectionInput;
  expected: { assisted: true | null; tools: string[]; evidence?: AiAssessment['evidence'] };
}
const { cases } = JSON.parse(readFileSync(new URL('./__fixtures__/ai-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('detectAi (built-in lists) on real trailers, bot logins, labels, footers and their look-alikes', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, { input, expected }) => {
    const result = detectAi(input);
    expect({ assisted: result.assisted, tools: result.tools }).toEqual({ assisted: expected.assisted, tools: expected.tools });
    if (expected.evidence) expect(result.evidence).toEqual(expected.evidence);
    // No evidence is never "not assisted": only a survey answer says false.
    if (result.assisted === null) expect(result.evidence).toEqual([]);
    else expect(result.evidence.length).toBeGreaterThan(0);
  });

  it('covers every look-alike the issue names', () => {
    const names = cases.map((c) => c.name);
    for (const needle of ['Claude as co-author', 'dependabot', 'renovate', 'prose that mentions tools', 'middle of a message'])
      expect(names.some((name) => name.includes(needle))).toBe(true);
  });

  it('reads trailers only in the block that ends the message, as git does', () => {
    expect(trailersOf('Subject\n\nBody text.\n\nCo-authored-by: A <a@example.org>\nSigned-off-by: B <b@example.org>')).toEqual([
      { key: 'Co-authored-by', value: 'A <a@example.org>' },
      { key: 'Signed-off-by', value: 'B <b@example.org>' },
    ]);
    // A folded (continued) trailer value.
    expect(trailersOf('S\n\nAssisted-by: Claude\n  Code')).toEqual([{ key: 'Assisted-by', value: 'Claude Code' }]);
    // A paragraph mixing prose and trailers: only the trailer lines that end the message count.
    expect(trailersOf('S\n\n🤖 Generated with Amazon Q Developer\nCo-Authored-By: Q <a@example.org>')).toEqual([
      { key: 'Co-Authored-By', value: 'Q <a@example.org>' },
    ]);
    expect(trailersOf('S\n\nCo-authored-by: A <a@example.org>\nis how we used to credit people')).toEqual([]);
    expect(trailersOf('S\n\nCo-authored-by: A <a@example.org>\nSigned-off-by: B <b@example.org>\n(some note)')).toHaveLength(2);
    expect(trailersOf('Only a subject')).toEqual([]);
    expect(trailersOf('S\r\n\r\nCo-authored-by: A <a@example.org>\r\n')).toEqual([{ key: 'Co-authored-by', value: 'A <a@example.org>' }]);
  });

  it('keeps one evidence entry per distinct value, across many commits', () => {
    const message = 'Step\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
    const result = detectAi({ commits: Array.from({ length: 50 }, () => ({ message })) });
    expect(result.evidence).toEqual([{ kind: 'trailer', value: 'Co-Authored-By: Claude <noreply@anthropic.com>' }]);
  });

  it('names every tool the evidence names, in the order found', () => {
    const result = detectAi({
      author: { login: 'devin-ai-integration[bot]', type: 'Bot' },
      commits: [{ message: 'x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>' }],
      labels: ['ai-assisted'],
    });
    expect(result).toEqual({
      assisted: true,
      tools: ['devin', 'cursor'],
      evidence: [
        { kind: 'author', value: 'devin-ai-integration[bot]' },
        { kind: 'trailer', value: 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>' },
        { kind: 'label', value: 'ai-assisted' },
      ],
    });
  });
});

describe('createAiDetector (config `ai:` extends the lists)', () => {
  const detector = createAiDetector({
    coAuthors: [
      { email: 'agent@acme.example', tool: 'Acme-Agent' },
      { email: '*@bots.acme.example', tool: 'acme-agent' },
    ],
    bots: [{ login: 'acme-agent[bot]', tool: 'acme-agent' }],
    labels: ['llm-generated', { name: 'made-by-acme', tool: 'acme-agent' }],
    bodyMarkers: [{ text: 'Drafted by Acme Agent', tool: 'acme-agent' }],
    tools: { 'acme-agent': ['acme', 'acme agent'] },
  });

  it('adds co-author emails (exact and by domain), bots, labels, body markers and tool names', () => {
    expect(detector.detect({ commits: [{ message: 'x\n\nCo-authored-by: Acme <agent@acme.example>' }] }).tools).toEqual(['acme-agent']);
    expect(detector.detect({ commits: [{ message: 'x\n\nCo-authored-by: Acme <run-7@bots.acme.example>' }] }).tools).toEqual([
      'acme-agent',
    ]);
    expect(detector.detect({ author: { login: 'acme-agent', type: 'Bot' } }).tools).toEqual(['acme-agent']);
    expect(detector.detect({ labels: ['LLM-generated'] })).toEqual({
      assisted: true,
      tools: [],
      evidence: [{ kind: 'label', value: 'LLM-generated' }],
    });
    expect(detector.detect({ labels: ['made-by-acme'] }).tools).toEqual(['acme-agent']);
    expect(detector.detect({ body: 'Summary\n\n_Drafted by Acme Agent, reviewed by Ana_' }).tools).toEqual(['acme-agent']);
    expect(detector.detect({ commits: [{ message: 'x\n\nAssisted-by: Acme Agent v3' }] }).tools).toEqual(['acme-agent']);
    expect(detector.detect({ labels: ['ai-acme'] }).tools).toEqual(['acme-agent']);
  });

  it('keeps the built-in lists and still ignores look-alikes', () => {
    expect(detector.detect({ commits: [{ message: 'x\n\nCo-authored-by: Claude <noreply@anthropic.com>' }] }).tools).toEqual(['claude']);
    expect(detector.detect({ author: { login: 'acme-agent', type: 'User' } }).assisted).toBeNull();
    expect(detector.detect({ body: 'We never use Acme Agent. Drafted by Acme Agent is our footer.' }).assisted).toBeNull();
  });

  it('refuses a config entry that is not usable, naming the field', () => {
    expect(() => createAiDetector({ coAuthors: [{ email: 'not an email', tool: 'x' }] })).toThrow(/expected an email/);
    expect(() => createAiDetector({ bodyMarkers: [{ text: 'ab', tool: 'x' }] })).toThrow(/at least 3 characters/);
  });
});
