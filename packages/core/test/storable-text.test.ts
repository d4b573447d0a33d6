import { describe, expect, it } from 'vitest';
import { cutText, storableText, unstorableText, unstorableTextIssues } from '../src/kernel/text/storable-text.js';

describe('unstorableText (what a TEXT column cannot read back exactly)', () => {
  it('refuses NUL and lone surrogates, naming the index and the fix', () => {
    expect(unstorableText('please add\u0000 HIDDEN')).toBe('contains a NUL character (U+0000) at index 10; remove it');
    expect(unstorableText('x\uD800y')).toBe(
      'contains a lone surrogate (U+D800) at index 1, which is not Unicode text; remove it or send the whole character',
    );
    expect(unstorableText('\uDC00')).toMatch(/^contains a lone surrogate \(U\+DC00\) at index 0/);
    expect(unstorableText('ends with \uD83D')).toMatch(/^contains a lone surrogate \(U\+D83D\) at index 10/);
  });

  it('accepts every other character: C0/C1 controls, bidi overrides, pairs, noncharacters', () => {
    for (const text of [
      '\u0001\u001f\t\r\n\u007f',
      '\u0085\u009f',
      '\u202e\u2066abc\u2069',
      '😀',
      '\uFFFF\uFFFE\uFEFF',
      'é'.repeat(20_000),
      '',
    ]) {
      expect(unstorableText(text)).toBeUndefined();
    }
  });
});

describe('unstorableTextIssues', () => {
  it('names every string and key at any depth by its path', () => {
    expect(unstorableTextIssues({ reason: 'a\u0000', params: { list: ['ok', { deep: '\uDFFF' }], 'k\u0000': 1 }, n: 3 })).toEqual([
      { path: 'reason', message: 'contains a NUL character (U+0000) at index 1; remove it' },
      {
        path: 'params.list[1].deep',
        message: 'contains a lone surrogate (U+DFFF) at index 0, which is not Unicode text; remove it or send the whole character',
      },
      { path: 'params["k\\u0000"]', message: 'its key contains a NUL character (U+0000) at index 1; remove it' },
    ]);
    expect(unstorableTextIssues('x\u0000', ['params', 'text'])).toEqual([
      { path: 'params.text', message: 'contains a NUL character (U+0000) at index 1; remove it' },
    ]);
    const cycle: Record<string, unknown> = { a: 'fine' };
    cycle.self = cycle;
    expect(unstorableTextIssues(cycle)).toEqual([]);
  });
});

describe('cutText and storableText', () => {
  it('cuts without splitting a surrogate pair', () => {
    expect(cutText('ab😀', 3)).toBe('ab');
    expect(cutText('ab😀', 4)).toBe('ab😀');
    expect(cutText('abc', 2)).toBe('ab');
  });

  it('replaces what cannot be stored by U+FFFD', () => {
    expect(storableText('a\u0000b\uD800c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });
});
