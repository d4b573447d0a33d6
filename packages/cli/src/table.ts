import { safeText } from '@teamstate/core';
import Table from 'cli-table3';

/** The longest cell shown; longer values are cut with an ellipsis. */
const MAX_CELL = 120;

/**
 * Renders rows as an aligned, borderless table (numbers right-aligned). Every cell is data: escape sequences
 * and control characters are removed and it stays on one line (`safeText`), except in the `styled` columns,
 * whose cells the CLI itself coloured.
 */
export function renderTable(
  head: string[],
  rows: (string | number)[][],
  options: { align?: ('left' | 'right')[]; styled?: readonly number[] } = {},
): string {
  const table = new Table({
    head,
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
    colAligns: options.align ?? head.map((_, i) => (rows.some((r) => typeof r[i] === 'number') ? 'right' : 'left')),
  });
  const cell = (value: string | number, column: number) =>
    options.styled?.includes(column) ? String(value) : safeText(String(value), { singleLine: true, maxLength: MAX_CELL });
  table.push(...rows.map((row) => row.map(cell)));
  return table.toString().replace(/[ \t]+$/gm, '');
}
