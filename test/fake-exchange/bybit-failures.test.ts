// Injected and natural failures on Bybit, as real ccxt reports them.

import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  AuthenticationError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  RateLimitExceeded,
  RequestTimeout,
} from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const LINEAR = 'BTC/USDT:USDT';

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 1_000);
});

afterEach(async () => {
  await fake.close();
});

/** A client with markets and account type already loaded, so only the call under test hits the fake. */
async function readyClient(timeout?: number): Promise<ReturnType<typeof bybitClient>> {
  const ex = bybitClient(fake, timeout === undefined ? {} : { timeout });
  await ex.loadMarkets();
  await ex.isUnifiedEnabled();
  return ex;
}

test('insufficient funds, injected and real, is InsufficientFunds and places nothing', async () => {
  const ex = await readyClient();
  fake.failNext('insufficient_funds');
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.001)).rejects.toBeInstanceOf(InsufficientFunds);
  // 1 BTC at 60 000 with 10x needs 6 000 USDT of margin; the wallet has 1 000
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 1)).rejects.toThrow(/110007/);
  await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 1)).rejects.toBeInstanceOf(InsufficientFunds);
  expect(fake.createdOrders()).toEqual([]);
  // the injected failure was used up: the next small order goes through
  await ex.createOrder(LINEAR, 'market', 'buy', 0.001);
  expect(fake.createdOrders()).toHaveLength(1);
});

test('rate limit (retCode 10006) is RateLimitExceeded for the next N requests only', async () => {
  const ex = await readyClient();
  fake.failNext('rate_limit', { count: 2 });
  await expect(ex.fetchTicker(LINEAR)).rejects.toBeInstanceOf(RateLimitExceeded);
  await expect(ex.fetchBalance()).rejects.toBeInstanceOf(RateLimitExceeded);
  expect((await ex.fetchTicker(LINEAR)).last).toBe(60_000);
});

test('a 5xx is ExchangeNotAvailable; a path filter limits which requests fail', async () => {
  const ex = await readyClient();
  fake.failNext('server_error', { path: '/v5/order/create' });
  expect((await ex.fetchTicker(LINEAR)).last).toBe(60_000);
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.001)).rejects.toBeInstanceOf(ExchangeNotAvailable);
  expect(fake.createdOrders()).toEqual([]);
});

test('an auth failure (revoked key, 10003) is AuthenticationError and hits signed calls only', async () => {
  const ex = await readyClient();
  fake.failNext('auth');
  expect((await ex.fetchTicker(LINEAR)).last).toBe(60_000);
  await expect(ex.fetchBalance()).rejects.toBeInstanceOf(AuthenticationError);
  expect((await ex.fetchBalance())['USDT']?.total).toBe(1_000);
});

test('timeout after accept: RequestTimeout, yet the order exists and is found by client id', async () => {
  const ex = await readyClient(300);
  fake.failNext('timeout_after_accept', { delayMs: 2_000 });
  const started = Date.now();
  await expect(
    ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-ack-1' }),
  ).rejects.toBeInstanceOf(RequestTimeout);
  expect(Date.now() - started).toBeLessThan(1_500);
  const [found] = await ex.fetchOpenOrders(LINEAR, undefined, undefined, { orderLinkId: 'lost-ack-1' });
  expect(found).toMatchObject({ clientOrderId: 'lost-ack-1', status: 'closed', filled: 0.01 });
  expect(fake.positions()).toMatchObject([{ symbol: 'BTCUSDT', qty: 0.01 }]);
  // retrying with the same client id is refused, so a blind retry cannot double the position
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-ack-1' })).rejects.toThrow(/110072/);
});

test('hold before accept: a client that gives up before the order executes never placed it', async () => {
  const ex = await readyClient(300);
  fake.failNext('hold_before_accept', { delayMs: 1_000 });
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'never-1' })).rejects.toBeInstanceOf(RequestTimeout);
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  expect(fake.createdOrders()).toEqual([]);
  expect(await ex.fetchOpenOrders(LINEAR, undefined, undefined, { orderLinkId: 'never-1' })).toEqual([]);
});

test('hold before accept: a client that waits gets the order placed late', async () => {
  const ex = await readyClient(2_000);
  fake.failNext('hold_before_accept', { delayMs: 300 });
  const order = await ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'late-1' });
  expect(order.clientOrderId ?? order.id).toBeTruthy();
  expect(fake.createdOrders()).toHaveLength(1);
});

test('a request signed with the wrong secret is refused (10004) and changes nothing', async () => {
  const ex = bybitClient(fake, { secret: 'not-the-secret' });
  await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01)).rejects.toBeInstanceOf(AuthenticationError);
  await expect(ex.fetchBalance()).rejects.toThrow(/10004/);
  expect(fake.createdOrders()).toEqual([]);
});

test('an unknown api key is refused (10003)', async () => {
  const ex = bybitClient(fake, { apiKey: 'someone-else' });
  await expect(ex.fetchBalance()).rejects.toThrow(/10003/);
});

test('a timestamp outside the recv window is InvalidNonce (10002)', async () => {
  const ex = await readyClient();
  // ccxt signs with now - timeDifference: pretend our clock is 10 s ahead of the exchange's
  ex.options['timeDifference'] = -10_000;
  await expect(ex.fetchBalance()).rejects.toBeInstanceOf(InvalidNonce);
  ex.options['timeDifference'] = 10_000;
  await expect(ex.fetchBalance()).rejects.toThrow(/10002/);
  ex.options['timeDifference'] = 0;
  expect((await ex.fetchBalance())['USDT']?.total).toBe(1_000);
});
