import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, ROOT } from './runnable-blocks.js';

// The docs as a reader meets them: every page reachable from README.md, pages small enough to read, lines that fit,
// no project-internal jargon or measurement diaries, and every YAML and shell block copyable as it stands.

/** The part of the `yaml` package's API this file uses. */
type ParseAllDocuments = (text: string, options: { uniqueKeys: boolean }) => Array<{ errors: Array<{ message: string }> }>;

// `yaml` is a dependency of @teamstate/core; resolving it from there keeps the docs package's dependencies as they are.
const { parseAllDocuments } = createRequire(join(ROOT, 'packages/core/package.json'))('yaml') as {
  parseAllDocuments: ParseAllDocuments;
};

const MAX_PAGE_BYTES = 60 * 1024;
const MAX_LINE = 400;

/** A fenced code block: its info string's first word, its content (de-indented) and the line of its fence. */
interface Block {
  language: string;
  code: string;
  line: number;
}

/** The fenced code blocks of a Markdown text, in order. */
export function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const fence = open[2]!;
    const closing = new RegExp(`^ {0,${indent.length + 3}}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    const code = lines
      .slice(i + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
      .join('\n');
    blocks.push({ language: open[3]!.toLowerCase(), code, line: i + 1 });
    i = end;
  }
  return blocks;
}

/** Markdown without its fenced blocks and inline code, so that links in examples are not followed. */
function withoutCode(text: string): string {
  return text.replace(/^( *)(`{3,})[^\n]*\n[\s\S]*?\n\1\2\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The repository files a Markdown file links to (relative links; a folder stands for its README.md). */
function linkedFiles(file: string): string[] {
  const text = withoutCode(readFileSync(join(ROOT, file), 'utf8'));
  const found: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/gm)) {
    if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    let resolved = relative(ROOT, join(ROOT, dirname(file), decodeURIComponent(target.split('#')[0]!)));
    if (existsSync(join(ROOT, resolved)) && statSync(join(ROOT, resolved)).isDirectory()) resolved = join(resolved, 'README.md');
    if (resolved.endsWith('.md') && existsSync(join(ROOT, resolved))) found.push(resolved.split('\\').join('/'));
  }
  return found;
}

