import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `docs/runnable-blocks.ts`). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const require = createRequire(join(ROOT, 'package.json'));
// TypeScript 7's compiler, as `pnpm typecheck` uses (typescript-7, a root dev dependency).
const TSC = join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc');

/**
 * A fenced code block whose info string is `ts runnable` (type-checked and run) or
 * `ts runnable typecheck` (type-checked only: it needs credentials, the network, or serves until stopped).
 */
export interface RunnableBlock {
  /** The Markdown file, relative to the repository root with `/` separators, e.g. `docs/concepts.md`. */
  file: string;
  /** 1-based line, in `file`, of the block's first line of code. */
  line: number;
  code: string;
  mode: 'run' | 'typecheck';
}

/** A block that failed: `where` is `file:line[:column]` in the Markdown file. */
export interface BlockProblem {
  where: string;
  message: string;
}

const FENCE = /^( *)(`{3,})(.*)$/;
const LANGUAGES = new Set(['ts', 'typescript']);
const FLAGS = new Set(['runnable', 'typecheck']);

/**
 * The runnable blocks of one Markdown text. A block's content is de-indented by its fence's indentation
 * (fences inside list items). An info string with `runnable` and an unknown word, or `typecheck` without
 * `runnable`, is an error naming the line, so a typo cannot silently turn a check off.
 */
export function extractBlocks(file: string, text: string): RunnableBlock[] {
  const lines = text.split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, ticks, info] = open as unknown as [string, string, string, string];
    const closing = new RegExp(`^ {0,${indent.length + 3}}\`{${ticks.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    const words = info.trim().split(/\s+/).filter(Boolean);
    const [language, ...flags] = words;
    const marked = flags.includes('runnable') || flags.includes('typecheck');
    if (language && LANGUAGES.has(language) && marked) {
      const unknown = flags.filter((flag) => !FLAGS.has(flag));
      if (unknown.length > 0 || !flags.includes('runnable')) {
        throw new Error(
          `${file}:${i + 1}: unknown code block info string "${info.trim()}" (use \`ts runnable\` or \`ts runnable typecheck\`)`,
        );
      }
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n');
      blocks.push({ file, line: i + 2, code: `${code}\n`, mode: flags.includes('typecheck') ? 'typecheck' : 'run' });
    }
    i = end;
  }
  return blocks;
}

/** The Markdown files whose blocks are checked: `README.md`, `packages/*\/README.md` and `docs/**\/*.md`. */
export function markdownFiles(root: string = ROOT): string[] {
  const files = ['README.md'];
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (entry.isDirectory() && readdirSync(join(root, 'packages', entry.name)).includes('README.md')) {
      files.push(`packages/${entry.name}/README.md`);
    }
  }
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

/** Every runnable block of the repository's documentation. */
export function collectBlocks(root: string = ROOT): RunnableBlock[] {
  return markdownFiles(root).flatMap((file) => extractBlocks(file, readFileSync(join(root, file), 'utf8')));
}

/** Where each block was written, and the way back from a written file's line to the Markdown. */
export interface WrittenBlocks {
  folder: string;
  paths: Map<RunnableBlock, string>;
  /** `file:line[:column]` in the Markdown for a line (and column) of a written block file, or undefined. */
  locate(path: string, line: number, column?: number): string | undefined;
}

/**
 * Writes each block to `<folder>/blocks/<n>.ts` and a `tsconfig.json` that checks them as ES modules
 * with the repository's strict settings. The folder must be inside `docs/` so that `@teamstate/*` and
 * `zod` resolve through `docs/node_modules`, as they would in an app that installed the packages.
 */
