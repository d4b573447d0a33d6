// Where a config file is looked for, without loading anything: `teamstate mcp`'s start-up (src/mcp-front.ts) checks
// there is none before it loads the rest of the CLI.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILES = ['teamstate.config.yaml', 'teamstate.config.yml', 'teamstate.config.json'];

/** The first of CONFIG_FILES walking up from `cwd`, or undefined. */
export function configAbove(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}
