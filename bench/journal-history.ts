// A journal with a past, as a user's data dir has after months of trading: the exchange edge is
// measured on top of it, so that a read on an order's path that grows with the journal shows in
// the figures (a fresh data dir hides it: an empty table is fast whatever the query does).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PnlService } from '../main/engine/pnl/pnl-service.js';
import { openDatabase } from '../main/engine/store/database.js';
import { Journal } from '../main/engine/store/journal.js';

const DAY_MS = 86_400_000;
/** Of every three past orders, one was guarded by a stop that ended (cancelled or triggered). */
const GUARDED_EVERY = 3;

/**
 * Writes `orders` ended orders into the data dir's journal (the schema the CLI made), spread over the
 * last 90 days, on `symbols` of each exchange: filled Market orders with their entry leg and fill, a
 * third of them with a stop-loss that ended. Client order ids are `history-…`, never an engine's.
 * Run before the engine starts; one transaction.
 */
export function fillJournalHistory(dataDir: string, options: { orders: number; strategy: string; exchanges: readonly string[]; symbols: readonly string[] }): void {
  const db = openDatabase(dataDir);
  try {
    const order = db.prepare(
      `INSERT INTO orders (received_at, updated_at, source, strategy, exchange, account, symbol, side, intent, order_type, qty, dry_run, status, plan, request_json, market_symbol, market_type)
       VALUES (?, ?, 'api', ?, ?, 'default', ?, ?, ?, 'market', '0.01', 0, 'filled', ?, ?, ?, 'swap')`,
    );
    const leg = db.prepare(
      `INSERT INTO order_legs (order_id, leg, client_order_id, exchange_order_id, side, type, amount, reduce_only, status, filled, average_price, sent_at, answered_at, role, trigger_price)
       VALUES (?, ?, ?, ?, ?, 'market', '0.01', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const fill = db.prepare(
      `INSERT INTO fills (order_id, leg, strategy, exchange, account, dry_run, market_symbol, market_type, side, amount, price, source, at)
       VALUES (?, ?, ?, ?, 'default', 0, ?, 'swap', ?, '0.01', '60000', 'order', ?)`,
    );
    const start = Date.now() - 90 * DAY_MS;
    const step = (90 * DAY_MS) / options.orders;
    db.transaction(() => {
      for (let index = 0; index < options.orders; index++) {
        const exchange = options.exchanges[index % options.exchanges.length] as string;
        const symbol = options.symbols[Math.floor(index / options.exchanges.length) % options.symbols.length] as string;
        const marketSymbol = `${symbol.replace(/USDT$/, '')}/USDT:USDT`;
        // alternating on each exchange, so that positions are opened and closed (PnL realizes something)
        const buy = Math.floor(index / options.exchanges.length) % 2 === 0;
        const at = new Date(start + index * step).toISOString();
        const request = JSON.stringify({ strategy: options.strategy, exchange, symbol, side: buy ? 'Buy' : 'Sell', order_type: 'Market', qty: 0.01 });
        const id = Number(order.run(at, at, options.strategy, exchange, symbol, buy ? 'Buy' : 'Sell', buy ? 'buy' : 'sell', `${buy ? 'buy' : 'sell'} 0.01 ${marketSymbol} at market`, request, marketSymbol).lastInsertRowid);
        const side = buy ? 'buy' : 'sell';
        leg.run(id, 1, `history-${id}-1`, `h${id}`, side, 0, 'filled', '0.01', '60000', at, at, 'entry', null);
        fill.run(id, 1, options.strategy, exchange, marketSymbol, side, at);
        if (index % GUARDED_EVERY === 0) leg.run(id, 2, `history-${id}-2`, `h${id}s`, buy ? 'sell' : 'buy', 1, index % 2 === 0 ? 'cancelled' : 'filled', index % 2 === 0 ? '0' : '0.01', null, at, at, 'stop_loss', buy ? '59000' : '61000');
      }
    })();
  } finally {
    db.close();
  }
}

export interface PnlReadTimes {
  fills: number;
  /** The first PnL report of every strategy after start (it folds the whole journal), in ms. */
  firstReportMs: number;
  /** The longest the event loop was held at once meanwhile (an order arriving waits that long at most), in ms. */
  firstReportLongestBlockMs: number;
  /** The report again after one more order filled (the Strategies page reloads on every order), median of 3, in ms. */
  reportMs: number;
  /** One strategy's PnL curve (its detail page) after one more order filled, median of 3, in ms. */
  curveMs: number;
  /** The report after the newest order's fill was replaced by the exchange's trades (a rewrite of the past), median of 3, in ms. */
  rewriteReportMs: number;
}

/**
 * What the PnL views cost over this journal, timed with the engine's own code on its own thread (the
 * engine computes them where it handles orders, so an order that arrives meanwhile waits): the first
 * report, which folds everything, and the reports after each new order, which fold what changed.
 * Run after the engine stopped.
 */
export async function timePnlReads(dataDir: string, strategy: string): Promise<PnlReadTimes> {
  const db = openDatabase(dataDir);
  try {
    const journal = new Journal(db);
    const pnl = new PnlService(journal.fills, () => [strategy]);
    const fills = (db.prepare<[], { n: number }>('SELECT count(*) AS n FROM fills').get() as { n: number }).n;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const firstReportMs = await timed(() => pnl.report());
    delay.disable();
    let orders = 0;
    const filledOrder = () => {
      orders += 1;
      const orderId = journal.record({ source: 'api', apiKeyId: null, strategy, exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'market', qty: '0.01', price: null, memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
      journal.plan(orderId, 'buy 0.01 BTC/USDT:USDT at market', [{ leg: 1, clientOrderId: `bench-pnl-${orderId}-1`, side: 'buy', type: 'market', amount: '0.01', price: null, reduceOnly: false }], 'submitted');
      journal.updateLeg(orderId, 1, { status: 'filled', filled: '0.01', averagePrice: '60000' });
      return orderId;
    };
    const afterAnOrder = async (read: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        filledOrder();
        times.push(await timed(read));
      }
      return median(times);
    };
    const reportMs = await afterAnOrder(() => pnl.report());
    const curveMs = await afterAnOrder(() => pnl.curves({ strategy }));
    const rewrites: number[] = [];
    for (let run = 0; run < 3; run++) {
      const orderId = filledOrder();
      await pnl.report();
      const at = Date.now();
      const trades = [
        { tradeId: `bench-${orderId}-a`, amount: 0.004, price: 59_990, fee: 0, feeCurrency: 'USDT', at },
        { tradeId: `bench-${orderId}-b`, amount: 0.006, price: 60_010, fee: 0, feeCurrency: 'USDT', at },
      ];
      journal.fills.replaceWithTrades({ orderId, leg: 1, strategy, exchange: 'bybit', account: 'default', dryRun: false, marketSymbol: 'BTC/USDT:USDT', marketType: 'swap', side: 'buy' }, '0.01', trades);
      rewrites.push(await timed(() => pnl.report()));
    }
    return { fills, firstReportMs, firstReportLongestBlockMs: delay.max / 1e6, reportMs, curveMs, rewriteReportMs: median(rewrites) };
  } finally {
    db.close();
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
