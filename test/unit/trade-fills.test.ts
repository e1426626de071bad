import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketRef, OrderTrade, Venue } from '../../main/engine/exchanges/venue.js';
import { TradeFills } from '../../main/engine/orders/trade-fills.js';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal } from '../../main/engine/store/journal.js';
import { silentLog } from '../support/engine.js';
import { until } from '../support/eventually.js';

// A leg that ended filled gets the exchange's own trades as its fills: those its account's stream
// pushed when they add up to the leg, else one read of the exchange's trade list (its REST).

const MARKET: MarketRef = { symbol: 'BTC/USDT:USDT', type: 'swap' };
const TIMING = { firstAfterMs: 5, retryAfterMs: 5, attempts: 2 };
const TRADES: OrderTrade[] = [
  { tradeId: 't1', amount: 0.4, price: 100, fee: 0.024, feeCurrency: 'USDT', at: Date.parse('2026-12-01T10:00:01.000Z') },
  { tradeId: 't2', amount: 0.6, price: 101, fee: 0.036, feeCurrency: 'USDT', at: Date.parse('2026-12-01T10:00:02.000Z') },
];

let db: Database;
let journal: Journal;
let orderId: number;
let reads: string[];
let fills: TradeFills | null;

beforeEach(() => {
  db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-trade-fills-')));
  journal = new Journal(db);
  orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'trend', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'market', qty: '1', price: null, memo: null, dryRun: false, market: MARKET, request: {}, bodyDigest: null });
  journal.plan(orderId, 'buy 1', [{ leg: 1, clientOrderId: `apx-${orderId}-1`, side: 'buy', type: 'market', amount: '1', price: null, reduceOnly: false }], 'submitted');
  journal.updateLeg(orderId, 1, { status: 'filled', exchangeOrderId: 'ex-1', filled: '1', averagePrice: '100.6' });
  reads = [];
  fills = null;
});

afterEach(() => {
  fills?.stop();
  db.close();
});

/** A venue whose trade list answers `listed`, counting the reads. */
function venueListing(listed: OrderTrade[]): Venue {
  return {
    orderTrades: async (_market: MarketRef, exchangeOrderId: string) => {
      reads.push(exchangeOrderId);
      return listed;
    },
  } as unknown as Venue;
}

function start(venue: Venue, pushed: OrderTrade[] | null): TradeFills {
  fills = new TradeFills(journal, async () => ({ venue, market: MARKET }), () => pushed, silentLog, TIMING);
  fills.orderAnswered(journal.get(orderId)!);
  return fills;
}

const tradeIds = () => journal.fills.ofLeg(orderId, 1).map((fill) => `${fill.source}:${fill.tradeId}:${fill.amount}@${fill.price} fee ${fill.fee}`);
const settled = () => until('the leg’s fills are its trades', () => journal.fills.ofLeg(orderId, 1).every((fill) => fill.source === 'trade'), 2_000);

describe('a filled leg’s trades', () => {
  it('are taken from the stream’s pushes when they add up to the leg, with no read', async () => {
    start(venueListing([]), TRADES);
    await settled();
    expect(tradeIds()).toEqual(['trade:t1:0.4@100 fee 0.024', 'trade:t2:0.6@101 fee 0.036']);
    expect(reads).toEqual([]);
  });

  it('are read from the exchange when the stream cannot vouch for them', async () => {
    start(venueListing(TRADES), null);
    await settled();
    expect(tradeIds()).toEqual(['trade:t1:0.4@100 fee 0.024', 'trade:t2:0.6@101 fee 0.036']);
    expect(reads).toEqual(['ex-1']);
  });

  it('are read from the exchange when the pushes do not add up (a push missed)', async () => {
    start(venueListing(TRADES), TRADES.slice(1));
    await settled();
    expect(tradeIds()).toEqual(['trade:t1:0.4@100 fee 0.024', 'trade:t2:0.6@101 fee 0.036']);
    expect(reads).toEqual(['ex-1']);
  });

  it('are read from the exchange when a push told no fee', async () => {
    start(venueListing(TRADES), [TRADES[0] as OrderTrade, { ...(TRADES[1] as OrderTrade), fee: null, feeCurrency: null }]);
    await settled();
    expect(tradeIds()).toEqual(['trade:t1:0.4@100 fee 0.024', 'trade:t2:0.6@101 fee 0.036']);
    expect(reads).toEqual(['ex-1']);
  });

  it('stay the totals’ fill when neither adds up', async () => {
    start(venueListing(TRADES.slice(0, 1)), TRADES.slice(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tradeIds()).toEqual(['order:null:1@100.6 fee null']);
    // read once, and once more after the retry delay, then left
    expect(reads).toEqual(['ex-1', 'ex-1']);
  });
});
