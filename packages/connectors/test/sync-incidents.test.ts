import { describe, expect, it } from 'vitest';
import { severityOf } from '../src/github/sync/sync-incidents.js';

describe('severityOf', () => {
  it('reads the usual severity labels', () => {
    expect(severityOf(['incident', 'sev1'])).toBe('sev1');
    expect(severityOf(['SEV-2'])).toBe('sev2');
    expect(severityOf(['P1'])).toBe('p1');
    expect(severityOf(['severity: high'])).toBe('high');
    expect(severityOf(['severity/Critical'])).toBe('critical');
    expect(severityOf(['priority:p3'])).toBe('p3');
    expect(severityOf(['incident', 'backend', 'pending'])).toBeUndefined();
  });
});
