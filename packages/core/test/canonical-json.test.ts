import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/services/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined properties and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives equal values the same text whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });

  it('escapes strings as JSON does and uses toJSON', () => {
    expect(canonicalJson({ 'é"\n': 'ü' })).toBe('{"é\\"\\n":"ü"}');
    expect(canonicalJson(new Date(Date.UTC(2026, 2, 1)))).toBe('"2026-03-01T00:00:00.000Z"');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow('cannot serialize the number NaN as JSON');
    expect(() => canonicalJson(() => 1)).toThrow('cannot serialize a function as JSON');
  });
});
