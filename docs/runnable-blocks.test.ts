import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collectBlocks,
  extractBlocks,
  formatProblems,
  RUNNABLE_FOLDER,
  runBlocks,
  typecheckBlocks,
  type WrittenBlocks,
  writeBlocks,
} from './runnable-blocks.js';

// Every ```ts runnable block of README.md, packages/*/README.md and docs/**/*.md is type-checked against
// the built packages (as an app that installed them sees them), and every block not marked `typecheck`
// is run. Build first (`pnpm build`), as for the other tests that use dist.
describe('runnable code blocks in the docs', () => {
  const blocks = collectBlocks();
  let written: WrittenBlocks;
  beforeAll(() => {
    written = writeBlocks(blocks, join(RUNNABLE_FOLDER, 'docs'));
  });

  it('exist where the docs promise them, so the check cannot silently check nothing', () => {
    const count = (file: string, mode?: 'run' | 'typecheck') =>
      blocks.filter((block) => block.file === file && (mode === undefined || block.mode === mode)).length;
    const missing = [
      'README.md',
      'packages/core/README.md',
      'packages/connectors/README.md',
      'packages/metrics/README.md',
      'packages/mcp-server/README.md',
      'packages/cli/README.md',
      'docs/concepts.md',
    ].filter((file) => count(file) === 0);
    expect(missing, 'files without a ```ts runnable block').toEqual([]);
    const notRun = ['docs/getting-started.md', 'docs/extending.md', 'docs/concepts.md'].filter((file) => count(file, 'run') === 0);
    expect(notRun, 'files without a block that runs').toEqual([]);
    expect(blocks.length).toBeGreaterThanOrEqual(15);
  });

  it('type-check', async () => {
    expect(formatProblems(await typecheckBlocks(written))).toBe('');
  });

  it('run (those not marked typecheck) and exit 0', async () => {
    const runnable = blocks.filter((block) => block.mode === 'run');
    expect(formatProblems(await runBlocks(written, runnable))).toBe('');
  });
});

describe('the runnable-block checker', () => {
  const markdown = [
    '# Broken', // 1
    '', // 2
    '```ts runnable', // 3
    "const answer: number = 'forty-two';", // 4
    'console.log(answer);', // 5
    '```', // 6
    '', // 7
    '- a list item:', // 8
    '', // 9
    '  ```ts runnable', // 10
    '  const list: string[] = [];', // 11
    "  if (list.length === 0) throw new Error('nothing in the list');", // 12
    '  ```', // 13
    '', // 14
    '```ts', // 15
    'not checked: no runnable flag', // 16
    '```', // 17
  ].join('\n');

  it('extracts marked blocks only, de-indented, with the line of their first line of code', () => {
    const blocks = extractBlocks('docs/broken.md', markdown);
    expect(blocks.map(({ line, mode }) => ({ line, mode }))).toEqual([
      { line: 4, mode: 'run' },
      { line: 11, mode: 'run' },
    ]);
    expect(blocks[1]!.code).toBe("const list: string[] = [];\nif (list.length === 0) throw new Error('nothing in the list');\n");
    expect(extractBlocks('x.md', '```ts runnable typecheck\nlet a = 1;\n```\n')[0]!.mode).toBe('typecheck');
  });

  it('refuses a misspelt info string, naming the file and line', () => {
    expect(() => extractBlocks('docs/typo.md', 'text\n\n```ts runable\n1;\n```\n')).not.toThrow();
    expect(() => extractBlocks('docs/typo.md', 'text\n\n```ts runnable typechek\n1;\n```\n')).toThrow(
      /^docs\/typo\.md:3: unknown code block info string "ts runnable typechek"/,
    );
  });

  it('rejects a block with a type error, naming the Markdown file and line', async () => {
    const blocks = extractBlocks('docs/broken.md', markdown);
    const written = writeBlocks(blocks, join(RUNNABLE_FOLDER, 'negative-typecheck'));
    const problems = await typecheckBlocks(written);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toBe('docs/broken.md:4:7');
    expect(problems[0]!.message).toMatch(/^error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it('rejects a block that fails when run, naming the Markdown file and line', async () => {
    const blocks = extractBlocks('docs/broken.md', markdown);
    const written = writeBlocks(blocks, join(RUNNABLE_FOLDER, 'negative-run'));
    const problems = await runBlocks(written, blocks);
    expect(problems.map((problem) => problem.where)).toEqual(['docs/broken.md:11']);
    expect(problems[0]!.message).toContain('nothing in the list');
    expect(problems[0]!.message).toContain('docs/broken.md:12:');
  });

  it('removes what a block puts in the temporary folder, with its working folder', async () => {
    const probe = mkdtempSync(join(tmpdir(), 'teamstate-blocks-probe-'));
    try {
      const markdown = [
        '```ts runnable',
        "import { mkdtempSync, writeFileSync } from 'node:fs';",
        "import { tmpdir } from 'node:os';",
        "import { join } from 'node:path';",
        "const made = mkdtempSync(join(tmpdir(), 'teamstate-archive-'));",
        "writeFileSync(join(made, 'manifest.json'), '{}');",
        `writeFileSync(${JSON.stringify(join(probe, 'made'))}, made);`,
        '```',
      ].join('\n');
      const blocks = extractBlocks('docs/temp.md', markdown);
      const written = writeBlocks(blocks, join(RUNNABLE_FOLDER, 'temp-folder'));
      expect(await runBlocks(written, blocks)).toEqual([]);
      const made = readFileSync(join(probe, 'made'), 'utf8');
      expect(made).toMatch(/teamstate-archive-/);
      expect(existsSync(made)).toBe(false);
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  });
});
