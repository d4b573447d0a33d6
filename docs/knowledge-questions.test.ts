import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoHandbook } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { markdownFiles, ROOT } from './runnable-blocks.js';

/**
 * A question the docs ask of the demo workspace's handbook, and the first passage they print for it: a block such as
 *
 *     $ teamstate knowledge search "how do I undo a bad release in prod?"
 *     1. <title> › <heading path, wrapped at the terminal's width
 *        onto indented lines>
 *        <uri> (updated …, score …)
 */
interface DocumentedAnswer {
  file: string;
  question: string;
  first: string;
  uri: string;
}

function documentedAnswers(): DocumentedAnswer[] {
  return markdownFiles().flatMap((file) =>
    [
      ...readFileSync(join(ROOT, file), 'utf8').matchAll(
        /^\$ teamstate knowledge search "([^"]+)"[^\n]*\n1\. ((?:[^\n]+\n {3}(?!\S+ \(updated ))*[^\n]+)\n {3}(\S+) \(updated [^\n]*\)$/gm,
      ),
    ].map(([, question, first, uri]) => ({ file, question: question!, first: first!.replaceAll('\n   ', ' '), uri: uri! })),
  );
}

describe("the docs' knowledge questions, asked of the demo handbook", () => {
  const answers = documentedAnswers();

  it('are found in the docs (the getting-started tour, knowledge.md and cli.md ask them)', () => {
    expect([...new Set(answers.map((a) => a.file))]).toEqual(
      expect.arrayContaining(['docs/cli.md', 'docs/getting-started.md', 'docs/knowledge.md']),
    );
    expect(new Set(answers.map((a) => a.question)).size).toBeGreaterThanOrEqual(3);
  });

  it('each return the passage the docs print first', async () => {
    const ts = await createTeamState({ database: ':memory:', knowledge: { sources: [demoHandbook()] } });
    try {
      await ts.knowledge.sync();
      for (const answer of answers) {
        const [best] = await ts.knowledge.search(answer.question);
        // As `teamstate knowledge search` prints it: the document's title, then the heading path.
        const first = [best!.document.title, ...best!.headingPath].join(' › ');
        expect({ first, uri: best!.document.uri }, `${answer.file}: "${answer.question}"`).toEqual({
          first: answer.first,
          uri: answer.uri,
        });
      }
    } finally {
      await ts.close();
    }
  });
});
