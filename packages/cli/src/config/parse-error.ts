import { safeText } from '@teamstate/core';
import { textWidth } from '../text-width.js';

/** A key whose value is a secret: its value is masked on a line an error shows. */
const SECRET_KEY = /token|secret|password|passwd|key|auth|email|credential/i;
/** `key: value` (block or flow, quoted or not) on one line. */
const KEY_VALUE = /(["']?([A-Za-z_][\w-]*)["']?\s*:\s*)("[^"]*"|'[^']*'|\$\{[A-Za-z_]\w*\}|[^\s,}\]#]+)/g;
const REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/**
 * Where the parser stopped, as 1-based line and column of the text it parsed, and its message without the position
 * (the `yaml` package's error carries `linePos`; JSON.parse says `at position N`); `undefined` when it does not say.
 */
function located(error: unknown, parsed: string): { line: number; col: number; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const linePos = (error as { linePos?: [{ line: number; col: number }] }).linePos?.[0];
  if (linePos) return { ...linePos, message: error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '') };
  const position = / in JSON at position (\d+)/.exec(error.message);
  if (!position) return undefined;
  const before = parsed.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return { line, col: before.length - before.lastIndexOf('\n'), message: error.message.slice(0, position.index) };
}

/**
 * The column of `writtenLine` (the line as in the file) that column `col` of the same line as parsed points at:
 * parsing saw each `${NAME}` as a longer placeholder (`placeholder(reference)`), so columns after one move back.
 */
function writtenColumn(writtenLine: string, col: number, placeholder: (reference: string) => string): number {
  const target = col - 1;
  let shift = 0;
  for (const match of writtenLine.matchAll(new RegExp(REFERENCE, 'g'))) {
    const start = match.index + shift;
    if (target < start) break;
    const length = placeholder(match[0]).length;
    if (target < start + length) return match.index + 1;
    shift += length - match[0].length;
  }
  return target - shift + 1;
}

/** The line shown under a parse error: on one line, without escapes, secret values masked (references kept). */
function shownLine(line: string): string {
  return safeText(
    line.replace(KEY_VALUE, (all, key: string, name: string, value: string) =>
      SECRET_KEY.test(name) && !REFERENCE.test(value) ? `${key}********` : all,
    ),
    { singleLine: true, maxLength: 400 },
  );
}

/**
 * A parse error of a config or policy file, as a person can act on it: `line 4, column 1: <what is wrong>`, then the
 * line as written in the file (numbered, secret values masked) and a caret under the column. `written` is the file as
 * written, `parsed` the text the parser saw (each `${NAME}` swapped for `placeholder(...)`). Without a position, the
 * parser's first line.
 *
 * @example describeParseError(error, written, parsed, placeholder)
 * // "line 4, column 1: Flow map in block collection must be sufficiently indented and end with a }\n    4 | workspace: acme\n      | ^"
 */
export function describeParseError(error: unknown, written: string, parsed: string, placeholder: (reference: string) => string): string {
  const where = located(error, parsed);
  if (!where) return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const writtenLine = written.split('\n')[where.line - 1]?.replace(/\r$/, '');
  if (writtenLine === undefined) return `line ${where.line}, column ${where.col}: ${where.message}`;
  const col = writtenColumn(writtenLine, where.col, placeholder);
  const number = where.line.toString().padStart(5);
  // The caret sits under the column as the line is shown (a tab shows as \t, a wide character takes two columns).
  const caret = ' '.repeat(textWidth(shownLine(writtenLine.slice(0, col - 1))));
  return [
    `line ${where.line}, column ${col}: ${where.message}`,
    `${number} | ${shownLine(writtenLine)}`,
    `${' '.repeat(number.length)} | ${caret}^`,
  ].join('\n');
}
