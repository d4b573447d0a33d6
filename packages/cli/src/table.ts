import { safeText } from '@teamstate/core';
import Table from 'cli-table3';

/** The longest cell shown; longer values are cut with an ellipsis. */
const MAX_CELL = 120;
/** A column is never cut narrower than this (or its heading). */
const MIN_COLUMN = 8;
/** A text column is cut below this only when no column is left to drop. */
const MIN_TEXT = 30;
const GAP = 2;

let terminalWidth = 80;

/**
 * The width tables fit: `COLUMNS` when set, else the terminal's width when stdout is one, else 80. Set once per
 * command by `main()`.
 */
export function setTableWidth(env: NodeJS.ProcessEnv, isTTY: boolean, ttyColumns: number | undefined): void {
  const fromEnv = Number(env.COLUMNS);
  terminalWidth = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : isTTY && ttyColumns ? ttyColumns : 80;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const width = (text: string) => Array.from(text.replace(ANSI, '')).length;

/**
 * Which columns fit `limit`, and how wide: the widest cuttable column is narrowed first (cells cut with "…");
 * before a text column would go under {@link MIN_TEXT}, the `drop` columns go (in that order); when nothing is left
 * to drop, columns are cut down to {@link MIN_COLUMN}, then dropped from the right. The first column and the
 * `styled` ones (coloured by the CLI: short labels) are never cut, and the first is never dropped.
 */
function fit(
  head: string[],
  cells: string[][],
  limit: number,
  styled: readonly number[],
  drop: readonly number[],
): { widths: number[]; shown: number[] } {
  const widths = head.map((h, i) => Math.max(width(h), ...cells.map((row) => width(row[i] ?? ''))));
  const shown = head.map((_, i) => i);
  const dropping = drop.filter((i) => i > 0 && i < head.length);
  const total = () => shown.reduce((sum, i) => sum + widths[i]!, 0) + GAP * (shown.length - 1);
  const remove = (i: number) => shown.splice(shown.indexOf(i), 1);
  while (total() > limit) {
    const excess = total() - limit;
    const cuttable = shown.filter((i) => i > 0 && !styled.includes(i) && widths[i]! > Math.max(MIN_COLUMN, width(head[i]!)));
    const widest = cuttable.reduce<number | undefined>((a, i) => (a === undefined || widths[i]! > widths[a]! ? i : a), undefined);
    const next = dropping.find((i) => shown.includes(i));
    if (widest !== undefined && (widths[widest]! - excess >= MIN_TEXT || next === undefined))
      widths[widest] = Math.max(MIN_COLUMN, width(head[widest]!), widths[widest]! - excess);
    else if (next !== undefined) remove(next);
    else if (shown.length > 1) remove(shown.at(-1)!);
    else break;
  }
  return { widths, shown };
}

/**
 * Renders rows as an aligned, borderless table (numbers right-aligned) that fits the terminal width (see
 * {@link setTableWidth}; `width` overrides it). Every cell is data: escape sequences and control characters are
 * removed and it stays on one line (`safeText`), except in the `styled` columns, whose cells the CLI itself coloured.
 */
export function renderTable(
  head: string[],
  rows: (string | number)[][],
  options: {
    align?: ('left' | 'right')[];
    styled?: readonly number[];
    /** Columns to leave out, in this order, rather than cut a text column short. */
    drop?: readonly number[];
    width?: number;
  } = {},
): string {
  const styled = options.styled ?? [];
  const cells = rows.map((row) =>
    row.map((value, column) =>
      styled.includes(column) ? String(value) : safeText(String(value), { singleLine: true, maxLength: MAX_CELL }),
    ),
  );
  const { widths, shown } = fit(head, cells, options.width ?? terminalWidth, styled, options.drop ?? []);
  const pick = <T>(row: T[]) => shown.map((i) => row[i]!);
  const cut = (text: string, column: number) =>
    styled.includes(column) || width(text) <= widths[column]! ? text : safeText(text, { maxLength: widths[column] });
  const table = new Table({
    head: shown.map((i) => cut(head[i]!, i)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: pick(options.align ?? head.map((_, i) => (rows.some((r) => typeof r[i] === 'number') ? 'right' : 'left'))),
  });
  table.push(...cells.map((row) => shown.map((i) => cut(row[i] ?? '', i))));
  return table.toString().replace(/[ \t]+$/gm, '');
}
