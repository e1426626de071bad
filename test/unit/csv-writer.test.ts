import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine, csvRecords } from '../../main/engine/csv/csv-writer.js';
import { ORDER_CSV_COLUMNS, orderCsvRows } from '../../main/engine/csv/order-csv.js';
import { order } from '../ui/fixtures.js';

describe('csvCell (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\nhere', '"crlf\r\nhere"'],
    ['ak_12ab…cdef', 'ak_12ab…cdef'],
    ['sp ace', 'sp ace'],
  ])('%j is written %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes null as an empty field, numbers and booleans as they are', () => {
    expect([csvCell(null), csvCell(42), csvCell(-1.5), csvCell(true), csvCell(false)]).toEqual(['', '42', '-1.5', 'true', 'false']);
  });
});

describe('csvCell against formula injection', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+cmd', `"'+cmd"`],
    ['-2', `"'-2"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ["=cmd|'/c calc'!A0", `"'=cmd|'/c calc'!A0"`],
  ])('%j is prefixed with an apostrophe and quoted: %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('leaves text that only holds those characters later alone', () => {
    expect([csvCell('a=b'), csvCell('1-2'), csvCell('x@y')]).toEqual(['a=b', '1-2', 'x@y']);
  });
});

describe('records', () => {
  it('end every line with CRLF, the last one too', () => {
    expect(csvLine(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
    const columns = [
      { header: 'id', cell: (row: { id: number; note: string }) => row.id },
      { header: 'note', cell: (row: { id: number; note: string }) => row.note },
    ];
    expect(csvHeader(columns) + csvRecords(columns, [{ id: 1, note: 'x' }, { id: 2, note: '=2' }])).toBe(`id,note\r\n1,x\r\n2,"'=2"\r\n`);
  });

  it('writes an order once per leg, and an order without legs once', () => {
    const leg = { leg: 1, role: 'entry', triggerPrice: null, clientOrderId: 'apx-7-1', exchangeOrderId: 'E1', side: 'buy', type: 'market', amount: '1', price: null, reduceOnly: false, status: 'filled', filled: '1', averagePrice: '100.5', fee: null, feeCurrency: null, sentAt: null, answeredAt: null, error: null } as const;
    const sar = order(7, { status: 'filled', legs: [leg, { ...leg, leg: 2, clientOrderId: 'apx-7-2', filled: '2', averagePrice: '101' }] });
    const skipped = order(8, { status: 'skipped', plan: 'Close: nothing open' });
    const rows = [...orderCsvRows(sar), ...orderCsvRows(skipped)];
    expect(rows.map((row) => [row.order.id, row.leg?.leg ?? null])).toEqual([[7, 1], [7, 2], [8, null]]);
    const lines = (csvHeader(ORDER_CSV_COLUMNS) + csvRecords(ORDER_CSV_COLUMNS, rows)).split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const cell = (line: number, column: string) => (lines[line] ?? '').split(',')[header.indexOf(column)];
    expect([cell(1, 'filled'), cell(1, 'average_price'), cell(2, 'filled'), cell(2, 'average_price')]).toEqual(['1', '100.5', '2', '101']);
    expect([cell(3, 'status'), cell(3, 'plan'), cell(3, 'leg')]).toEqual(['skipped', 'Close: nothing open', '']);
  });
});

describe('what the writer writes reads back', () => {
  it('as the same cells, through the tests’ own RFC 4180 reader', async () => {
    const { parseCsv } = await import('../support/csv.js');
    const cells = ['a,b', 'say "hi"', 'two\r\nlines', '', 'plain'];
    expect(parseCsv(csvLine(cells) + csvLine(['x', null, '=1']))).toEqual([cells, ['x', '', "'=1"]]);
  });
});
