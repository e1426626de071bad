import { describe, expect, it } from 'vitest';
import { positionOf } from '../../main/engine/accounts/live-account.js';
import { FILL_STAMP_TOLERANCE_MS, PositionBook } from '../../main/engine/accounts/position-book.js';
import type { PositionRow } from '../../main/engine/exchanges/venue.js';

const SYMBOL = 'BTC/USDT:USDT';

function row(qty: number, updatedAt: number | null, side: PositionRow['side'] = 'both', symbol = SYMBOL): PositionRow {
  return { symbol, side, qty, entryPrice: null, markPrice: null, unrealizedPnl: null, leverage: null, marginMode: null, liquidationPrice: null, updatedAt };
}

function qtyOf(book: PositionBook, session: number): number | 'awaiting' | null {
  const read = book.read(SYMBOL, session);
  if (read === null) return null;
  if ('awaitingFill' in read) return 'awaiting';
  return positionOf(read.known, 'one-way').qty;
}

describe('PositionBook', () => {
  it('knows nothing of a symbol until a read or a push brings it, and only for that stream session', () => {
    const book = new PositionBook();
    expect(qtyOf(book, 1)).toBeNull();
    book.applySnapshot(book.beginSnapshot(SYMBOL), [row(2, 100)], 1);
    expect(qtyOf(book, 1)).toBe(2);
    // the stream failed since: pushes may have been missed
    expect(qtyOf(book, 2)).toBeNull();
  });

  it('takes a one-way push as the whole picture, in a new session too', () => {
    const book = new PositionBook();
    book.applyPush(row(-1, 100), 3);
    expect(qtyOf(book, 3)).toBe(-1);
  });

  it('drops a read that was under way when a push came: the push is at least as new', () => {
    const book = new PositionBook();
    const token = book.beginSnapshot(SYMBOL);
    book.applyPush(row(1, 200), 1);
    expect(book.applySnapshot(token, [row(0, 150)], 1)).toBe(false);
    expect(qtyOf(book, 1)).toBe(1);
  });

  it('drops a pushed row older than the one held', () => {
    const book = new PositionBook();
    book.applyPush(row(1, 200), 1);
    book.applyPush(row(5, 199), 1);
    expect(qtyOf(book, 1)).toBe(1);
  });

  it("waits for a push at or after the account's own fill, and knows the position again with it", () => {
    const book = new PositionBook();
    book.applyPush(row(0, 100), 1);
    book.noteFill(SYMBOL, 300);
    expect(qtyOf(book, 1)).toBe('awaiting');
    // a push about an earlier change does not carry the fill
    book.applyPush(row(0, 300 - FILL_STAMP_TOLERANCE_MS - 1), 1);
    expect(qtyOf(book, 1)).toBe('awaiting');
    book.applyPush(row(2, 300), 1);
    expect(qtyOf(book, 1)).toBe(2);
  });

  it('awaits nothing for a fill whose push came first (Binance sends the position before the order)', () => {
    const book = new PositionBook();
    book.applyPush(row(2, 301), 1);
    book.noteFill(SYMBOL, 300);
    expect(qtyOf(book, 1)).toBe(2);
  });

  it('takes a row stamped a moment before the order as the same fill (the position is updated first)', () => {
    const book = new PositionBook();
    book.applyPush(row(2, 299), 1);
    book.noteFill(SYMBOL, 300);
    expect(qtyOf(book, 1)).toBe(2);
  });

  it('knows nothing after a fill the exchange gave no time for, until the next read', () => {
    const book = new PositionBook();
    book.applyPush(row(0, 100), 1);
    book.noteFill(SYMBOL, null);
    expect(qtyOf(book, 1)).toBeNull();
    book.applySnapshot(book.beginSnapshot(SYMBOL), [row(1, null)], 1);
    expect(qtyOf(book, 1)).toBe(1);
  });

  it('a read begun after a fill was seen settles the wait for its push', () => {
    const book = new PositionBook();
    book.applyPush(row(0, 100), 1);
    book.noteFill(SYMBOL, 500);
    book.applySnapshot(book.beginSnapshot(SYMBOL), [row(3, 400)], 1);
    expect(qtyOf(book, 1)).toBe(3);
  });

  it('takes a read with no row for the symbol as flat (Binance lists open positions only)', () => {
    const book = new PositionBook();
    book.applySnapshot(book.beginSnapshot(SYMBOL), [row(4, 100, 'both', 'ETH/USDT:USDT')], 1);
    expect(qtyOf(book, 1)).toBe(0);
  });

  it("a hedge-mode row says the account's mode", () => {
    const book = new PositionBook();
    book.applyPush(row(1, 100, 'long'), 1);
    const read = book.read(SYMBOL, 1);
    expect(read && 'known' in read ? positionOf(read.known, 'one-way').mode : null).toBe('hedge');
  });

  it('wakes a reader at the symbol\'s next change', async () => {
    const book = new PositionBook();
    book.applyPush(row(0, 100), 1);
    book.noteFill(SYMBOL, 500);
    const started = performance.now();
    const woken = book.changed(SYMBOL, 5_000);
    setTimeout(() => book.applyPush(row(1, 500), 1), 20);
    await woken;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(qtyOf(book, 1)).toBe(1);
  });

  it('lists the open rows known for the session', () => {
    const book = new PositionBook();
    book.applyPush(row(1, 100), 1);
    book.applyPush(row(0, 100, 'both', 'ETH/USDT:USDT'), 1);
    expect(book.open(1).map((open) => open.symbol)).toEqual([SYMBOL]);
    expect(book.open(2)).toEqual([]);
  });
});
