import type { TeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { slackCommandAnswers } from './slack-command-answers.js';

// `ask` is ready for ts.knowledge (built in parallel): it calls ts.knowledge.search(question, { limit }) where the
// facade has it, cites each passage's document, and names who may know when nothing matches.
const query = { argument: 'how do we rotate the API keys?', person: 'ana', user: 'U0ANA' };

function withKnowledge(passages: unknown[], people: { person: string; name?: string }[] = []) {
  const asked: unknown[][] = [];
  const knowledge = {
    search: async (...args: unknown[]) => {
      asked.push(args);
      return passages;
    },
    whoKnows: async () => people,
  };
  return { ts: { knowledge } as unknown as TeamState, asked };
}

describe('slackCommandAnswers: ask', () => {
  it('searches the knowledge with the question and cites every passage', async () => {
    const { ts, asked } = withKnowledge([
      {
        text: 'Run `make rotate-keys`, then redeploy.',
        headingPath: ['Operations', 'Keys'],
        score: 3.2,
        document: {
          title: 'Runbook',
          uri: 'https://github.com/acme/api/blob/main/docs/runbook.md',
          source: 'github',
          updatedAt: '2026-03-01T00:00:00Z',
        },
      },
    ]);
    const answer = await slackCommandAnswers(() => ts).ask!(query);
    expect(asked).toEqual([['how do we rotate the API keys?', { limit: 5 }]]);
    expect(answer).toEqual({
      title: 'What the documents say about "how do we rotate the API keys?"',
      text: 'Runbook › Operations › Keys\nRun `make rotate-keys`, then redeploy.\nSource: https://github.com/acme/api/blob/main/docs/runbook.md',
      more: 'teamstate knowledge search "how do we rotate the API keys?"',
    });
  });

  it('names who may know when nothing matches, and is undefined (not configured) without ts.knowledge', async () => {
    const { ts } = withKnowledge([], [{ person: 'kavya', name: 'Kavya Chen' }]);
    expect(await slackCommandAnswers(() => ts).ask!(query)).toEqual({
      title: 'Nothing in the documents answers "how do we rotate the API keys?"',
      text: 'Who may know: Kavya Chen',
    });
    expect(await slackCommandAnswers(() => ({}) as TeamState).ask!(query)).toBeUndefined();
  });
});
