import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// `teamstate feedback …` (docs/cli.md#feedback, issue 21) as a subprocess over the demo workspace.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-feedback-'));
const db = join(dir, 'teamstate.db');
const cli = (args: string[]) => runCli(['--db', db, ...args]);

beforeAll(async () => {
  const demo = await demoDatabase(db);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function storedFeedback() {
  const ts = await createTeamState({ database: db });
  try {
    return { feedback: (await ts.export()).aiFeedback, audit: await ts.audit.list({ type: 'feedback.added' }) };
  } finally {
    await ts.close();
  }
}

describe('teamstate feedback add', () => {
  it('records the feedback as --as with every flag, and the OS user on the audit ledger', async () => {
    // The demo has feedback of its own (imported, so not on the ledger): count what this test adds.
    const before = await storedFeedback();
    const added = await cli([
      'feedback',
      'add',
      '--category',
      'missing_tests',
      '--text',
      'Forgot our refund fixtures',
      '--repository',
      'acme/payments-api',
      '--paths',
      'services/payments/refund.ts, services/payments/fixtures/',
      '--pull-request',
      '42',
      '--tool',
      'claude-code',
      '--as',
      'ana-garcia',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const { feedback } = JSON.parse(added.stdout);
    expect(feedback).toEqual({
      id: expect.stringMatching(/^fb_[0-9a-f]{16}$/),
      person: 'ana-garcia',
      category: 'missing_tests',
      tool: 'claude-code',
      text: 'Forgot our refund fixtures',
      pullRequest: 42,
      repository: 'acme/payments-api',
      paths: ['services/payments/refund.ts', 'services/payments/fixtures'],
      createdAt: expect.any(String),
    });
    const plain = await cli(['feedback', 'add', '--category', 'style', '--text', 'Default exports', '--as', 'ben-tanaka']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^Recorded ben-tanaka's feedback \(style, fb_[0-9a-f]{16}\)\.\n$/);
    const { feedback: stored, audit } = await storedFeedback();
    expect(stored).toHaveLength(before.feedback.length + 2);
    expect(stored.filter((f) => !before.feedback.some((b) => b.id === f.id)).map((f) => f.person)).toEqual(['ana-garcia', 'ben-tanaka']);
    expect(audit.slice(before.audit.length).map((entry) => entry.data)).toEqual([
      { person: 'ana-garcia', feedback: feedback.id, category: 'missing_tests', submittedBy: expect.any(String) },
      { person: 'ben-tanaka', feedback: expect.stringMatching(/^fb_/), category: 'style', submittedBy: expect.any(String) },
    ]);
  });

  it.each([
    [
      ['--category', 'wrng_code', '--text', 'x', '--as', 'ana-garcia'],
      /category: unknown category "wrng_code" \(did you mean "wrong_code"\?\)/,
    ],
    [['--category', 'style', '--text', ' ', '--as', 'ana-garcia'], /text: must not be empty/],
    [['--category', 'style', '--text', 'x', '--as', 'ana-garcia', '--repository', 'acme/nope'], /repository: "acme\/nope" is not tracked/],
    [
      ['--category', 'style', '--text', 'x', '--as', 'ana-garcia', '--repository', 'acme/ledger', '--paths', 'src/a.ts,../b.ts'],
      /paths\[1\]: "\.\.\/b\.ts" leaves the repository/,
    ],
    [
      ['--category', 'style', '--text', 'x', '--as', 'ana-garcia', '--repository', 'acme/ledger', '--pull-request', 'abc'],
      /--pull-request: expected a pull request number such as 42, got "abc"/,
    ],
    [['--category', 'style', '--text', 'x'], /--as: who reports this\?/],
    [
      ['--category', 'style', '--text', 'x', '--as', 'ana-garcia', '--now', '2026-01-01T00:00:00Z'],
      /--now: feedback add records what happens at the real time/,
    ],
  ])('refuses %j with one message naming the flag or field, and writes nothing', async (args, message) => {
    const before = (await storedFeedback()).feedback.length;
    const refused = await cli(['feedback', 'add', ...args]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(message);
    expect(refused.stdout).toBe('');
    expect((await storedFeedback()).feedback).toHaveLength(before);
  });
});

describe('teamstate feedback patterns', () => {
  it('prints the patterns as JSON { patterns } and as a table with the text made safe', async () => {
    const ESC = String.fromCharCode(27);
    const add = (text: string, paths: string) =>
      cli([
        'feedback',
        'add',
        '--category',
        'missing_tests',
        '--text',
        text,
        '--repository',
        'acme/ledger',
        '--paths',
        paths,
        '--as',
        'ana-garcia',
      ]);
    expect((await add('No ledger fixtures', 'services/ledger/post.ts')).code).toBe(0);
    expect((await add(`Forgot tests${ESC}[2J again`, 'services/ledger/sync/run.ts')).code).toBe(0);
    const json = await cli(['feedback', 'patterns', '--repository', 'acme/ledger', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(Object.keys(document)).toEqual(['patterns']);
    // The demo's own pattern on acme/ledger is missed context; the two added here make a missing-tests one.
    const patterns = document.patterns.filter((p: { category: string }) => p.category === 'missing_tests');
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ category: 'missing_tests', pathPattern: 'services/ledger/**', language: 'TypeScript', count: 2 });
    expect(patterns[0].examples).toHaveLength(2);
    const table = await cli(['feedback', 'patterns', '--repository', 'acme/ledger']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Count\s+Category\s+Repository\s+Path\s+Language\s+Trend\s+Latest example/);
    expect(table.stdout).toMatch(/2\s+missing_tests\s+acme\/ledger\s+services\/ledger\/\*\*\s+TypeScript/);
    expect(table.stdout).not.toContain(ESC);
    const none = await cli(['feedback', 'patterns', '--repository', 'acme/web-app', '--from', '2020-01-01', '--to', '2020-02-01']);
    expect(none.stdout).toBe('No AI feedback in this window.\n');
    const bad = await cli(['feedback', 'patterns', '--repository', 'acme/nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/repository: "acme\/nope" is not tracked/);
  });
});
