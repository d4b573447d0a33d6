import { describe, expect, it } from 'vitest';
import { defaultMetricIds, metricWindow } from '../src/services/metrics/metric-defaults.js';

const now = new Date('2026-03-31T12:00:00Z');

describe('metricWindow', () => {
  it('is the 30 days before now, or before the given end', () => {
    expect(metricWindow({}, now)).toEqual({ from: '2026-03-01T12:00:00.000Z', to: '2026-03-31T12:00:00.000Z' });
    expect(metricWindow({ to: '2026-02-01' }, now)).toEqual({ from: '2026-01-02T00:00:00.000Z', to: '2026-02-01' });
  });

  it('keeps bounds that are given, and passes a malformed end through for compute() to report', () => {
    expect(metricWindow({ from: '2026-01-01', to: '2026-02-01' }, now)).toEqual({ from: '2026-01-01', to: '2026-02-01' });
    expect(metricWindow({ to: 'soon' }, now)).toEqual({ from: 'soon', to: 'soon' });
  });
});

describe('defaultMetricIds', () => {
  it('takes the dora and flow metrics, in catalogue order', () => {
    const metric = (id: string, category?: string) => ({
      id,
      title: id,
      unit: 'count',
      description: id,
      ...(category ? { category } : {}),
    });
    expect(defaultMetricIds([metric('a', 'flow'), metric('b', 'sprint'), metric('c', 'dora'), metric('d')])).toEqual(['a', 'c']);
  });
});
