import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal } from '../../main/engine/store/journal.js';

let db: Database;
let journal: Journal;
let orderId: number;

beforeEach(() => {
  db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-fills-')));
  journal = new Journal(db);
  orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'trend', exchange: 'bybit', account: 'main', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'limit', qty: '1', price: '120', memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
  journal.plan(orderId, 'buy 1', [{ leg: 1, clientOrderId: `apx-${orderId}-1`, side: 'buy', type: 'limit', amount: '1', price: '120', reduceOnly: false }], 'submitted');
});

afterEach(() => db.close());

const context = () => ({ orderId, leg: 1, strategy: 'trend', exchange: 'bybit', account: 'main', dryRun: false, marketSymbol: 'BTC/USDT:USDT', marketType: 'swap' as const, side: 'buy' as const });

describe('fills from a leg’s running totals', () => {
  it('journals each growth of the filled amount as a fill, at the price and fee the totals imply', () => {
    journal.updateLeg(orderId, 1, { status: 'open', filled: '0', averagePrice: null });
    journal.updateLeg(orderId, 1, { status: 'partially_filled', filled: '0.5', averagePrice: '100', fee: '0.05', feeCurrency: 'USDT' });
    // the same totals again (a push and a look-up of one change): no second fill
    journal.updateLeg(orderId, 1, { status: 'partially_filled', filled: '0.5', averagePrice: '100', fee: '0.05', feeCurrency: 'USDT' });
    // 0.5 more, the average now 110: that half filled at 120; the fee went from 0.05 to 0.11
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: '110', fee: '0.11', feeCurrency: 'USDT', answeredAt: '2026-11-30T10:00:00.000Z' });
    expect(journal.fills.ofLeg(orderId, 1).map(({ amount, price, fee, feeCurrency, source, strategy, account, side }) => ({ amount, price, fee, feeCurrency, source, strategy, account, side }))).toEqual([
      { amount: '0.5', price: '100', fee: '0.05', feeCurrency: 'USDT', source: 'order', strategy: 'trend', account: 'main', side: 'buy' },
      { amount: '0.5', price: '120', fee: '0.06', feeCurrency: 'USDT', source: 'order', strategy: 'trend', account: 'main', side: 'buy' },
    ]);
    expect(journal.fills.ofLeg(orderId, 1)[1]?.at).toBe('2026-11-30T10:00:00.000Z');
    expect(journal.get(orderId)?.legs[0]).toMatchObject({ fee: '0.11', feeCurrency: 'USDT' });
  });

  it('keeps the fill when the exchange tells no fee, and a price-less one when it tells no average', () => {
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: null });
    expect(journal.fills.ofLeg(orderId, 1)).toEqual([expect.objectContaining({ amount: '1', price: null, fee: null })]);
  });

  it('takes the exchange’s trades in place of what the totals implied only when they add up to the leg', () => {
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: '110' });
    const trades = [
      { tradeId: 't2', amount: 0.6, price: 115, fee: 0.069, feeCurrency: 'USDT', at: Date.parse('2026-11-30T10:00:02.000Z') },
      { tradeId: 't1', amount: 0.4, price: 102.5, fee: 0.041, feeCurrency: 'USDT', at: Date.parse('2026-11-30T10:00:01.000Z') },
    ];
    // a list still being written (one trade of two) would lose money: refused, nothing changes
    expect(journal.fills.replaceWithTrades(context(), '1', trades.slice(0, 1))).toBe(false);
    expect(journal.fills.ofLeg(orderId, 1)).toHaveLength(1);
    expect(journal.fills.replaceWithTrades(context(), '1', trades)).toBe(true);
    expect(journal.fills.ofLeg(orderId, 1).map(({ tradeId, amount, price, fee, source, at }) => ({ tradeId, amount, price, fee, source, at }))).toEqual([
      { tradeId: 't1', amount: '0.4', price: '102.5', fee: '0.041', source: 'trade', at: '2026-11-30T10:00:01.000Z' },
      { tradeId: 't2', amount: '0.6', price: '115', fee: '0.069', source: 'trade', at: '2026-11-30T10:00:02.000Z' },
    ]);
  });

  it('lists a strategy’s fills oldest first, by account and since a time', () => {
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: '110', answeredAt: '2026-11-30T10:00:00.000Z' });
    expect(journal.fills.list({ strategy: 'trend' })).toHaveLength(1);
    expect(journal.fills.list({ strategy: 'other' })).toHaveLength(0);
    expect(journal.fills.list({ exchange: 'bybit', account: 'default' })).toHaveLength(0);
    expect(journal.fills.list({ since: '2026-11-30T10:00:00.001Z' })).toHaveLength(0);
  });

});

describe('what a reader that folds fills learns from a mark', () => {
  const trade = (tradeId: string, amount: number, second: number) => ({ tradeId, amount, price: 100 + second, fee: 0, feeCurrency: 'USDT', at: Date.parse(`2026-11-30T10:00:0${second}.000Z`) });

  it('hands out ids above every earlier one even when the newest fills are replaced by trades', () => {
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: '110', answeredAt: '2026-11-30T10:00:05.000Z' });
    const before = journal.fills.mark();
    const replacedId = journal.fills.ofLeg(orderId, 1)[0]?.id as number;
    expect(before.lastId).toBe(replacedId);
    expect(journal.fills.replaceWithTrades(context(), '1', [trade('t1', 0.4, 1), trade('t2', 0.6, 2)])).toBe(true);
    const after = journal.fills.mark();
    const ids = journal.fills.ofLeg(orderId, 1).map((fill) => fill.id);
    expect(ids.every((id) => id > replacedId)).toBe(true);
    // what the mark says was added is exactly the trades, and the rewrite names the leg and the earliest time it touched
    expect(journal.fills.byIds(before.lastId, after.lastId).map((fill) => fill.tradeId)).toEqual(['t1', 't2']);
    expect(journal.fills.rewritesBetween(before, after)).toEqual([{ seq: 1, context: context(), from: '2026-11-30T10:00:05.000Z' }]);
    expect(journal.fills.rewritesBetween(after, after)).toEqual([]);
  });

  it('lists only what sorts after a cursor (by time, then id) and was there at a mark', () => {
    journal.updateLeg(orderId, 1, { status: 'filled', filled: '1', averagePrice: '110' });
    journal.fills.replaceWithTrades(context(), '1', [trade('t1', 0.4, 1), trade('t2', 0.3, 1), trade('t3', 0.3, 2)]);
    const [first, second, third] = journal.fills.list({ strategy: 'trend' });
    if (!first || !second || !third) throw new Error('three fills expected');
    const tradeIds = (fills: { tradeId: string | null }[]) => fills.map((fill) => fill.tradeId);
    // t1 and t2 share a time: the id orders them
    expect(tradeIds(journal.fills.list({ strategy: 'trend', after: { at: first.at, id: first.id } }))).toEqual(['t2', 't3']);
    expect(tradeIds(journal.fills.list({ strategy: 'trend', after: { at: second.at, id: second.id } }))).toEqual(['t3']);
    expect(tradeIds(journal.fills.list({ strategy: 'trend', throughId: second.id }))).toEqual(['t1', 't2']);
  });
});
