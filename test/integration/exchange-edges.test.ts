// Orders leave at once and within the exchanges' published limits: real ccxt against fakes that enforce
// those limits as the exchanges do (rateLimits 'published'). A flood never draws a rate-limit refusal
// and no rolling second carries more creates than the UID may send; Close and SAR plan from the
// account stream's positions with no read before their create; Binance's position mode is read once
// and again only when an answer says it changed; a clock that drifts after start-up is re-read and the
// request sent once more; limit prices round to the tick on the trader's side; a Market order without a
// price is checked against the minimum value at the last price before it is journaled.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { untilEngineSees } from '../support/live-state.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'edges-exchange-key-0123456789';
const SECRET = 'edges-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;
let binance: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 10_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, rateLimits: 'published' });
  binance = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, rateLimits: 'published' });
  for (const fake of [bybit, binance]) {
    fake.setBalance('USDT', 10_000_000);
    fake.setBalance('BTC', 100);
  }
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
  await binance?.close();
});

const fakeOf = (exchange: ExchangeName) => (exchange === 'bybit' ? bybit : binance);
/** Each order its own timestamp (a signature is good once), however many are sent at once. */
let lastTimestamp = 0;
const order = (fields: Record<string, unknown>) => {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT', ...fields }, { timestamp: lastTimestamp });
};

