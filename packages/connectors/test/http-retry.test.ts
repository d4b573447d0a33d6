import { describe, expect, it } from 'vitest';
import {
  type AttemptFailure,
  isIdempotent,
  parseRetryAfter,
  READ_POLICY,
  type RetryLoopOptions,
  sendWithRetries,
  WRITE_POLICY,
} from '../src/upstream/http-retry.js';

// An upstream that answers from a script: each entry is a failure to throw, or 'ok'.
function scripted(script: (AttemptFailure | 'ok')[]) {
  let sent = 0;
  return {
    get sent() {
      return sent;
    },
    send: async () => {
      const next = script[sent++] ?? 'ok';
      if (next === 'ok') return 'done';
      throw Object.assign(new Error(`failed with ${next.status ?? 'no answer'}`), { failure: next });
    },
  };
}

const waits: [number, string][] = [];
const options = (over: Partial<RetryLoopOptions> = {}): RetryLoopOptions => ({
  policy: READ_POLICY,
  classify: (error) => (error as { failure?: AttemptFailure }).failure,
  sleep: async (ms, reason) => void waits.push([ms, reason]),
  describe: (failure, retry) => `${failure.status ?? 'no answer'}; retry ${retry}`,
  ...over,
});
const rateLimited = (retryAfterMs?: number): AttemptFailure => ({ status: 429, rateLimited: true, retryAfterMs, transient: false });
const unavailable: AttemptFailure = { status: 503, rateLimited: false, transient: true };
const lost: AttemptFailure = { rateLimited: false, transient: true };

describe('sendWithRetries', () => {
  it('waits for Retry-After on a rate limit and backs off, doubling, on transient failures of a read', async () => {
    waits.length = 0;
    const upstream = scripted([rateLimited(7_000), unavailable, lost, 'ok']);
    expect(await sendWithRetries(upstream.send, options())).toBe('done');
    expect(waits).toEqual([
      [7_000, '429; retry 1'],
      [2_000, '503; retry 2'],
      [4_000, 'no answer; retry 3'],
    ]);
  });

  it('bounds the back-off by maxDelayMs and the retries by maxRetries, then throws what giveUp makes of the last failure', async () => {
    waits.length = 0;
    const upstream = scripted(Array.from({ length: 10 }, () => unavailable));
    const policy = { ...READ_POLICY, maxRetries: 4, baseDelayMs: 10_000, maxDelayMs: 25_000 };
    const error = await sendWithRetries(upstream.send, options({ policy, giveUp: (_, details) => details })).catch((e) => e);
    expect(error).toEqual({ failure: unavailable, reason: 'retries_exhausted', retryable: true });
    expect(upstream.sent).toBe(5);
    expect(waits.map(([ms]) => ms)).toEqual([10_000, 20_000, 25_000, 25_000]);
  });

  it('fails at once when the upstream asks to wait longer than the policy allows', async () => {
    waits.length = 0;
    const upstream = scripted([rateLimited(16 * 60_000)]);
    const error = await sendWithRetries(upstream.send, options({ giveUp: (_, details) => details })).catch((e) => e);
    expect(error).toMatchObject({ reason: 'retry_after_too_long', retryable: true });
    expect([upstream.sent, waits]).toEqual([1, []]);
  });

  it('sends a write again only after a rate limit: a 5xx or a lost answer is thrown at once, never resent', async () => {
    waits.length = 0;
    for (const failure of [unavailable, lost]) {
      const upstream = scripted([failure, 'ok']);
      const error = await sendWithRetries(upstream.send, options({ policy: WRITE_POLICY, giveUp: (_, details) => details })).catch(
        (e) => e,
      );
      expect(error).toEqual({ failure, reason: 'not_retryable', retryable: true });
      expect(upstream.sent).toBe(1);
    }
    const limited = scripted([rateLimited(2_000), rateLimited(undefined), 'ok']);
    expect(await sendWithRetries(limited.send, options({ policy: WRITE_POLICY }))).toBe('done');
    expect(waits).toEqual([
      [2_000, '429; retry 1'],
      [2_000, '429; retry 2'],
    ]);
    // At most two retries, and no Retry-After over a minute.
    expect(WRITE_POLICY).toMatchObject({ maxRetries: 2, maxRetryAfterMs: 60_000, retryTransient: false });
  });

  it('does not wait past a deadline, counting its own waits when the clock stands still', async () => {
    waits.length = 0;
    const upstream = scripted([rateLimited(2_000), rateLimited(2_000), 'ok']);
    const fixed = () => 1_000_000;
    const error = await sendWithRetries(
      upstream.send,
      options({ policy: { ...WRITE_POLICY, maxRetries: 5 }, deadline: 1_000_000 + 3_000, now: fixed, giveUp: (_, d) => d.reason }),
    ).catch((e) => e);
    expect([error, upstream.sent, waits.map(([ms]) => ms)]).toEqual(['deadline', 2, [2_000]]);
  });

  it('rethrows an error it cannot classify without retrying', async () => {
    const bug = new TypeError('x is undefined');
    let sent = 0;
    await expect(
      sendWithRetries(async () => {
        sent += 1;
        throw bug;
      }, options()),
    ).rejects.toBe(bug);
    expect(sent).toBe(1);
  });
});

describe('isIdempotent and parseRetryAfter', () => {
  it('treats GET, PUT and DELETE as safe to repeat, and a POST only when named as a read', () => {
    expect(['GET', 'put', 'DELETE', 'HEAD'].map((method) => isIdempotent(method, '/x'))).toEqual([true, true, true, true]);
    expect(isIdempotent('POST', '/rest/api/3/issue')).toBe(false);
    expect(isIdempotent('POST', '/rest/api/3/search/jql', [/\/search\/jql$/])).toBe(true);
  });

  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:30 GMT', now)).toBe(30_000);
    expect([parseRetryAfter(undefined, now), parseRetryAfter('soon', now), parseRetryAfter('-3', now)]).toEqual([undefined, undefined, 0]);
  });
});
