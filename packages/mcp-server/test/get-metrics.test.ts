import { describe, expect, it } from 'vitest';
import { roundMetrics } from '../src/tools/get-metrics.js';

describe('roundMetrics', () => {
  it('rounds hours to 2 decimals and ratios to 4 at every depth, counts, units and bands as they are', () => {
    const metrics = {
      pr_cycle_time: {
        value: 48.64444,
        unit: 'hours',
        p50: 48.64444,
        count: 286,
        breakdown: { coding: { p50: 5.0712, count: 286 } },
        oldest: [{ key: 'GRO-1', ageHours: 336.0249 }],
        band: 'elite',
      },
      flow_efficiency: {
        value: 0.260234,
        unit: 'ratio',
        count: 398,
        activeHours: 16161.94251,
        series: [{ value: 0.123456, unit: 'ratio' }],
      },
      deployment_frequency: { value: 0.2, unit: 'deployments/day', deployDaysPerWeek: 1.4000000000000001 },
    };
    const rounded = roundMetrics(metrics);
    expect(rounded).toEqual({
      pr_cycle_time: {
        value: 48.64,
        unit: 'hours',
        p50: 48.64,
        count: 286,
        breakdown: { coding: { p50: 5.07, count: 286 } },
        oldest: [{ key: 'GRO-1', ageHours: 336.02 }],
        band: 'elite',
      },
      flow_efficiency: { value: 0.2602, unit: 'ratio', count: 398, activeHours: 16161.9425, series: [{ value: 0.1235, unit: 'ratio' }] },
      // Another unit: as computed.
      deployment_frequency: { value: 0.2, unit: 'deployments/day', deployDaysPerWeek: 1.4000000000000001 },
    });
    // The results given are left as they are.
    expect(metrics.pr_cycle_time.breakdown.coding.p50).toBe(5.0712);
  });

  it('keeps a key named __proto__ as a key', () => {
    const result = { value: 1.23456, unit: 'hours', ...(JSON.parse('{"__proto__": {"p50": 2.34567}}') as object) };
    const rounded = roundMetrics({ custom: result }).custom as unknown as Record<string, unknown>;
    expect(Object.keys(rounded)).toEqual(['value', 'unit', '__proto__']);
    expect(Object.getPrototypeOf(rounded)).toBe(Object.prototype);
    expect(JSON.stringify(rounded)).toBe('{"value":1.23,"unit":"hours","__proto__":{"p50":2.35}}');
  });
});