/** Every Markdown file reachable from `start` by relative links, transitively. */
export function reachableFrom(start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of linkedFiles(queue.shift()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * The problems of one YAML block: parse errors, duplicate keys included. `${NAME}` references are swapped for plain
 * scalars first, as the config loader does (they are not valid YAML inside a flow map).
 */
export function yamlProblems(code: string): string[] {
  const text = code.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '__TSENV_$1_TSENV__');
  return parseAllDocuments(text, { uniqueKeys: true }).flatMap((document) => document.errors.map((error) => error.message.split('\n')[0]!));
}

const SHELL = new Set(['sh', 'bash', 'shell', 'zsh']);

/** The syntax errors `bash -n` finds in a shell block, or '' (placeholders such as `<file>` are quoted first). */
export function shellProblems(code: string): string {
  const run = spawnSync('bash', ['-n'], { input: code.replace(/<([\w .,:/|=-]+)>/g, "'<$1>'"), encoding: 'utf8' });
  return run.status === 0 ? '' : run.stderr.trim();
}

// Project-internal words a reader cannot know: release steps and batches, generator seeds, tracker numbers.
const JARGON = [
  /\bstop \d+/i,
  /\bstops \d+/i,
  /\bwave[- ]?\d+/i,
  /\bwaves? of (work|changes)/i,
  /\bround \d+\b/i,
  /\bseed 0\d+/i,
  /\bissue #?\d+\b/i,
  /\bissues \d+( and \d+)?\b/i,
];

const pages = () => markdownFiles();

/** The words a shell text runs as `teamstate <command>` (in command position, after global flags) that are not commands. */
export function unknownCommands(code: string, commands: ReadonlySet<string>): string[] {
  const runs = code.matchAll(/(?:^|&&|\|\||;|\$\()[ \t]*(?:\.\/)?teamstate[ \t]+(?:--?[\w-]+(?:[ =](?!-)\S+)?[ \t]+)*([a-z][\w-]*)/gm);
  return [...runs].map((m) => m[1]!).filter((name) => !commands.has(name));
}

/** The top-level commands of the built CLI, from its `--help`. */
function cliCommands(): string[] {
  const help = spawnSync(process.execPath, [join(ROOT, 'packages/cli/dist/bin.js'), '--help'], { encoding: 'utf8' });
  expect(help.status, help.stderr).toBe(0);
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  const commands = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
  expect(commands.length).toBeGreaterThan(20);
  return commands;
}

describe('the docs, for readers', () => {
  it('reaches every page under docs/ and every package README by links from README.md', () => {
    const reached = reachableFrom('README.md');
    expect(pages().filter((file) => !reached.has(file))).toEqual([]);
  });

  it('keeps every page at most 60 KB and every line at most 400 characters', () => {
    const problems = pages().flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const size = Buffer.byteLength(text);
      const big = size > MAX_PAGE_BYTES ? [`${file}: ${Math.round(size / 1024)} KB`] : [];
      const long = text
        .split('\n')
        .flatMap((line, index) => (line.length > MAX_LINE ? [`${file}:${index + 1}: ${line.length} characters`] : []));
      return [...big, ...long];
    });
    expect(problems).toEqual([]);
  });

  it('uses no project-internal jargon', () => {
    const problems = pages().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => JARGON.filter((word) => word.test(line)).map((word) => `${file}:${index + 1}: ${word.exec(line)![0]}`)),
    );
    expect(problems).toEqual([]);
  });

  it('parses every YAML block, duplicate keys being errors', () => {
    const problems = pages().flatMap((file) =>
      fencedBlocks(readFileSync(join(ROOT, file), 'utf8'))
        .filter((block) => block.language === 'yaml' || block.language === 'yml')
        .flatMap((block) => yamlProblems(block.code).map((problem) => `${file}:${block.line}: ${problem}`)),
    );
    expect(problems).toEqual([]);
  });

  it('has shell blocks bash can parse', () => {
    const problems = pages().flatMap((file) =>
      fencedBlocks(readFileSync(join(ROOT, file), 'utf8'))
        .filter((block) => SHELL.has(block.language))
        .flatMap((block) => {
          const problem = shellProblems(block.code);
          return problem ? [`${file}:${block.line}: ${problem}`] : [];
        }),
    );
    expect(problems).toEqual([]);
  });

  it('names only commands the CLI has in its shell blocks', () => {
    const commands = new Set(cliCommands());
    const problems = pages().flatMap((file) =>
      fencedBlocks(readFileSync(join(ROOT, file), 'utf8'))
        .filter((block) => SHELL.has(block.language))
        .flatMap((block) => unknownCommands(block.code, commands).map((name) => `${file}:${block.line}: teamstate ${name}`)),
    );
    expect(problems).toEqual([]);
  });

  it('links every connector page from README.md itself', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const connectors = pages().filter((file) => file.startsWith('docs/connectors/'));
    expect(connectors.length).toBeGreaterThan(5);
    expect(connectors.filter((file) => !readme.includes(`](${file})`))).toEqual([]);
  });

  it("has a reference config that `teamstate config check` accepts, with approvals.md's policy", () => {
    const firstYaml = (file: string) =>
      fencedBlocks(readFileSync(join(ROOT, file), 'utf8')).find((block) => block.language === 'yaml')!.code;
    const config = firstYaml('docs/configuration.md');
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-docs-config-'));
    try {
      writeFileSync(join(folder, 'teamstate.config.yaml'), config);
      writeFileSync(join(folder, 'policy.yaml'), firstYaml('docs/approvals.md'));
      for (const sub of ['docs', 'archive']) mkdirSync(join(folder, sub));
      // Every ${NAME} the reference uses, set to a placeholder long enough for any token's minimum length.
      const variables = [...config.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]!);
      const env = { ...process.env, ...Object.fromEntries(variables.map((name) => [name, `placeholder-${'x'.repeat(40)}`])) };
      const check = spawnSync(
        process.execPath,
        [join(ROOT, 'packages/cli/dist/bin.js'), 'config', 'check', '--config', 'teamstate.config.yaml', '--db', join(folder, 't.db')],
        { cwd: folder, env, encoding: 'utf8' },
      );
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      expect(check.stdout).toContain('is valid');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("lists every command of the CLI in cli.md's command table", () => {
    const commands = cliCommands();
    const table = /^## Commands\n([\s\S]*?)\n#/m.exec(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8'))![1]!;
    const listed = new Set([...table.matchAll(/^\|[^|]*/gm)].flatMap((m) => [...m[0].matchAll(/`([a-z][\w-]*)/g)].map((c) => c[1]!)));
    expect(commands.filter((command) => !listed.has(command))).toEqual([]);
  });
});

describe('the readers checks themselves', () => {
  it('find a duplicate key, a shell syntax error and fenced blocks inside lists', () => {
    expect(yamlProblems('server: { a: 1 }\nserver: { b: 2 }\n').join('\n')).toMatch(/Map keys must be unique/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a config file's ${NAME} reference, not a template.
    expect(yamlProblems('server:\n  publicUrl: https://x\n---\nother: { token: ${GITHUB_TOKEN} }\n')).toEqual([]);
    expect(shellProblems('teamstate import <file>\nTEAMSTATE_SCALE=0.1 pnpm bench scale\n')).toBe('');
    const known = new Set(['import', 'signals']);
    expect(unknownCommands('teamstate --json signals && ./teamstate improt x\ncd teamstate\nls', known)).toEqual(['improt']);
    expect(shellProblems('if [ -f x ]; then\n  echo "unfinished\n')).not.toBe('');
    expect(fencedBlocks('- item:\n\n  ```yaml\n  a: 1\n  ```\n\n```sh\nls\n```\n')).toEqual([
      { language: 'yaml', code: 'a: 1', line: 3 },
      { language: 'sh', code: 'ls', line: 7 },
    ]);
  });
});
