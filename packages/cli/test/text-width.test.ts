import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { graphemes, NARROW, textWidth } from '../src/text-width.js';

/** Every character of the Basic Multilingual Plane counted as it is ({@link NARROW}), without asking string-width. */
const counted = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((char) => NARROW.test(char));
const segments = (text: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

describe('the terminal width of text', () => {
  it('counts each character it does not ask string-width about as one column, as string-width does', () => {
    // Printable ASCII and 1,174 more.
    expect(counted.length).toBe(1_269);
    const wrong = counted.filter((char) => textWidth(char) !== 1 || stringWidth(char) !== 1);
    expect(wrong.map((char) => `U+${char.codePointAt(0)!.toString(16)}`)).toEqual([]);
    // Together they stay one column and one grapheme each: nothing among them joins the one before it.
    const all = counted.join('');
    expect(textWidth(all)).toBe(stringWidth(all));
    expect([...graphemes(all)].map((g) => g.segment)).toEqual(segments(all));
  });

  it('asks string-width about any other text: wide, joined, invisible or escaped characters', () => {
    for (const text of [
      'payments-1 · 表示 · done',
      'ship it 🚀',
      '👩‍💻 on call',
      'e\u0301 accent',
      'soft\u00adhyphen',
      'zero\u200bwidth',
      '\u001b[31mred\u001b[39m',
      '한국어',
      'ｆｕｌｌ',
      '\t',
    ]) {
      expect(textWidth(text), text).toBe(stringWidth(text));
      expect(
        [...graphemes(text)].map((g) => g.segment),
        text,
      ).toEqual(segments(text));
    }
  });
});
