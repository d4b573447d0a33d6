import { realpathSync } from 'node:fs';

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
