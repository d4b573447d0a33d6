import { safeText } from '@teamstate/core';
import { graphemes, textWidth } from './text-width.js';

/** The longest cell shown in a fitted table; longer values are cut with an ellipsis. */
const MAX_CELL = 120;
/** A column is never cut narrower than this (or its heading). */
const MIN_COLUMN = 8;
/** A text column is cut below this only when no column is left to drop. */
const MIN_TEXT = 30;
const GAP = '  ';

let terminalWidth = 80;
/** Whether tables are fitted to {@link terminalWidth}: on a terminal or with `COLUMNS` set, not when piped. */
let fitting = false;

/**
 * Sets the width tables fit: the terminal's width when stdout is one (what the person sees, even when an exported
 * `COLUMNS` is stale), else `COLUMNS` when it is a positive whole number. Piped or redirected with no `COLUMNS`,
 * tables are not fitted (nothing is cut, no column dropped: a program or a file gets every cell whole) and prose
 * wraps at 80. Called once per command by `main()`.
 */
export function setTableWidth(env: NodeJS.ProcessEnv, isTTY: boolean, ttyColumns: number | undefined): void {
  const fromEnv = Number(env.COLUMNS);
  const columnsSet = Boolean(env.COLUMNS?.trim()) && Number.isInteger(fromEnv) && fromEnv > 0;
  fitting = (isTTY && ttyColumns !== undefined && ttyColumns > 0) || columnsSet;
  if (isTTY && ttyColumns !== undefined && ttyColumns > 0) terminalWidth = ttyColumns;
  else terminalWidth = columnsSet ? fromEnv : 80;
}

/** The width prose wraps to, and tables fit when they are fitted (see {@link setTableWidth}). */
export function tableWidth(): number {
  return terminalWidth;
}

/** The columns `text` takes on a terminal: escape sequences take none, wide (CJK, emoji) characters two. */
const width = textWidth;

