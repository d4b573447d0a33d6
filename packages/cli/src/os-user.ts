import { userInfo } from 'node:os';

/** The OS user running the command: recorded on the audit ledger for writes made at a terminal. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
