import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

// The repository is self-contained: its code, comments, tests, docs and release notes cite its own files (docs/ holds
// every public contract), never a design document kept outside it. This fails naming file:line for each citation of
// one: that document by name, a relative path that leads out of the repository, or one of its numbered sections.
const root = join(import.meta.dirname, '..');
/** This file, which names what it looks for. */
const SELF = 'docs/self-contained.test.ts';

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  .split('\0')
  .filter((file) => file !== '');
const trackedFiles = new Set(tracked);
/** `a/b/c.ts` is in the folders `a` and `a/b`. */
function folders(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
const trackedFolders = new Set(tracked.flatMap(folders));

const DESIGN_FILE = /\bDESIGN\.md\b/;
const OF_THE_DESIGN = /\bsections? \d+(?:(?:, | and )\d+)* of the design\b/i;
const SHARED_PATH = /(?:\.\.\/)+shared\/[\w./-]*/g;

/** Whether a relative path written in `file` names a tracked file or folder (a module specifier `x.js` may name `x.ts`). */
function inRepository(file: string, path: string): boolean {
  const target = posix.normalize(posix.join(posix.dirname(file), path.replace(/[./]+$/, '')));
  if (target.startsWith('..')) return false;
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), target.replace(/\.cjs$/, '.cts')];
  return candidates.some((candidate) => trackedFiles.has(candidate) || trackedFolders.has(candidate));
}

/** Every `file:line: text` of the tracked files that cites the outside design document. */
function citations(): string[] {
  const found: string[] = [];
  for (const file of tracked) {
    if (file === SELF) continue;
    const path = join(root, file);
    if (!existsSync(path) || !statSync(path).isFile()) continue; // deleted in the working tree, or a submodule
    const text = readFileSync(path, 'utf8');
    if (text.includes('\0')) continue; // binary
    text.split('\n').forEach((line, i) => {
      const outside = [...line.matchAll(SHARED_PATH)].some(([path]) => !inRepository(file, path));
      if (DESIGN_FILE.test(line) || OF_THE_DESIGN.test(line) || outside) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('reads the tracked files', () => {
    expect(tracked).toEqual(expect.arrayContaining(['package.json', 'docs/architecture.md', SELF]));
  });

  it('cites no design document kept outside it (cite docs/ instead, and document the contract there)', () => {
    const found = citations();
    expect(found, `${found.length} citations of a document outside the repository:\n${found.join('\n')}`).toEqual([]);
  });

  it('tells imports of a folder of the repository from a path leading out of it', () => {
    // Built from parts, so that this file does not itself hold the paths it looks for.
    const up = (levels: number, folder: string, rest: string) => `${'../'.repeat(levels)}${folder}/${rest}`;
    expect(inRepository('packages/metrics/src/flow/wip.ts', up(1, 'common', 'evidence.js'))).toBe(true);
    expect(inRepository('packages/connectors/src/jira/client/jira-transport.ts', up(2, 'upstream', 'with-rate-limit.js'))).toBe(true);
    expect(inRepository('README.md', up(1, 'shared', ''))).toBe(false);
    expect(inRepository('docs/concepts.md', up(2, 'shared', 'notes.md'))).toBe(false);
  });
});