/** `text` cut to at most `max` terminal columns, ending with "…" when cut (never half a wide character). */
function truncate(text: string, max: number): string {
  if (width(text) <= max) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = width(segment);
    if (used + w > max - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept}…`;
}

/**
 * Which columns fit `limit`, and how wide. The `drop` columns go first (in that order) while the table would not
 * fit even with its text columns cut to {@link MIN_TEXT}; then, while it would not fit with every column cut to
 * {@link MIN_COLUMN}, columns go from the right (never the `keep` ones). What is left is cut to fit, the widest
 * column first, one character at a time, so that long text columns share the cut. The first column, the `whole`
 * ones (coloured by the CLI, or right-aligned numbers: a cut number would mislead) are never cut, and the first is
 * never dropped.
 */
function fit(
  head: string[],
  cells: string[][],
  limit: number,
  options: { whole: readonly number[]; drop: readonly number[]; keep: readonly number[] },
): { widths: number[]; shown: number[] } {
  const widths = head.map((h, i) => Math.max(width(h), ...cells.map((row) => width(row[i] ?? ''))));
  const shown = head.map((_, i) => i);
  const cuttable = (i: number) => i > 0 && !options.whole.includes(i);
  const floor = (i: number, least: number) => (cuttable(i) ? Math.min(widths[i]!, Math.max(least, width(head[i]!))) : widths[i]!);
  const total = (least?: number) =>
    shown.reduce((sum, i) => sum + (least === undefined ? widths[i]! : floor(i, least)), 0) + GAP.length * (shown.length - 1);
  const remove = (i: number) => shown.splice(shown.indexOf(i), 1);
  const droppable = options.drop.filter((i) => i > 0 && i < head.length && !options.keep.includes(i));
  const nextDrop = () => droppable.find((i) => shown.includes(i));
  const lastDroppable = () => shown.findLast((i) => i > 0 && !options.keep.includes(i));
  for (let next = nextDrop(); next !== undefined && total(MIN_TEXT) > limit; next = nextDrop()) remove(next);
  for (let last = lastDroppable(); last !== undefined && total(MIN_COLUMN) > limit; last = lastDroppable()) remove(last);
  while (total() > limit) {
    const widest = shown
      .filter((i) => widths[i]! > floor(i, MIN_COLUMN))
      .reduce<number | undefined>((a, i) => (a === undefined || widths[i]! > widths[a]! ? i : a), undefined);
    if (widest === undefined) break;
    widths[widest]!--;
  }
  return { widths, shown };
}

/** The marker around the words a cell of a `marked` column stresses (a search snippet's matched words). */
const MARK = '**';

/**
 * A cell with words marked `**like this**`: its text without the markers, and where the marked words are in it. A
 * marker left without its pair is left out too.
 */
function unmark(text: string): { plain: string; ranges: [number, number][] } {
  const parts = text.split(MARK);
  const paired = Math.floor((parts.length - 1) / 2) * 2;
  let plain = '';
  const ranges: [number, number][] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1 && i < paired && part !== '') ranges.push([plain.length, plain.length + part.length]);
    plain += part;
  });
  return { plain, ranges };
}

/** `text` (a prefix of a cell's plain text, maybe ending with "…") with the marked ranges painted. */
function paintRanges(text: string, ranges: readonly [number, number][], paint: (text: string) => string): string {
  const kept = text.endsWith('…') ? text.length - 1 : text.length;
  let painted = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start >= kept) break;
    painted += text.slice(at, start) + paint(text.slice(start, Math.min(end, kept)));
    at = Math.min(end, kept);
  }
  return painted + text.slice(at);
}

/**
 * Renders rows as an aligned, borderless table (numbers right-aligned, two spaces between columns) that fits the
 * terminal width (see {@link setTableWidth}; `width` overrides it), measured as a terminal shows text; piped with no
 * `COLUMNS`, it keeps its natural width instead (no cell cut, no column dropped). Every cell is data: escape
 * sequences and control characters are removed and it stays on one line (`safeText`), except in the `styled`
 * columns, whose cells the CLI itself coloured, and the `multiline` ones, whose line breaks are kept: each line of
 * a cell goes on its own line of the table, under its column. In the `marked` columns, words marked `**like this**`
 * are measured and cut as shown, without the markers, then painted with `marked.paint` (bold on a terminal, as is
 * elsewhere): a raw `**` is never shown.
 *
 * @example renderTable(['ID', 'STATUS', 'TARGET'], rows, { drop: [1] }) // STATUS goes before TARGET is cut short
 */
export function renderTable(
  head: string[],
  rows: (string | number)[][],
  options: {
    align?: ('left' | 'right')[];
    styled?: readonly number[];
    /** Columns to leave out, in this order, rather than cut a text column short. */
    drop?: readonly number[];
    /** Columns never dropped, besides the first (the text that identifies a row when the first does not). */
    keep?: readonly number[];
    /** Columns whose cells keep their line breaks (a daily report): one table line per line of text. */
    multiline?: readonly number[];
    /** Columns whose cells mark words `**like this**`, and how to show those words. */
    marked?: { columns: readonly number[]; paint: (text: string) => string };
    width?: number;
  } = {},
): string {
  const styled = options.styled ?? [];
  const multiline = options.multiline ?? [];
  const marked = options.marked;
  const limit = options.width ?? (fitting ? terminalWidth : Number.POSITIVE_INFINITY);
  const maxLength = Number.isFinite(limit) ? MAX_CELL : undefined;
  const one = (text: string) => safeText(text, { singleLine: true, ...(maxLength ? { maxLength } : {}) });
  // Each cell as its lines: one, but in the multiline columns (tabs there become a space, as on one line).
  const lines = (value: string, column: number): string[] => {
    if (styled.includes(column)) return [value];
    if (!multiline.includes(column)) return [one(value)];
    return safeText(value).replace(/\s+$/, '').replace(/\t/g, ' ').split('\n').map(one);
  };
  // The table's lines: a row takes as many as its tallest cell, the other cells blank below their first.
  const ranges = new Map<string, [number, number][]>();
  const cells: string[][] = [];
  for (const row of rows) {
    const split = head.map((_, column) => lines(String(row[column] ?? ''), column));
    const height = Math.max(...split.map((cell) => cell.length));
    for (let k = 0; k < height; k++) {
      cells.push(
        split.map((cell, column) => {
          const text = cell[k] ?? '';
          if (!marked?.columns.includes(column)) return text;
          const { plain, ranges: found } = unmark(text);
          ranges.set(`${cells.length + 1}:${column}`, found);
          return plain;
        }),
      );
    }
  }
  const align = options.align ?? head.map((_, i) => (rows.some((r) => typeof r[i] === 'number') ? 'right' : 'left'));
  const { widths, shown } = fit(head, cells, limit, {
    whole: head.map((_, i) => i).filter((i) => styled.includes(i) || align[i] === 'right'),
    drop: options.drop ?? [],
    keep: options.keep ?? [],
  });
  const line = (row: string[], r: number) =>
    shown
      .map((i) => {
        const cut = styled.includes(i) ? row[i]! : truncate(row[i]!, widths[i]!);
        const padding = ' '.repeat(Math.max(0, widths[i]! - width(cut)));
        const marks = ranges.get(`${r}:${i}`);
        const text = marked && marks ? paintRanges(cut, marks, marked.paint) : cut;
        return align[i] === 'right' ? padding + text : text + padding;
      })
      .join(GAP)
      .trimEnd();
  return [head, ...cells].map(line).join('\n');
}
