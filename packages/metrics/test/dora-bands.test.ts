import { describe, expect, it } from 'vitest';
import { doraBand } from '../src/dora/dora-bands.js';

describe('doraBand', () => {
  it('classifies at the limits of the 2023 table', () => {
    expect([1, 0.99, 1 / 7, 0.14, 1 / 30, 0.03].map((v) => doraBand('deployment_frequency', v, '2023'))).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
    expect([23.99, 24, 167.99, 168, 719.99, 720].map((v) => doraBand('lead_time', v, '2023'))).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
    expect([0, 0.05, 0.0501, 0.1, 0.15, 0.151].map((v) => doraBand('change_failure_rate', v, '2023'))).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    expect([0.99, 1, 23.99, 24, 167.99, 168].map((v) => doraBand('recovery_time', v, '2023'))).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });

  it('classifies with the 2021 table, and gives null for no value', () => {
    expect([1, 1 / 30, 1 / 180, 0.005].map((v) => doraBand('deployment_frequency', v, '2021'))).toEqual(['elite', 'high', 'medium', 'low']);
    expect([0.5, 1, 168, 4320].map((v) => doraBand('lead_time', v, '2021'))).toEqual(['elite', 'high', 'medium', 'low']);
    expect([0.15, 0.2, 0.3, 0.31].map((v) => doraBand('change_failure_rate', v, '2021'))).toEqual(['elite', 'high', 'medium', 'low']);
    expect(doraBand('lead_time', null, '2021')).toBeNull();
  });
});
