import { describe, expect, it } from 'vitest';
import { rateLimitWait, readRateLimit } from '../src/github/client/rate-limit.js';

const now = Date.parse('2026-03-10T12:00:00Z');
const resetIn = (seconds: number) => String(now / 1000 + seconds);

describe('rateLimitWait', () => {
  it('waits until x-ratelimit-reset (plus a second) when the primary budget is spent', () => {
    const wait = rateLimitWait(
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(300), 'x-ratelimit-resource': 'core' },
        message: 'API rate limit exceeded',
      },
      0,
      now,
    );
    expect(wait).toEqual({
      kind: 'primary',
      waitMs: 301_000,
      reason: 'GitHub core rate limit exhausted; it resets at 2026-03-10T12:05:00.000Z',
    });
    // A reset already passed (clock skew) still waits the margin.
    expect(
      rateLimitWait({ status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(-5) }, message: '' }, 0, now)
        ?.waitMs,
    ).toBe(1_000);
  });

  it('waits retry-after on a secondary limit, else 60 s, doubling with each hit', () => {
    const secondary = { status: 403, headers: {}, message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' };
    expect(rateLimitWait({ ...secondary, headers: { 'retry-after': '17' } }, 0, now)).toMatchObject({ kind: 'secondary', waitMs: 17_000 });
    expect([0, 1, 2, 3].map((attempt) => rateLimitWait(secondary, attempt, now)?.waitMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    // retry-after is a floor, never shorter than the back-off after repeated hits.
    expect(rateLimitWait({ ...secondary, headers: { 'retry-after': '5' } }, 2, now)?.waitMs).toBe(240_000);
    expect(rateLimitWait({ status: 429, headers: {}, message: '' }, 0, now)).toMatchObject({ kind: 'secondary', waitMs: 60_000 });
  });

  it('treats a GraphQL RATE_LIMITED error as a rate limit and other 403s as errors', () => {
    expect(rateLimitWait({ status: 200, headers: {}, message: 'RATE_LIMITED API rate limit exceeded' }, 0, now)).toMatchObject({
      kind: 'secondary',
    });
    expect(
      rateLimitWait(
        { status: 403, headers: { 'x-ratelimit-remaining': '4000' }, message: 'Resource not accessible by integration' },
        0,
        now,
      ),
    ).toBeUndefined();
    expect(rateLimitWait({ status: 502, headers: {}, message: 'Server Error' }, 0, now)).toBeUndefined();
  });
});

describe('readRateLimit', () => {
  it('reads the budget of the resource the headers name', () => {
    expect(
      readRateLimit({ 'x-ratelimit-remaining': '4321', 'x-ratelimit-reset': resetIn(60), 'x-ratelimit-resource': 'graphql' }, 'core'),
    ).toEqual({
      resource: 'graphql',
      remaining: 4321,
      resetAt: now + 60_000,
    });
    expect(readRateLimit({}, 'core')).toBeUndefined();
  });
});
