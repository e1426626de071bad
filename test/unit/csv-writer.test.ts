import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine, csvRecords } from '../../main/engine/csv/csv-writer.js';
import { ORDER_CSV_COLUMNS, orderCsvRows } from '../../main/engine/csv/order-csv.js';
import type { Fill } from '../../main/engine/store/fills.js';
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

  it('writes an order once per fill of each leg, a leg without fills once, and an order without legs once', () => {
    const leg = { leg: 1, role: 'entry', triggerPrice: null, clientOrderId: 'apx-7-1', exchangeOrderId: 'E1', side: 'buy', type: 'market', amount: '3', price: null, reduceOnly: false, status: 'filled', filled: '3', averagePrice: '100.5', fee: '0.18', feeCurrency: 'USDT', sentAt: null, answeredAt: null, error: null } as const;
    const sar = order(7, { status: 'filled', legs: [leg, { ...leg, leg: 2, clientOrderId: 'apx-7-2', filled: '2', averagePrice: '101', fee: null, feeCurrency: null }] });
    const skipped = order(8, { status: 'skipped', plan: 'Close: nothing open' });
    const fill = (id: number, amount: string, price: string, fee: string): Fill => ({ id, orderId: 7, leg: 1, strategy: 's', exchange: 'bybit', account: 'default', dryRun: false, marketSymbol: 'BTC/USDT:USDT', marketType: 'swap', side: 'buy', amount, price, fee, feeCurrency: 'USDT', source: 'trade', tradeId: `T${id}`, at: '2026-12-01T10:00:00.000Z' });
    const fillsOf = (orderId: number, legNumber: number) => (orderId === 7 && legNumber === 1 ? [fill(1, '1', '100', '0.06'), fill(2, '2', '100.75', '0.12')] : []);
    const rows = [...orderCsvRows(sar, fillsOf), ...orderCsvRows(skipped, fillsOf)];
    expect(rows.map((row) => [row.order.id, row.leg?.leg ?? null, row.fill?.id ?? null])).toEqual([[7, 1, 1], [7, 1, 2], [7, 2, null], [8, null, null]]);
    const lines = (csvHeader(ORDER_CSV_COLUMNS) + csvRecords(ORDER_CSV_COLUMNS, rows)).split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const cell = (line: number, column: string) => (lines[line] ?? '').split(',')[header.indexOf(column)];
    const columns = ['filled', 'fee', 'fill_amount', 'fill_price', 'fill_fee', 'fill_fee_currency', 'fill_source', 'trade_id'];
    expect(columns.map((column) => cell(1, column))).toEqual(['3', '0.18', '1', '100', '0.06', 'USDT', 'trade', 'T1']);
    expect(columns.map((column) => cell(2, column))).toEqual(['3', '0.18', '2', '100.75', '0.12', 'USDT', 'trade', 'T2']);
    expect(columns.map((column) => cell(3, column))).toEqual(['2', '', '', '', '', '', '', '']);
    expect([cell(4, 'status'), cell(4, 'plan'), cell(4, 'leg'), cell(4, 'fill_amount')]).toEqual(['skipped', 'Close: nothing open', '', '']);
  });
});

describe('what the writer writes reads back', () => {
  it('as the same cells, through the tests’ own RFC 4180 reader', async () => {
    const { parseCsv } = await import('../support/csv.js');
    const cells = ['a,b', 'say "hi"', 'two\r\nlines', '', 'plain'];
    expect(parseCsv(csvLine(cells) + csvLine(['x', null, '=1']))).toEqual([cells, ['x', '', "'=1"]]);
  });
});
