import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TeamStateError } from '@teamstate/core';
import type { Io } from './io.js';

/** A credential the person running the CLI holds, and where it came from (for messages; never the token). */
export interface Credential {
  token: string;
  source: string;
}

/** The credentials file in the user's config directory (never in a project): `$XDG_CONFIG_HOME/teamstate/credentials`. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'teamstate', 'credentials');
}

/**
 * The person's credential: `TEAMSTATE_TOKEN`, else the first line of the credentials file, which must be
 * readable by its owner only (mode 0600). `undefined` when there is neither.
 */
export function readCredential(io: Io): Credential | undefined {
  const fromEnv = io.env.TEAMSTATE_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'TEAMSTATE_TOKEN' };
  const path = credentialsPath(io.env);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) !== 0) {
    throw new TeamStateError(
      'invalid_config',
      `${path}: readable by others (mode ${(mode & 0o777).toString(8)}); it holds a credential: run chmod 600 ${path}`,
    );
  }
  const token = readFileSync(path, 'utf8').split('\n')[0]?.trim();
  return token ? { token, source: path } : undefined;
}
