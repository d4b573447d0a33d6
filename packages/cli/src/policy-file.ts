import { readFileSync } from 'node:fs';
import { type PolicyDocument, parsePolicyText, TeamStateError } from '@teamstate/core';
import type { Io } from './io.js';

/**
 * A policy file given on the command line: the file given with `--policy`, else the file named by env
 * `TEAMSTATE_POLICY` (YAML or JSON), else `undefined` (then the config file's `policy`, then the
 * built-in defaults, apply).
 */
export function loadPolicyFile(path: string | undefined, io: Io): PolicyDocument | undefined {
  const file = path ?? io.env.TEAMSTATE_POLICY;
  if (file === undefined || file === '') return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new TeamStateError('invalid_argument', `cannot read the policy ${file}: ${reason}`);
  }
  return parsePolicyText(text, file);
}