/** The most arrivals at the fake within any `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0; start < sorted.length; start++) {
    let end = start;
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe('a flood of orders', () => {
  it('Bybit: 35 creates at once on three symbols all go through, never more than the UID may send in any second, and none is refused for rate', async () => {
    const before = bybit.requests('/v5/order/create').length;
    const symbols = ['BTCUSDT', 'ETHUSDT', 'BTCUSD'];
    const startedAt = Date.now();
    const calls = await Promise.all(Array.from({ length: 35 }, (_, index) => order({ symbol: symbols[index % 3], qty: symbols[index % 3] === 'BTCUSD' ? 100 : 0.01 })));
    for (const call of calls) expect(call.status, JSON.stringify(call.body)).toBe(200);
    const creates = bybit.requests('/v5/order/create').slice(before);
    expect(creates).toHaveLength(35);
    expect(bybit.rateLimitRefusals()).toBe(0);
    // linear and inverse share the derivatives' 10 per second
    expect(busiestWindow(creates.map((request) => request.at), 1_000)).toBeLessThanOrEqual(10);
    // and the limit is all that held them: 35 at 10 a second is three windows and a bit, not more
    expect(Date.now() - startedAt).toBeLessThan(6_000);
  });

  it('Binance USDⓈ-M: creates weigh nothing on the IP, so a burst goes out together; none is refused', async () => {
    const before = binance.requests('/fapi/v1/order').length;
    const calls = await Promise.all(Array.from({ length: 20 }, (_, index) => order({ exchange: 'binance', symbol: index % 2 ? 'BTCUSDT' : 'ETHUSDT', qty: index % 2 ? 0.01 : 0.1 })));
    for (const call of calls) expect(call.status, JSON.stringify(call.body)).toBe(200);
    const creates = binance.requests('/fapi/v1/order').slice(before).filter((request) => request.method === 'POST');
    expect(creates).toHaveLength(20);
    expect(binance.rateLimitRefusals()).toBe(0);
    const times = creates.map((request) => request.at);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(1_000);
  });

  it('orders on one symbol reach the exchange in the order they arrived', async () => {
    const before = bybit.requests('/v5/order/create').length;
    const sizes = [0.01, 0.02, 0.03, 0.04, 0.05];
    await Promise.all(sizes.map((qty, index) => new Promise((resolve) => setTimeout(resolve, index * 5)).then(() => order({ symbol: 'ETHUSDT', qty }))));
    const sent = bybit.requests('/v5/order/create').slice(before).map((request) => Number(request.params['qty']));
    expect(sent).toEqual(sizes);
  });
});

describe.each(['bybit', 'binance'] as const)('%s: Close and SAR while the account stream is live', (exchange) => {
  const positionPaths = exchange === 'bybit' ? ['/v5/position/list'] : ['/fapi/v3/positionRisk', '/fapi/v2/positionRisk', '/fapi/v1/positionSide/dual'];
  const reads = () => positionPaths.reduce((sum, path) => sum + fakeOf(exchange).requestCount(path), 0);

  it('plans from the pushed positions: no position read before the create, the answer and the journal right', async () => {
    // the symbol becomes known to the account's state once (one read at most), then stays current by push
    await order({ exchange, symbol: 'ETHUSDT', side: 'Close' });
    const readsBefore = reads();
    const buy = await order({ exchange, symbol: 'ETHUSDT', qty: 0.5 });
    expect(buy.body.order?.status).toBe('filled');
    const close = await order({ exchange, symbol: 'ETHUSDT', side: 'Close' });
    expect(close.body.order?.['plan']).toBe('Close: sell 0.5 to go from +0.5 to 0');
    const sar = await order({ exchange, symbol: 'ETHUSDT', side: 'Sarsell', qty: 0.2 });
    expect(sar.body.order?.['plan']).toBe('SAR: sell 0.2 to go from 0 to -0.2');
    const back = await order({ exchange, symbol: 'ETHUSDT', side: 'Sarbuy', qty: 0.3 });
    expect(back.body.order?.['plan']).toBe('SAR: buy 0.5 to go from -0.2 to +0.3');
    expect(reads() - readsBefore).toBe(0);
    expect(fakeOf(exchange).positions().find((position) => position.symbol === 'ETHUSDT')?.qty).toBeCloseTo(0.3);
    await order({ exchange, symbol: 'ETHUSDT', side: 'Close' });
  });

  it('a change made on the exchange (not by apisify) is pushed, and the next Close closes what is there', async () => {
    fakeOf(exchange).setPosition('ETHUSDT', -0.7, { entryPrice: 3_000 });
    expect((await untilEngineSees(engine, exchange, 'ETHUSDT', (position) => position.qty === -0.7))?.qty).toBe(-0.7);
    const readsBefore = reads();
    const close = await order({ exchange, symbol: 'ETHUSDT', side: 'Close' });
    expect(close.body.order?.['plan']).toBe('Close: buy 0.7 to go from -0.7 to 0');
    expect(reads() - readsBefore).toBe(0);
  });

  it('after the stream drops, the next Close reads the position once by REST (pushes may have been missed)', async () => {
    fakeOf(exchange).failWebsockets('refuse');
    fakeOf(exchange).dropWebsockets();
    const venue = await engine.services.ccxt.venueFor(defaultAccountOf(exchange), 'swap');
    const account = venue && engine.services.accounts.of(venue);
    expect(await eventually(() => account?.live, (live) => live === false)).toBe(false);
    // meanwhile the position changed, and no push could tell
    fakeOf(exchange).setPosition('ETHUSDT', 0.4, { entryPrice: 3_000 });
    const readsBefore = reads();
    const close = await order({ exchange, symbol: 'ETHUSDT', side: 'Close' });
    expect(close.body.order?.['plan']).toBe('Close: sell 0.4 to go from +0.4 to 0');
    expect(reads() - readsBefore).toBeGreaterThanOrEqual(1);
    fakeOf(exchange).failWebsockets(null);
    expect(await eventually(() => account?.live, (live) => live === true, 10_000)).toBe(true);
  });
});

describe("Binance's position mode", () => {
  it('is read once per account, and again when an answer says it changed (-4061)', async () => {
    const modeReads = () => binance.requestCount('/fapi/v1/positionSide/dual');
    await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Close' });
    const first = modeReads();
    expect(first).toBeLessThanOrEqual(1);
    await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Sarbuy', qty: 0.01 });
    await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Close' });
    expect(modeReads()).toBe(first);
    // switched on the website: the next order's answer says the side does not match
    for (const position of binance.positions()) binance.setPosition(position.symbol, 0, { kind: position.marketKind });
    binance.setHedgeMode(true);
    try {
      const refused = await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Buy' });
      expect(refused.status).toBe(422);
      const close = await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Close' });
      expect(close.body.error).toMatchObject({ code: 'hedge_mode_not_supported', field: 'side' });
      // read again after -4061, and once more before refusing on it
      expect(modeReads()).toBe(first + 2);
    } finally {
      binance.setHedgeMode(false);
    }
    // switched back: the next Close asks once more before it would refuse, and is planned
    const close = await order({ exchange: 'binance', symbol: 'BTCUSDT', side: 'Close' });
    expect(close.body.order?.['plan']).toBe('Close: no open position');
  });
});

describe('a clock that drifts after start-up', () => {
  it.each(['bybit', 'binance'] as const)('%s: the refused request is sent once more with the clock read again, and the order fills', async (exchange) => {
    await order({ exchange });
    const fake = fakeOf(exchange);
    const createPath = exchange === 'bybit' ? '/v5/order/create' : '/fapi/v1/order';
    const timePath = exchange === 'bybit' ? '/v5/market/time' : '/fapi/v1/time';
    const creates = fake.requests(createPath).length;
    const timeReads = fake.requestCount(timePath);
    fake.setClockOffset(-40_000);
    try {
      const call = await order({ exchange });
      expect(call.status, JSON.stringify(call.body)).toBe(200);
      expect(call.body.order?.status).toBe('filled');
      // refused once for its timestamp, then sent again: two requests, one order
      expect(fake.requests(createPath).length - creates).toBe(2);
      expect(fake.createdOrders().filter((placed) => placed.clientOrderId === (call.body.order?.['orders'] as { client_order_id: string }[])[0]?.client_order_id)).toHaveLength(1);
      expect(fake.requestCount(timePath)).toBeGreaterThan(timeReads);
      expect(engine.status().exchanges.find((connection) => connection.exchange === exchange)?.state).toBe('ok');
      // and every later order goes straight through
      const next = fake.requests(createPath).length;
      expect((await order({ exchange })).body.order?.status).toBe('filled');
      expect(fake.requests(createPath).length - next).toBe(1);
    } finally {
      fake.setClockOffset(0);
      await order({ exchange });
    }
  });
});

describe('prices and minimums', () => {
  it.each(['bybit', 'binance'] as const)("%s: a Limit's price rounds to the tick on the trader's side: a buy's down, a sell's up", async (exchange) => {
    const buy = await order({ exchange, order_type: 'Limit', side: 'Buy', price: 50_000.07 });
    expect(buy.status, JSON.stringify(buy.body)).toBe(200);
    expect(fakeOf(exchange).createdOrders().at(-1)).toMatchObject({ side: 'buy', price: 50_000 });
    const sell = await order({ exchange, order_type: 'Limit', side: 'Sell', price: 70_000.01 });
    expect(fakeOf(exchange).createdOrders().at(-1)).toMatchObject({ side: 'sell', price: 70_000.1 });
    for (const call of [buy, sell]) await engine.services.orders.cancel(call.body.order?.id as number);
  });

  it('Binance: a Market order without a price below the minimum value is refused before it is journaled, naming the minimum and the price', async () => {
    const journaled = journalCount(engine);
    const sent = binance.createdOrders().length;
    // 0.001 BTC at 60 000 is 60 USDT; USDⓈ-M's BTCUSDT takes 100 at least
    const call = await order({ exchange: 'binance', qty: 0.001 });
    expect(call.status).toBe(422);
    expect(call.body.error).toMatchObject({ code: 'below_minimum', field: 'qty' });
    expect(call.body.error?.message).toMatch(/last price 60000/);
    expect(call.body.error?.message).toMatch(/minimum order value of 100 USDT/);
    expect(journalCount(engine)).toBe(journaled);
    expect(binance.createdOrders().length).toBe(sent);
    // a Close of a position that small is reduce-only, and the exchange takes it
    binance.setPosition('BTCUSDT', 0.001, { entryPrice: 60_000 });
    await untilEngineSees(engine, 'binance', 'BTCUSDT', (position) => position.qty === 0.001);
    const close = await order({ exchange: 'binance', side: 'Close' });
    expect(close.body.order?.status, JSON.stringify(close.body)).toBe('filled');
  });
});
