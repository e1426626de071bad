// Real ccxt (binance class, spot) against the fake.

import { afterEach, beforeEach, expect, test } from 'vitest';
import { BadRequest, InsufficientFunds, InvalidOrder, OrderImmediatelyFillable, OrderNotFound } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const SPOT = 'BTC/USDT';

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000, 'spot');
  fake.setBalance('BTC', 1, 'spot');
});

afterEach(async () => {
  await fake.close();
});

test('loadMarkets reads exchangeInfo filters into precision and limits', async () => {
  const ex = binanceClient(fake);
  await ex.loadMarkets();
  expect(Object.keys(ex.markets ?? {}).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
  const market = ex.market(SPOT);
  expect(market).toMatchObject({ id: 'BTCUSDT', spot: true, type: 'spot' });
  expect(market.precision).toMatchObject({ amount: 0.00001, price: 0.01 });
  expect(market.limits.cost?.min).toBe(5);
  expect(market.limits.amount?.min).toBe(0.00001);
  // fetchCurrencies / fetchMargins off: loading markets makes no signed /sapi calls
  expect(fake.requestCount()).toBe(1);
  expect(fake.requestCount('/api/v3/exchangeInfo')).toBe(1);
});

test('the default options load markets too (currencies and margin pairs through signed /sapi calls)', async () => {
  const ex = binanceClient(fake, { options: { fetchCurrencies: true, fetchMargins: true, fetchMarkets: { types: ['spot', 'linear', 'inverse'] } } });
  await ex.loadMarkets();
  expect(Object.keys(ex.markets ?? {})).toHaveLength(4);
  expect(ex.currencies['BTC']?.id).toBe('BTC');
  expect(fake.requestCount('/sapi/v1/capital/config/getall')).toBe(1);
});

test('fetchTicker and fetchBalance', async () => {
  const ex = binanceClient(fake);
  fake.setPrice('BTCUSDT', 43_210.5, 'spot');
  expect((await ex.fetchTicker(SPOT)).last).toBe(43_210.5);
  const balance = await ex.fetchBalance();
  expect(balance['USDT']).toMatchObject({ free: 10_000, used: 0, total: 10_000 });
  expect(balance['BTC']?.total).toBe(1);
});

test('market buy by quantity and by quote amount', async () => {
  const ex = binanceClient(fake);
  fake.setPrice('BTCUSDT', 50_000, 'spot');
  const byQty = await ex.createOrder(SPOT, 'market', 'buy', 0.01, undefined, { clientOrderId: 'spot-mkt-1' });
  expect(byQty).toMatchObject({ status: 'closed', filled: 0.01, average: 50_000, cost: 500, clientOrderId: 'spot-mkt-1' });
  // with a price, ccxt sends quoteOrderQty = amount * price
  const byQuote = await ex.createOrder(SPOT, 'market', 'buy', 0.02, 50_000);
  expect(byQuote).toMatchObject({ status: 'closed', filled: 0.02, cost: 1_000 });
  expect(fake.createdOrders()[1]).toMatchObject({ quoteQty: 1_000, qty: 0.02 });
  expect(byQuote.clientOrderId).toMatch(/^x-TKT5PX2F/); // ccxt's own broker id when none is given
  const balance = await ex.fetchBalance();
  expect(balance['USDT']?.total).toBeCloseTo(8_500, 6);
  expect(balance['BTC']?.total).toBeCloseTo(1.03, 10);
});

test('limit order: rests, is found by client id, fills when the price crosses', async () => {
  const ex = binanceClient(fake);
  const placed = await ex.createOrder(SPOT, 'limit', 'buy', 0.1, 55_000, { clientOrderId: 'spot-lim-1' });
  expect(placed.status).toBe('open');
  expect((await ex.fetchBalance())['USDT']).toMatchObject({ used: 5_500, free: 4_500 });
  const byClientId = await ex.fetchOrder('', SPOT, { clientOrderId: 'spot-lim-1' });
  expect(byClientId).toMatchObject({ id: placed.id, status: 'open', price: 55_000, amount: 0.1 });
  expect((await ex.fetchOpenOrders(SPOT)).map((o) => o.id)).toEqual([placed.id]);
  fake.setPrice('BTCUSDT', 54_999, 'spot');
  const filled = await ex.fetchOrder(idOf(placed), SPOT);
  expect(filled).toMatchObject({ status: 'closed', filled: 0.1, cost: 5_500 });
  expect(await ex.fetchOpenOrders(SPOT)).toEqual([]);
});

test('cancel: the order ends CANCELED; cancelling again is OrderNotFound', async () => {
  const ex = binanceClient(fake);
  const placed = await ex.createOrder(SPOT, 'limit', 'sell', 0.2, 70_000, { clientOrderId: 'spot-cxl' });
  const cancelled = await ex.cancelOrder(idOf(placed), SPOT);
  expect(cancelled.status).toBe('canceled');
  // Binance gives the cancel request its own client id; ccxt reports that one
  expect(cancelled.clientOrderId).not.toBe('spot-cxl');
  expect((await ex.fetchOrder(idOf(placed), SPOT)).clientOrderId).toBe('spot-cxl');
  await expect(ex.cancelOrder(idOf(placed), SPOT)).rejects.toBeInstanceOf(OrderNotFound);
  await expect(ex.fetchOrder('999', SPOT)).rejects.toBeInstanceOf(OrderNotFound);
});

test('a client id is a duplicate only while its order is open', async () => {
  const ex = binanceClient(fake);
  await ex.createOrder(SPOT, 'limit', 'buy', 0.01, 40_000, { clientOrderId: 'spot-reuse' });
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.01, 40_000, { clientOrderId: 'spot-reuse' })).rejects.toThrow(
    /Duplicate order sent/,
  );
  fake.setPrice('BTCUSDT', 39_000, 'spot');
  // the first one filled: Binance accepts the same id again
  await ex.createOrder(SPOT, 'market', 'buy', 0.01, undefined, { clientOrderId: 'spot-reuse' });
  expect(fake.createdOrders().map((o) => [o.clientOrderId, o.status])).toEqual([
    ['spot-reuse', 'filled'],
    ['spot-reuse', 'filled'],
  ]);
});

test('filters and funds: LOT_SIZE, NOTIONAL, insufficient balance, post-only that would take', async () => {
  const ex = binanceClient(fake);
  // ccxt truncates amounts to the step itself; a quantity over maxQty still reaches the filter
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 9_001, 10_000)).rejects.toThrow(/LOT_SIZE/);
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 9_001, 10_000)).rejects.toBeInstanceOf(InvalidOrder);
  // ccxt maps only LOT_SIZE and PRICE_FILTER failures to InvalidOrder; NOTIONAL stays -1013, BadRequest
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.00001, 10_000)).rejects.toThrow(/Filter failure: NOTIONAL/);
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.00001, 10_000)).rejects.toBeInstanceOf(BadRequest);
  await expect(ex.createOrder(SPOT, 'market', 'sell', 2)).rejects.toBeInstanceOf(InsufficientFunds);
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.01, 61_000, { postOnly: true })).rejects.toBeInstanceOf(OrderImmediatelyFillable);
  expect(fake.createdOrders()).toEqual([]);
});
