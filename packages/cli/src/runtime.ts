import { readFileSync } from 'node:fs';
import { createTeamState, parseTimestamp, type TeamState, TeamStateError, type TeamStateOptions } from '@teamstate/core';
import pc from 'picocolors';
import { UsageError } from './errors.js';

/** Flags every command accepts. */
export interface GlobalOptions {
  db?: string;
  config?: string;
  workspace?: string;
  now?: string;
  json?: boolean;
  debug?: boolean;
}

/** What a command needs from the outside world; tests and the bin provide it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** The clock for `--now <iso>` (fixed instant) or the system clock. */
export function clockFrom(now: string | undefined): () => Date {
  if (now === undefined) return () => new Date();
  const ms = parseTimestamp(now);
  if (ms === undefined) throw new UsageError(`--now: invalid ISO timestamp "${now}" (expected e.g. 2026-03-01T09:00:00Z)`);
  return () => new Date(ms);
}

/** Opens the facade from the global flags (`--db`, env `TEAMSTATE_DB`, `--workspace`, `--now`). */
export async function openTeamState(globals: GlobalOptions, io: Io, extra: Partial<TeamStateOptions> = {}): Promise<TeamState> {
  return createTeamState({
    database: globals.db ?? io.env.TEAMSTATE_DB,
    authToken: io.env.TEAMSTATE_DB_AUTH_TOKEN,
    workspace: globals.workspace ?? io.env.TEAMSTATE_WORKSPACE,
    clock: clockFrom(globals.now),
    ...extra,
  });
}

/** Runs `fn` with an open facade and always closes it. */
export async function withTeamState<T>(
  globals: GlobalOptions,
  io: Io,
  fn: (ts: TeamState) => Promise<T>,
  extra?: Partial<TeamStateOptions>,
): Promise<T> {
  const ts = await openTeamState(globals, io, extra);
  try {
    return await fn(ts);
  } finally {
    await ts.close();
  }
}

/** Reads a JSON file (`-` for stdin), with a clear error on bad JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new TeamStateError(
      'invalid_argument',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TeamStateError('invalid_argument', `${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Colour helpers that are no-ops when stdout is not a TTY or NO_COLOR is set. */
export function colors(io: Io) {
  return pc.createColors(io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
}

/** Prints exactly one JSON document. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
