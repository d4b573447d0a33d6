// `teamstate mcp` over stdio, the quick way: for a plain start (a local database file that holds the workspace, no
// config file, only --db, --toolsets, --read-only, --requested-by and --debug), a front answers initialize and tools/list
// before the rest of the CLI and core load; the first other message hands the connection to the ordinary `mcp` command
// (src/commands/mcp.ts), which opens the store and checks everything as it always does. Anything else is no plain start:
// the ordinary command runs from the first byte, and says what is wrong as before.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabasePeek } from '@teamstate/core/peek';
import type { StdioFrontManifest } from '@teamstate/mcp-server/stdio-front';
import { configAbove } from './config/config-files.js';

/** The flags of a plain start, and whether each takes a value. */
const GLOBAL_FLAGS: Record<string, boolean> = { '--db': true, '--debug': false };
const MCP_FLAGS: Record<string, boolean> = { '--toolsets': true, '--read-only': false, '--requested-by': true };

/** What a plain start needs to know, read from the command line and the environment. */
export interface PlainStart {
  /** The database as given (a file path). */
  database: string;
  /** Its file. */
  path: string;
  toolsets: string | undefined;
  readOnly: boolean;
}

/**
 * The plain start `argv` asks for, or undefined when it is not one: a flag or variable outside it, a value the ordinary
 * command might refuse (it then says why), or a database that is not a plain local file path that exists.
 */
export function plainStart(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): PlainStart | undefined {
  // These change what is read or how: the ordinary command handles them.
  if (['TEAMSTATE_WORKSPACE', 'TEAMSTATE_POLICY', 'TEAMSTATE_OTEL'].some((name) => env[name] !== undefined)) return undefined;
  let command = false;
  let database: string | undefined;
  let toolsets: string | undefined;
  let readOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === 'mcp' && !command) {
      command = true;
      continue;
    }
    const equals = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = equals > 0 ? token.slice(0, equals) : token;
    const takesValue = GLOBAL_FLAGS[name] ?? (command ? MCP_FLAGS[name] : undefined);
    if (takesValue === undefined) return undefined;
    if (!takesValue) {
      if (equals > 0) return undefined;
      if (name === '--read-only') readOnly = true;
      continue;
    }
    const value = equals > 0 ? token.slice(equals + 1) : argv[++i];
    if (value === undefined || value.startsWith('-')) return undefined;
    if (name === '--db') database = value;
    else if (name === '--toolsets') toolsets = value;
    // --requested-by: an id (not empty, at most 200 characters, no surrounding whitespace).
    else if (!/^\S(.{0,198}\S)?$/.test(value)) return undefined;
  }
  database = (database ?? env.TEAMSTATE_DB)?.trim();
  // A plain path: no URL, no file: URL with parameters, nothing a driver would read as part of a URL.
  if (!command || !database || /^[a-z][a-z0-9+.-]*:/i.test(database) || /[?#%]/.test(database)) return undefined;
  const path = resolve(cwd, database);
  if (!existsSync(path) || configAbove(cwd) !== undefined) return undefined;
  return { database, path, toolsets, readOnly };
}

/** `--toolsets` as the ordinary command reads it, or undefined when it would refuse it. */
function chosenToolsets<T extends string>(
  flag: string | undefined,
  known: readonly T[],
  byDefault: readonly T[],
): readonly T[] | undefined {
  if (flag === undefined) return byDefault;
  const names = flag
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0 || names.some((name) => !(known as readonly string[]).includes(name))) return undefined;
  return [...new Set(names as T[])];
}

/**
 * What the front lists for the workspace `peek` describes: `'built'` for the server's own manifest (no action types: no
 * config, not a demo workspace), the demo workspace's that the build wrote (the demo connector's actions under the
 * default policy), or undefined when the front cannot know the listing (an empty workspace, which the ordinary start
 * warns about; a demo one with an approved policy, whose modes the description lists; running from the sources).
 */
export function frontManifest(peek: DatabasePeek, builtDir: URL = new URL('.', import.meta.url)): 'built' | StdioFrontManifest | undefined {
  if (!peek.filled) return undefined;
  if (!peek.demo) return 'built';
  if (peek.policy) return undefined;
  try {
    return JSON.parse(readFileSync(new URL('demo-tool-manifest.json', builtDir), 'utf8')) as StdioFrontManifest;
  } catch {
    return undefined;
  }
}

/**
 * Serves `teamstate mcp` over stdio through the front when `argv` is a plain start on a workspace that holds data and
 * whose listing the front knows ({@link frontManifest}); returns its exit code, or undefined when the ordinary command
 * must run instead.
 */
export async function serveMcpFront(argv: readonly string[]): Promise<number | undefined> {
  const start = plainStart(argv, process.env, process.cwd());
  if (!start) return undefined;
  const { serveStdioFront, TOOLSETS, DEFAULT_TOOLSETS } = await import('@teamstate/mcp-server/stdio-front');
  const toolsets = chosenToolsets(start.toolsets, TOOLSETS, DEFAULT_TOOLSETS);
  if (!toolsets) return undefined;
  const { peekDatabase } = await import('@teamstate/core/peek');
  const peek = await peekDatabase(start.path, 'default');
  const manifest = peek && frontManifest(peek);
  if (!manifest) return undefined;
  const front = await serveStdioFront({
    ...(manifest === 'built' ? {} : { manifest }),
    toolsets,
    readOnly: start.readOnly,
    serveFully: async (stdin, stdout) => {
      const { main } = await import('./main.js');
      return main([...argv], undefined, { mcpStdio: { stdin, stdout } });
    },
  });
  // Stopped by a signal from here on, before it says it serves.
  const stop = () => void front.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stderr.write(`teamstate mcp: serving file:${start.database} (workspace default) over stdio\n`);
  const code = await front.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return code;
}
