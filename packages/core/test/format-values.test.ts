import { formatMetricChange, formatMetricValue, formatPoints, formatWindow, weeklyBuckets, weekStart } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../src/kernel/text/format-values.js';

describe('the shared formatter of every text surface', () => {
  it('writes each value with its unit and never a float as it came out of the arithmetic', () => {
    expect(formatMetricValue(54.296578333333336, 'hours')).toBe('54.3 h');
    expect(formatMetricValue(1.0545, 'ratio')).toBe('105.5 %');
    expect(formatMetricValue(67.5, 'points')).toBe('67.5 points');
    expect(formatPoints(191.04)).toBe('191 points');
    expect(formatMetricValue(64, 'count')).toBe('64');
    expect(formatMetricValue(1.8333333, 'deployments/day')).toBe('1.83 deployments/day');
    expect(formatMetricValue(null, 'hours')).toBe('—');
  });

  it('groups the thousands of a whole number as en-US does, without Intl', () => {
    for (const value of [0, 7, 999, 1_000, -1_234, 4_000, 12_000, 100_000, 1_234_567, 2 ** 40, Number.MAX_SAFE_INTEGER, 1_234.5]) {
      expect(groupDigits(value), String(value)).toBe(value.toLocaleString('en-US'));
    }
    expect(groupDigits(12_000)).toBe('12,000');
  });

  it('signs a change with its unit, and a change that rounds to zero has no sign', () => {
    expect(formatMetricChange(7.08, 'hours')).toBe('+7.08 h');
    expect(formatMetricChange(-0.0123, 'ratio')).toBe('-1.2 %');
    expect(formatMetricChange(-0.0001, 'ratio')).toBe('0.0 %');
  });

  it('writes a window in one format, from ISO timestamps or milliseconds', () => {
    const window = { from: '2026-10-28T18:47:08.333Z', to: '2026-11-27T18:47:08.333Z' };
    expect(formatWindow(window)).toBe('2026-10-28 18:47 to 2026-11-27 18:47 UTC');
    expect(formatWindow({ from: Date.parse(window.from), to: Date.parse(window.to) })).toBe(formatWindow(window));
  });

  it('starts every week on Monday 00:00 UTC and marks a cut first or last week as partial', () => {
    // 2026-10-28 is a Wednesday; 2026-10-26 the Monday before.
    expect(new Date(weekStart(Date.parse('2026-10-28T18:47:00Z'))).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-11-02T00:00:00Z'))).toISOString()).toBe('2026-11-02T00:00:00.000Z');
    const weeks = weeklyBuckets(Date.parse('2026-10-28T18:47:00Z'), Date.parse('2026-11-16T00:00:00Z'));
    expect(weeks.map((w) => [new Date(w.from).toISOString().slice(0, 10), w.partial])).toEqual([
      ['2026-10-28', true],
      ['2026-11-02', false],
      ['2026-11-09', false],
    ]);
    expect(weeks.slice(1).every((w) => new Date(w.from).getUTCDay() === 1)).toBe(true);
  });
});
