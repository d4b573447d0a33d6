import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTable, setTableWidth, tableWidth } from '../src/table.js';

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

describe('renderTable shows marked words (finding 6: search snippets)', () => {
  const bold = (text: string) => `<b>${text}</b>`;
  const plain = (text: string) => text;

  it('paints the words a cell marks with ** on a terminal, and shows them plain otherwise: never a raw **', () => {
    const rows = [['ana-garcia', '…merged the **ledger_sync** retry and the **ledger_sync** backfill']];
    const head = ['Person', 'Report'];
    expect(lines(renderTable(head, rows, { width: 200, marked: { columns: [1], paint: bold } }))[1]).toBe(
      'ana-garcia  …merged the <b>ledger_sync</b> retry and the <b>ledger_sync</b> backfill',
    );
    expect(lines(renderTable(head, rows, { width: 200, marked: { columns: [1], paint: plain } }))[1]).toBe(
      'ana-garcia  …merged the ledger_sync retry and the ledger_sync backfill',
    );
  });

  it('measures and cuts the words as shown, painting only what is kept', () => {
    const rows = [['ana-garcia', 'the **ledger_sync** retry and the **ledger_sync** backfill']];
    // 12 for the person and the gap, 28 for the report: "the ledger_sync retry and t…".
    const table = renderTable(['Person', 'Report'], rows, { width: 40, marked: { columns: [1], paint: bold } });
    expect(lines(table)[1]).toBe('ana-garcia  the <b>ledger_sync</b> retry and t…');
    const cutInside = renderTable(['Person', 'Report'], rows, { width: 20, marked: { columns: [1], paint: bold } });
    expect(lines(cutInside)[1]).toBe('ana-garcia  the <b>led</b>…');
  });

  it('leaves an unpaired ** out, and cells of other columns as they are', () => {
    const rows = [['**x**', 'a **b** c **d']];
    expect(lines(renderTable(['A', 'B'], rows, { width: 80, marked: { columns: [1], paint: bold } }))[1]).toBe('**x**  a <b>b</b> c d');
  });
});
