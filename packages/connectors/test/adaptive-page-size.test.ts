import { describe, expect, it } from 'vitest';
import { AdaptivePageSize } from '../src/github/client/adaptive-page-size.js';

describe('AdaptivePageSize', () => {
  it('halves down to the minimum and grows back to the start after successes in a row', () => {
    const size = new AdaptivePageSize(50);
    expect([size.shrink(), size.size, size.shrink(), size.size]).toEqual([true, 25, true, 12]);
    size.succeeded();
    expect(size.size).toBe(12);
    size.succeeded();
    expect(size.size).toBe(24);
    size.succeeded();
    size.succeeded();
    expect(size.size).toBe(48);
    size.succeeded();
    size.succeeded();
    expect(size.size).toBe(50);
    const tiny = new AdaptivePageSize(2);
    expect([tiny.shrink(), tiny.shrink(), tiny.size]).toEqual([true, false, 1]);
  });
});
