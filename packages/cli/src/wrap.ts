import { tableWidth } from './table.js';
import { graphemes, textWidth } from './text-width.js';

/** No line is wrapped narrower than this, whatever the terminal says. */
const MIN_WIDTH = 20;

/**
 * What starts a line's text and sets where its continuation lines start: a list marker (`- `, `* `, `• `, `1. `,
 * `!! `, `! `), a JSON key (`"text": `), or a short label followed by two spaces or more (`  forecast  `,
 * `  reviewed  `, `  params     `).
 */
function marker(text: string): string {
  const found = /^(?:[-*•]|!!?|\d{1,3}\.) +(?=\S)|^"[^"]{1,40}": +(?=\S)/.exec(text)?.[0];
  if (found !== undefined) return found;
  const label = /^\S+(?: \S+)? {2,}(?=\S)/.exec(text)?.[0];
  return label !== undefined && textWidth(label) <= 24 ? label : '';
}

/** `word` cut after at most `room` columns (at least one character, so that a line always moves on). */
function cut(word: string, room: number): [string, string] {
  let piece = '';
  let used = 0;
  for (const { segment } of graphemes(word)) {
    const w = textWidth(segment);
    if (piece !== '' && used + w > room) break;
    piece += segment;
    used += w;
  }
  return [piece, word.slice(piece.length)];
}

/** One line wrapped to `width` columns, its continuation lines under where its text starts (see {@link marker}). */
function wrapLine(line: string, width: number): string[] {
  if (textWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const head = indent + marker(line.slice(indent.length));
  // A hanging indent past half the line would leave too little room: continue at the line's indent, or at the margin.
  let hang = textWidth(head);
  if (hang > width / 2) hang = indent.length <= width / 2 ? indent.length : 0;
  const pad = ' '.repeat(hang);
  const lines: string[] = [];
  let current = head;
  let used = textWidth(head);
  let empty = true;
  const flush = () => {
    lines.push(current.trimEnd());
    current = pad;
    used = hang;
    empty = true;
  };
  for (const [, spaces, text] of line.slice(head.length).matchAll(/( *)(\S+)/g)) {
    let word = text!;
    // Spaces between words stay as they were on a line; a continuation line starts with the word.
    let gap = empty && lines.length > 0 ? '' : spaces!;
    if (!empty && used + gap.length + textWidth(word) > width) {
      flush();
      gap = '';
    }
    while (used + gap.length + textWidth(word) > width) {
      const room = width - used - gap.length;
      if (room < 1) {
        flush();
        gap = '';
        continue;
      }
      const [piece, rest] = cut(word, room);
      current += gap + piece;
      flush();
      gap = '';
      word = rest;
    }
    current += gap + word;
    used += gap.length + textWidth(word);
    empty = false;
  }
  lines.push(current.trimEnd());
  return lines;
}

/**
 * Prose (a digest, a passage, an approval) wrapped to the width of the terminal: its width on a terminal, else
 * `COLUMNS`, else 80 even piped, as wrapping loses no word ({@link tableWidth}; `width` overrides it). Lines break
 * between words; a continuation line starts under the text of its first line (after its indent, list marker or
 * label); a word wider than the line is cut into pieces. Width is what a terminal shows: wide characters take two
 * columns, escape sequences none. Lines that fit, blank lines and the text's final newline stay as they were.
 * `--json` is never wrapped: commands wrap only what they print for a person.
 *
 * @example wrapText(digest.text) // each line at most 80 columns when stdout is not a terminal
 */
export function wrapText(text: string, width: number = tableWidth()): string {
  const limit = Math.max(MIN_WIDTH, width);
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, limit))
    .join('\n');
}
