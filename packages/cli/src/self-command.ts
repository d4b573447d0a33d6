import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A word for a POSIX shell: as is when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that starts this very CLI from anywhere: this Node.js and this bin, both absolute
 * (`/usr/bin/node /home/me/teamstate/packages/cli/dist/bin.js`). What an assistant's MCP config needs,
 * from a clone as from a global install.
 */
export function selfCommand(argv: readonly string[] = process.argv, execPath: string = process.execPath): string {
  const script = argv[1];
  let bin = script ?? 'teamstate';
  try {
    if (script) bin = realpathSync(script);
  } catch {
    // Not a file (an inline script): name it as given.
  }
  return `${shellWord(execPath)} ${shellWord(bin)}`;
}

let typedName = 'teamstate';

/** `path` with symbolic links resolved, when it exists; as given otherwise. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The command a person types to run this CLI in `cwd`: `./teamstate` when this CLI is the build (`dist/`) of the
 * `packages/cli` of a clone (its root has the `teamstate` launcher and `pnpm-workspace.yaml`) and `cwd` is that root,
 * where `teamstate` is on no PATH; `teamstate` everywhere else (an installed package, another folder, the sources
 * run by the tests). `moduleFile` is a file of this CLI.
 */
export function selfNameFor(
  cwd: string,
  moduleFile: string = fileURLToPath(import.meta.url),
  exists: (path: string) => boolean = existsSync,
): string {
  const packageDir = dirname(dirname(moduleFile));
  const root = dirname(dirname(packageDir));
  const inClone =
    basename(dirname(moduleFile)) === 'dist' &&
    basename(packageDir) === 'cli' &&
    basename(dirname(packageDir)) === 'packages' &&
    exists(join(root, 'teamstate')) &&
    exists(join(root, 'pnpm-workspace.yaml'));
  return inClone && real(cwd) === real(root) ? './teamstate' : 'teamstate';
}

/** Sets the name of {@link selfName} for a run in `cwd` (none: `teamstate`); called once per command by `main()`. */
export function setSelfName(cwd: string | undefined): void {
  typedName = cwd === undefined ? 'teamstate' : selfNameFor(cwd);
}

/**
 * How the commands this CLI suggests start (`./teamstate` in the root of a clone, else `teamstate`; see
 * {@link selfNameFor}): every hint is written as the person can run it where they are.
 */
export function selfName(): string {
  return typedName;
}

/**
 * The CLI's own words (an error message, help) with every `teamstate <command>` in them written as {@link selfName}
 * says, for the names of `commands`. Text from people and upstream never goes through it.
 */
export function asTyped(text: string, commands: readonly string[]): string {
  if (typedName === 'teamstate' || commands.length === 0) return text;
  const names = commands.map((name) => name.replace(/[^\w-]/g, '')).join('|');
  return text.replace(new RegExp(`(^|[\\s\`'"(])teamstate(?= (?:${names})\\b)`, 'gm'), `$1${typedName}`);
}
