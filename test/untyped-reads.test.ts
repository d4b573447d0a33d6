import { describe, expect, it } from 'vitest';
import { untypedReads } from '../scripts/untyped-reads.mjs';

// Rows are read through the row decoder (`columns({...})`, a table spec's `rows`): casts and field conversions that
// bypass it stay few, and each one left is a value that is not a database row (docs/development.md).
describe('typed row reads', () => {
  it('keeps `as unknown as` to 6 and String()/Number() of a field to 60 in every package source', () => {
    const { casts, conversions } = untypedReads();
    expect(casts.length, casts.join('\n')).toBeLessThanOrEqual(6);
    expect(conversions.length, conversions.join('\n')).toBeLessThanOrEqual(60);
  });
});
