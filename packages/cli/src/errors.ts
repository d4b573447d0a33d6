import { TeamStateError } from '@teamstate/core';

/** Exit codes of the CLI (documented in docs/cli.md). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A wrong command line (unknown flag value, missing argument): exit code 2. */
export class UsageError extends TeamStateError {
  constructor(message: string) {
    super('usage_error', message);
    this.name = 'UsageError';
  }
}

/** A whole-number option's value (`--limit 50`), or a {@link UsageError} naming the flag and what it got. */
export function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  return n;
}
