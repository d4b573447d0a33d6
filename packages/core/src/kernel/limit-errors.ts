import { TeamStateError } from './errors.js';

/**
 * A proposal over the policy's `limits.proposals_per_hour` for its caller: code `rate_limited`, and `retryAfter`, the
 * seconds until the caller's oldest proposal of the last hour leaves the window. The JSON surfaces (MCP tool results,
 * the CLI's `--json`) carry both as `{ code: 'rate_limited', retryAfter }`.
 *
 * @example try { await ts.actions.propose(p) } catch (e) { if (RateLimitedError.isRateLimited(e)) await sleep(e.retryAfter * 1000) }
 */
export class RateLimitedError extends TeamStateError {
  /** Seconds until a proposal of this caller is accepted again (at least 1). */
  readonly retryAfter: number;

  constructor(message: string, retryAfter: number) {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
    this.retryAfter = retryAfter;
  }

  /** True for a `rate_limited` error with its `retryAfter`, whichever copy of the package created it. */
  static isRateLimited(value: unknown): value is RateLimitedError {
    return (
      TeamStateError.isInstance(value) &&
      value.code === 'rate_limited' &&
      typeof (value as { retryAfter?: unknown }).retryAfter === 'number'
    );
  }
}

/** The machine-readable fields of an error beyond its code and message (`retryAfter` of a `rate_limited` one), for JSON surfaces. */
export function errorFields(error: unknown): { retryAfter?: number } {
  return RateLimitedError.isRateLimited(error) ? { retryAfter: error.retryAfter } : {};
}
