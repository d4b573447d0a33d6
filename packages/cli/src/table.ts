import Table from 'cli-table3';

/** Renders rows as an aligned, borderless table (numbers right-aligned). */
export function renderTable(head: string[], rows: (string | number)[][], options: { align?: ('left' | 'right')[] } = {}): string {
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
  table.push(...rows.map((row) => row.map(String)));
  return table.toString().replace(/[ \t]+$/gm, '');
}
