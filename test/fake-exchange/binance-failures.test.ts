// Injected and natural failures on Binance spot and USDⓈ-M, as real ccxt reports them.
// Two ccxt behaviours worth knowing are pinned here: HTTP 429 becomes DDoSProtection (not
// RateLimitExceeded), and on spot -2015 becomes DDoSProtection once a private call succeeded.

import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  AuthenticationError,
  DDoSProtection,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  RateLimitExceeded,
  RequestTimeout,
} from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const PERP = 'BTC/USDT:USDT';
const SPOT = 'BTC/USDT';

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 2_000);
});

afterEach(async () => {
  await fake.close();
});

async function usdm(timeout?: number): Promise<ReturnType<typeof binanceUsdmClient>> {
  const ex = binanceUsdmClient(fake, timeout === undefined ? {} : { timeout });
  await ex.loadMarkets();
  return ex;
}

async function spot(timeout?: number): Promise<ReturnType<typeof binanceClient>> {
  const ex = binanceClient(fake, timeout === undefined ? {} : { timeout });
  await ex.loadMarkets();
  return ex;
}

test('insufficient funds: -2019 on futures and -2010 on spot are InsufficientFunds', async () => {
  const futures = await usdm();
  fake.failNext('insufficient_funds');
  await expect(futures.createOrder(PERP, 'market', 'buy', 0.01)).rejects.toBeInstanceOf(InsufficientFunds);
  // 1 BTC at 60 000 with 10x needs 6 000 USDT of margin; the futures wallet has 2 000
  await expect(futures.createOrder(PERP, 'market', 'buy', 1)).rejects.toThrow(/-2019/);
  const spotEx = await spot();
  fake.failNext('insufficient_funds');
  await expect(spotEx.createOrder(SPOT, 'market', 'buy', 0.001)).rejects.toBeInstanceOf(InsufficientFunds);
  // matched by message, so ccxt's error text is the message alone, without the code
  const tooBig = spotEx.createOrder(SPOT, 'market', 'buy', 1);
  await expect(tooBig).rejects.toBeInstanceOf(InsufficientFunds);
  await expect(tooBig).rejects.toThrow('Account has insufficient balance for requested action.');
  expect(fake.createdOrders()).toEqual([]);
});

test('rate limit: HTTP 429 with -1003, which ccxt reports as DDoSProtection', async () => {
  const ex = await usdm();
  fake.failNext('rate_limit', { count: 2 });
  const first = ex.fetchTicker(PERP);
  await expect(first).rejects.toBeInstanceOf(DDoSProtection);
  await expect(ex.fetchTicker(PERP)).rejects.not.toBeInstanceOf(RateLimitExceeded);
  expect((await ex.fetchTicker(PERP)).last).toBe(60_000);
});

test('a 5xx is ExchangeNotAvailable and leaves no order behind', async () => {
  const ex = await usdm();
  fake.failNext('server_error', { path: '/fapi/v1/order' });
  await expect(ex.createOrder(PERP, 'market', 'buy', 0.01)).rejects.toBeInstanceOf(ExchangeNotAvailable);
  expect(fake.createdOrders()).toEqual([]);
});

test('a failure aimed at one method spares the others at the same path: the placement, not its look-up', async () => {
  const ex = await usdm();
  fake.failNext('server_error', { path: '/fapi/v1/algoOrder', method: 'GET' });
  const placed = await ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { stopLossPrice: 55_000, clientOrderId: 'stop-method-1' });
  await expect(ex.fetchOrder('', PERP, { clientOrderId: 'stop-method-1', trigger: true })).rejects.toBeInstanceOf(ExchangeNotAvailable);
  expect((await ex.fetchOrder('', PERP, { clientOrderId: 'stop-method-1', trigger: true })).id).toBe(placed.id);
});

test('auth failure (-2015): AuthenticationError on futures; on spot only before the first private success', async () => {
  const futures = await usdm();
  fake.failNext('auth');
  await expect(futures.fetchBalance()).rejects.toBeInstanceOf(AuthenticationError);

  const spotEx = await spot();
  fake.failNext('auth');
  await expect(spotEx.fetchBalance()).rejects.toBeInstanceOf(AuthenticationError);
  await spotEx.fetchBalance();
  fake.failNext('auth');
  const afterSuccess = spotEx.fetchBalance();
  await expect(afterSuccess).rejects.toBeInstanceOf(DDoSProtection);
  await expect(afterSuccess).rejects.toThrow(/-2015/);
});

test('timeout after accept on futures: RequestTimeout, order found by client id, and the id is reusable', async () => {
  const ex = await usdm(300);
  fake.failNext('timeout_after_accept', { delayMs: 2_000 });
  await expect(
    ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'usdm-lost-ack' }),
  ).rejects.toBeInstanceOf(RequestTimeout);
  const found = await ex.fetchOrder('', PERP, { clientOrderId: 'usdm-lost-ack' });
  expect(found).toMatchObject({ clientOrderId: 'usdm-lost-ack', status: 'closed', filled: 0.01 });
  expect(fake.positions()).toMatchObject([{ symbol: 'BTCUSDT', qty: 0.01 }]);
  // Binance only refuses ids of open orders: a blind retry would open the position twice
  await ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'usdm-lost-ack' });
  expect(fake.positions()).toMatchObject([{ qty: 0.02 }]);
});

test('timeout after accept on spot: the resting order is there under its client id', async () => {
  const ex = await spot(300);
  fake.failNext('timeout_after_accept', { delayMs: 2_000 });
  await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'spot-lost-ack' })).rejects.toBeInstanceOf(
    RequestTimeout,
  );
  const found = await ex.fetchOrder('', SPOT, { clientOrderId: 'spot-lost-ack' });
  expect(found).toMatchObject({ status: 'open', price: 50_000, amount: 0.01 });
});

test('bad signature (-1022), unknown key (-2015) and stale timestamp (-1021) are refused', async () => {
  const wrongSecret = binanceUsdmClient(fake, { secret: 'wrong' });
  await expect(wrongSecret.fetchBalance()).rejects.toBeInstanceOf(AuthenticationError);
  await expect(wrongSecret.createOrder(PERP, 'market', 'buy', 0.01)).rejects.toThrow(/-1022/);
  const wrongKey = binanceUsdmClient(fake, { apiKey: 'not-our-key' });
  await expect(wrongKey.fetchBalance()).rejects.toThrow(/-2015/);
  expect(fake.createdOrders()).toEqual([]);

  const ex = await usdm();
  // ccxt signs with now - timeDifference; its recvWindow is 10 s
  ex.options['timeDifference'] = 20_000;
  await expect(ex.fetchBalance()).rejects.toBeInstanceOf(InvalidNonce);
  await expect(ex.fetchBalance()).rejects.toThrow(/-1021/);
  ex.options['timeDifference'] = 0;
  expect((await ex.fetchBalance())['USDT']?.total).toBe(2_000);
});