export function writeBlocks(blocks: readonly RunnableBlock[], folder: string): WrittenBlocks {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, 'blocks'), { recursive: true });
  const paths = new Map<RunnableBlock, string>();
  const byPath = new Map<string, RunnableBlock>();
  blocks.forEach((block, index) => {
    const path = join(folder, 'blocks', `${String(index + 1).padStart(3, '0')}.ts`);
    writeFileSync(path, block.code);
    paths.set(block, path);
    byPath.set(path, block);
  });
  const base = relative(folder, join(ROOT, 'tsconfig.base.json')).split(sep).join('/');
  writeFileSync(
    join(folder, 'tsconfig.json'),
    `${JSON.stringify(
      {
        extends: base,
        compilerOptions: { noEmit: true, moduleDetection: 'force', declaration: false, sourceMap: false },
        include: ['blocks/*.ts'],
      },
      null,
      2,
    )}\n`,
  );
  return {
    folder,
    paths,
    locate(path, line, column) {
      const block = byPath.get(path);
      if (!block) return undefined;
      return `${block.file}:${block.line + line - 1}${column === undefined ? '' : `:${column}`}`;
    },
  };
}

function exec(file: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
    for (const name of Object.keys(env)) if (name.startsWith('TEAMSTATE_')) delete env[name];
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024, env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed after ${options.timeoutMs} ms)` : stderr });
      },
    );
  });
}

/** Type-checks every written block with one `tsc --noEmit -p` run; each error names the Markdown file and line. */
export async function typecheckBlocks(written: WrittenBlocks): Promise<BlockProblem[]> {
  const result = await exec(TSC, ['--noEmit', '--pretty', 'false', '-p', join(written.folder, 'tsconfig.json')], {
    cwd: written.folder,
    timeoutMs: 120_000,
  });
  if (result.code === 0) return [];
  const problems: BlockProblem[] = [];
  for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const where = match && written.locate(join(written.folder, match[1]!), Number(match[2]), Number(match[3]));
    if (where) problems.push({ where, message: match[4]! });
    else if (problems.length > 0 && /^\s/.test(line)) problems.at(-1)!.message += `\n${line}`;
    else problems.push({ where: 'tsc', message: line });
  }
  return problems;
}

// Working folders of blocks still running when the test process ends (a timed-out test does not reach `finally`).
const running = new Set<string>();
process.on('exit', () => {
  for (const cwd of running) rmSync(cwd, { recursive: true, force: true });
});

/**
 * Runs one written block with Node.js, which strips its types, in a fresh temporary working folder (a block that opens
 * `file:.teamstate/teamstate.db` leaves nothing in the repository). A non-zero exit is a problem naming
 * the block's Markdown file and line; stack frames in the block are rewritten to Markdown lines.
 */
export async function runBlock(written: WrittenBlocks, block: RunnableBlock, timeoutMs = 60_000): Promise<BlockProblem | undefined> {
  const path = written.paths.get(block)!;
  const cwd = mkdtempSync(join(tmpdir(), 'teamstate-block-'));
  running.add(cwd);
  try {
    // The block's own temporary folders (os.tmpdir()) go inside its working folder, removed with it.
    const result = await exec(path, [], { cwd, timeoutMs, env: { TMPDIR: cwd } });
    if (result.code === 0) return undefined;
    const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const stderr = result.stderr
      .replace(
        new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`, 'g'),
        (_, line: string, column: string) => written.locate(path, Number(line), Number(column))!,
      )
      .trim()
      .split('\n')
      .slice(0, 20)
      .join('\n');
    return { where: `${block.file}:${block.line}`, message: `the block exited with code ${result.code}\n${stderr}` };
  } finally {
    running.delete(cwd);
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Runs blocks a few at a time and returns the problems in block order. */
export async function runBlocks(written: WrittenBlocks, blocks: readonly RunnableBlock[], concurrency = 4): Promise<BlockProblem[]> {
  const results: (BlockProblem | undefined)[] = new Array(blocks.length);
  let next = 0;
  const worker = async () => {
    while (next < blocks.length) {
      const index = next++;
      results[index] = await runBlock(written, blocks[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, blocks.length) }, worker));
  return results.filter((problem): problem is BlockProblem => problem !== undefined);
}

/** One readable report: `file:line: message` per problem. */
export function formatProblems(problems: readonly BlockProblem[]): string {
  return problems.map((problem) => `${problem.where}: ${problem.message}`).join('\n');
}

/** The folder inside `docs/` where blocks are written (ignored by git). */
export const RUNNABLE_FOLDER = join(ROOT, 'docs', '.runnable');
