import { readFileSync } from 'node:fs';
import { type PolicyDocument, parsePolicy, TeamStateError, ValidationError } from '@teamstate/core';
import { describeParseError } from './config/parse-error.js';
import type { Io } from './io.js';
import { yaml } from './yaml.js';

/** A policy file as read: its text exactly as written, and the validated document. */
export interface PolicyFile {
  text: string;
  document: PolicyDocument;
}

/**
 * A policy file given on the command line: the file given with `--policy`, else the file named by env
 * `TEAMSTATE_POLICY` (YAML or JSON), else `undefined` (then the config file's `policy`, then the
 * built-in defaults, apply).
 */
export function loadPolicyFile(path: string | undefined, io: Io): PolicyDocument | undefined {
  return loadPolicyFileText(path, io)?.document;
}

/** {@link loadPolicyFile}, with the file's text. */
export function loadPolicyFileText(path: string | undefined, io: Io): PolicyFile | undefined {
  const file = path ?? io.env.TEAMSTATE_POLICY;
  if (file === undefined || file === '') return undefined;
  return readPolicyFile(file);
}

/**
 * Reads and validates a policy file (YAML or JSON): a file that cannot be read, is not YAML or is not a valid policy is
 * refused with one message naming the file and, for a bad document, the field (`policy.actions["x"].mode: …`).
 */
export function readPolicyFile(file: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new TeamStateError('invalid_argument', `cannot read the policy ${file}: ${reason}`);
  }
  let document: unknown;
  try {
    document = yaml().parse(text);
  } catch (error) {
    // Where the file is not YAML (or JSON, which is YAML): the line and column, the line itself and a caret.
    throw new ValidationError('invalid_policy', file, [
      { path: 'policy', message: `is not valid YAML or JSON: ${describeParseError(error, text, text, (reference) => reference)}` },
    ]);
  }
  return { text, document: parsePolicy(document, file) };
}
