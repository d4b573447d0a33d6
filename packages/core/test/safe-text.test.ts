import { describe, expect, it } from 'vitest';
import { safeText } from '../src/kernel/text/safe-text.js';

const ESC = '\u001b';

describe('safeText (everything printed to a terminal or put in digest text)', () => {
  it('removes CSI, OSC and other escape sequences, keeping the visible text', () => {
    // A lone carriage return cannot overwrite the line: it becomes a line break, or is shown escaped on one line.
    expect(safeText(`${ESC}[2K\r${ESC}[31mred${ESC}[0m`)).toBe('\nred');
    expect(safeText(`${ESC}[2K\r${ESC}[31mred${ESC}[0m`, { singleLine: true })).toBe('\\rred');
    expect(safeText(`${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`)).toBe('click');
    expect(safeText(`${ESC}]0;title\u0007after`)).toBe('after');
    expect(safeText(`a${ESC}[8mhidden${ESC}[28mb`)).toBe('ahiddenb');
    expect(safeText(`x${ESC}7y${ESC}cz`)).toBe('xyz');
    expect(safeText('8-bit \u009b31mCSI\u009d8;;u\u009c end')).toBe('8-bit CSI end');
  });

  it('drops other C0 and C1 control characters and bidirectional overrides', () => {
    expect(safeText('a\u0000b\u0007c\u0008d\u007fe\u0081f\u009a')).toBe('abcdef');
    // NEL (U+0085) is a line break: kept as one in multi-line text, escaped on one line.
    expect(safeText('a\u0085b')).toBe('a\nb');
    expect(safeText('admin\u202e\u2066txt.exe\u2069')).toBe('admintxt.exe');
  });

  it('keeps a single-line field on one line: line breaks and tabs are shown escaped', () => {
    const reason = `Blocked 3 days\n  params {"text":"Blocked 3 days"}\r\n\u2028x\ty`;
    const shown = safeText(reason, { singleLine: true });
    expect(shown).toBe('Blocked 3 days\\n  params {"text":"Blocked 3 days"}\\r\\n\\u2028x\\ty');
    expect(shown).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it('keeps line breaks and tabs in multi-line text, normalising \\r\\n and lone \\r to \\n', () => {
    expect(safeText('one\r\ntwo\rthree\n\tfour')).toBe('one\ntwo\nthree\n\tfour');
  });

  it('cuts a long field with an ellipsis, counting characters not UTF-16 units, never splitting a pair', () => {
    expect(safeText('abcdefghij', { maxLength: 5 })).toBe('abcd…');
    expect(safeText('abcde', { maxLength: 5 })).toBe('abcde');
    expect(safeText('😀😀😀😀', { maxLength: 3 })).toBe('😀😀…');
  });

  it('leaves ordinary text, including non-Latin scripts and emoji, unchanged', () => {
    const text = 'Ana Núñez reviewed “Add retries” — 日本語 ✅';
    expect(safeText(text)).toBe(text);
    expect(safeText(text, { singleLine: true })).toBe(text);
  });
});
