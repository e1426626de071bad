import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Journal, OrderQuery } from '../store/journal.js';
import type { SignalLog, SignalQuery } from '../store/signal-log.js';
import { type CsvColumn, csvHeader, csvRecords } from './csv-writer.js';
import { type FillsOfLeg, ORDER_CSV_COLUMNS, orderCsvRows } from './order-csv.js';
import { SIGNAL_CSV_COLUMNS } from './signal-csv.js';

const PAGE = 500;

/**
 * A newest-first list as CSV text, chunk by chunk: the header, then a page of records at a time with
 * the event loop free between pages, so a long export neither holds the whole list in memory nor
 * keeps orders waiting. `limit`: at most this many items (all when absent).
 */
async function* pagedCsv<Item extends { id: number }, Row>(
  columns: readonly CsvColumn<Row>[],
  page: (beforeId: number | undefined, size: number) => Item[],
  rowsOf: (item: Item) => Iterable<Row>,
  limit: number | undefined,
): AsyncGenerator<string> {
  yield csvHeader(columns);
  let left = limit ?? Number.POSITIVE_INFINITY;
  let beforeId: number | undefined;
  while (left > 0) {
    const items = page(beforeId, Math.min(PAGE, left));
    if (items.length === 0) return;
    yield csvRecords(columns, items.flatMap((item) => [...rowsOf(item)]));
    left -= items.length;
    beforeId = (items[items.length - 1] as Item).id;
    if (items.length < PAGE) return;
    await nextTurn();
  }
}

/** The journal's orders that match `query`, newest first, one record per fill (or leg, or order, when there is none). */
export function ordersCsv(journal: Pick<Journal, 'list' | 'fills'>, query: Omit<OrderQuery, 'limit' | 'beforeId'>, limit?: number): AsyncGenerator<string> {
  const fillsOf: FillsOfLeg = (orderId, leg) => journal.fills.ofLeg(orderId, leg);
  return pagedCsv(ORDER_CSV_COLUMNS, (beforeId, size) => journal.list({ ...query, limit: size, ...(beforeId === undefined ? {} : { beforeId }) }), (order) => orderCsvRows(order, fillsOf), limit);
}

/** The signal log's entries that match `query`, newest first. */
export function signalsCsv(signals: Pick<SignalLog, 'list'>, query: Omit<SignalQuery, 'limit' | 'beforeId'>, limit?: number): AsyncGenerator<string> {
  return pagedCsv(SIGNAL_CSV_COLUMNS, (beforeId, size) => signals.list({ ...query, limit: size, ...(beforeId === undefined ? {} : { beforeId }) }), (signal) => [signal], limit);
}
