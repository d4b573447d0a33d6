import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { wrapText } from '../src/wrap.js';

const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(line)));

describe('wrapText', () => {
  it('leaves lines that fit as they are, and the text ending as it was', () => {
    expect(wrapText('short\n  indented  twice\n\nlast\n', 20)).toBe('short\n  indented  twice\n\nlast\n');
    expect(wrapText('no newline at the end', 40)).toBe('no newline at the end');
  });

  it('breaks a long line between words, continuing under where its text starts', () => {
    const text = '  !! The last production deployment of acme/ledger failed 14 hours ago and nobody rolled it back\n';
    expect(wrapText(text, 40)).toBe(
      ['  !! The last production deployment of', '     acme/ledger failed 14 hours ago and', '     nobody rolled it back', ''].join('\n'),
    );
  });

  it('continues a labelled line under its value, a list item under its text', () => {
    expect(wrapText('  forecast  about 31 points by the end; 62 points likely to carry over (PAY-108, PAY-119)', 50)).toBe(
      ['  forecast  about 31 points by the end; 62 points', '            likely to carry over (PAY-108,', '            PAY-119)'].join(
        '\n',
      ),
    );
    expect(wrapText('   - pr authored: acme/ledger#68 Add refund flow (2026-11-23) https://github.com/acme/ledger/pull/68', 61)).toBe(
      ['   - pr authored: acme/ledger#68 Add refund flow (2026-11-23)', '     https://github.com/acme/ledger/pull/68'].join('\n'),
    );
    expect(wrapText('12. Rolling back a production deploy › Rolling back a production deploy › Roll back', 50)).toBe(
      ['12. Rolling back a production deploy › Rolling', '    back a production deploy › Roll back'].join('\n'),
    );
  });

  it('cuts a word longer than the line into pieces that fit', () => {
    const wrapped = wrapText(`  params     sha256 ${'0a43737c'.repeat(8)} of { type, target, params }`, 40);
    expect(widest(wrapped)).toBeLessThanOrEqual(40);
    expect(wrapped.replace(/\n +/g, '')).toContain('0a43737c'.repeat(8));
    expect(wrapped.split('\n')[0]).toBe('  params     sha256');
  });

  it('measures as a terminal shows text: wide characters take two columns, colour codes none', () => {
    const wide = wrapText('こんにちは世界 こんにちは世界 こんにちは世界', 32);
    expect(wide).toBe('こんにちは世界 こんにちは世界\nこんにちは世界');
    const coloured = `\u001b[1m${'word '.repeat(10).trim()}\u001b[22m`;
    expect(wrapText(coloured, 80)).toBe(coloured);
  });

  it('keeps a hanging indent only while it leaves room: a line indented past half the width continues at its indent', () => {
    const wrapped = wrapText(`${' '.repeat(4)}label:                              ${'word '.repeat(12).trim()}`, 50);
    expect(widest(wrapped)).toBeLessThanOrEqual(50);
    expect(wrapped.split('\n')[1]).toMatch(/^ {4}\S/);
  });
});
