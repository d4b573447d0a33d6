import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTable, setTableWidth, tableWidth } from './table.js';

const lines = (table: string) => table.split('\n');

describe('renderTable fits a width (issue 17)', () => {
  it('measures what a terminal shows: wide (CJK, emoji) characters take two columns', () => {
    const table = renderTable(
      ['Key', 'Owner', 'Title'],
      [
        ['PAY-1', '山田 太郎', '返金ステータスのAPIを公開して、決済チームのダッシュボードに表示する'],
        ['PAY-2', 'Zoë', '🚀 Ship the refund status API 🚀 to every merchant in the EU region'],
      ],
      { width: 40 },
    );
    for (const line of lines(table)) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines(table)[1]).toMatch(/^PAY-1 +山田 太郎 +返金.*…$/);
    expect(lines(table)[2]).toMatch(/^PAY-2 +Zoë {8}🚀 Ship.*…$/);
    // Columns line up on screen: every Title starts at the same column.
    const titleAt = lines(table).map((line) => stringWidth(line.slice(0, line.search(/(Title|返金|🚀)/))));
    expect(new Set(titleAt).size).toBe(1);
  });

  it('drops columns in the declared order, never the first, and right-aligns numbers', () => {
    const rows = [['apr_b554b40a749eec57950b7a68', 'pending', 'github.pr.merge', 'acme/ledger#32', 3]];
    const head = ['ID', 'STATUS', 'TYPE', 'TARGET', 'COUNT'];
    expect(renderTable(head, rows, { width: 200 })).toBe(
      [
        'ID                            STATUS   TYPE             TARGET          COUNT',
        'apr_b554b40a749eec57950b7a68  pending  github.pr.merge  acme/ledger#32      3',
      ].join('\n'),
    );
    const narrow = renderTable(head, rows, { width: 53, drop: [2, 4] });
    expect(lines(narrow)[0]).toMatch(/^ID +STATUS +TARGET$/);
    expect(lines(narrow)[1]).toMatch(/^apr_b554b40a749eec57950b7a68 +pending +acme\/ledger#32$/);
    const tiny = renderTable(head, rows, { width: 10, drop: [1, 2, 3, 4] });
    expect(tiny).toBe('ID\napr_b554b40a749eec57950b7a68');
  });
});

describe('setTableWidth', () => {
  it("takes the terminal's width on a terminal, else COLUMNS, else 80", () => {
    setTableWidth({ COLUMNS: '60' }, true, 132);
    expect(tableWidth()).toBe(132);
    setTableWidth({ COLUMNS: '60' }, false, 132);
    expect(tableWidth()).toBe(60);
    setTableWidth({ COLUMNS: '' }, false, undefined);
    expect(tableWidth()).toBe(80);
    setTableWidth({ COLUMNS: 'wide' }, true, undefined);
    expect(tableWidth()).toBe(80);
  });
});
