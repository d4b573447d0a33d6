import { createRequire } from 'node:module';

/**
 * Text whose every character takes one terminal column, whatever comes next: printable ASCII, the letters and signs of
 * Latin-1 and Latin Extended (not the soft hyphen, which takes none), general punctuation (dashes, quotes, bullets,
 * the ellipsis), arrows, mathematical operators and box drawing. None of them is wide, an emoji, a mark that joins
 * the character before it, or invisible.
 */
export const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u257f]*$/;

let stringWidth: ((text: string) => number) | undefined;
let segmenter: Intl.Segmenter | undefined;

/**
 * The columns `text` takes on a terminal: escape sequences take none, wide (CJK, emoji) characters two. Text of
 * {@link NARROW} characters is counted as it is; other text loads string-width the first time (its start sets up
 * Unicode segmentation, about 30 ms, which most commands' output does not need).
 */
export function textWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  stringWidth ??= loadStringWidth();
  return stringWidth(text);
}

/**
 * string-width, loaded by require() (the width is asked for synchronously). Node 22.12 warns when require() loads an
 * ES module from outside node_modules (a build in a clone), as it does here; that warning is not shown.
 */
function loadStringWidth(): (text: string) => number {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!/loading ES Module .* using require\(\)/.test(String(warning))) emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * The grapheme clusters of `text` (what a terminal shows as one character): each character of {@link NARROW} text is
 * one; other text is segmented by a segmenter made on first use.
 */
export function graphemes(text: string): Iterable<{ segment: string }> {
  if (NARROW.test(text)) return Array.from(text, (segment) => ({ segment }));
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}
