// The published rate limits (rateLimits: 'published'), proven with real ccxt: Bybit's per-UID
// per-endpoint budgets in a rolling second and its IP limit with its ban, Binance's request weight
// and order counts in fixed intervals of the server's clock; the answers and headers each sends,
// and the ccxt errors they become. Windows are moved by the fake's clock instead of waiting.

import { afterEach, describe, expect, test } from 'vitest';
import { DDoSProtection, RateLimitExceeded } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET } from './ccxt-client.js';
import { PUBLISHED_LIMITS, startFakeExchange, type FakeExchange, type Venue } from './index.js';

let fake: FakeExchange | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function limited(venue: Venue): Promise<FakeExchange> {
  fake = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET, rateLimits: 'published' });
  fake.setBalance('USDT', 1_000_000);
  return fake;
}

const BYBIT_UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

/** How many of the settled calls were fulfilled, and the errors of the rest. */
function outcomes(results: PromiseSettledResult<unknown>[]): { ok: number; errors: unknown[] } {
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/** The last answer's headers as ccxt keeps them (it capitalises the names), by lower-case name. */
function lastHeaders(ex: { last_response_headers?: unknown }): Record<string, string> {
  return Object.fromEntries(Object.entries((ex.last_response_headers ?? {}) as Record<string, string>).map(([name, value]) => [name.toLowerCase(), value]));
}

const times = <T>(n: number, call: () => Promise<T>): Promise<PromiseSettledResult<T>[]> => Promise.allSettled(Array.from({ length: n }, call));

/** Moves the exchange's clock to just after the next multiple of `intervalMs` (a Binance interval start). */
function toIntervalStart(exchange: FakeExchange, intervalMs: number, offsetBefore = 0): number {
  const serverNow = Date.now() + offsetBefore;
  const offset = offsetBefore + (Math.ceil(serverNow / intervalMs) * intervalMs - serverNow) + 20;
  exchange.setClockOffset(offset);
  return offset;
}

describe('Bybit', () => {
  test('order create: 10 per second per UID on linear, the next one 10006 RateLimitExceeded, with the X-Bapi-Limit headers', async () => {
    const exchange = await limited('bybit');
    const ex = bybitClient(exchange, BYBIT_UNIFIED);
    await ex.loadMarkets();
    const burst = outcomes(await times(11, () => ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, 50_000)));
    expect(burst.ok).toBe(10);
    expect(burst.errors).toHaveLength(1);
    expect(burst.errors[0]).toBeInstanceOf(RateLimitExceeded);
    expect(String(burst.errors[0])).toContain('"retCode":10006');
    expect(String(burst.errors[0])).toContain('Too many visits!');
    expect(exchange.rateLimitRefusals()).toBe(1);
    expect(exchange.createdOrders()).toHaveLength(10);

    await expect(ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, 50_000)).rejects.toBeInstanceOf(RateLimitExceeded);
    const refused = lastHeaders(ex);
    expect(refused['x-bapi-limit']).toBe('10');
    expect(refused['x-bapi-limit-status']).toBe('0');
    const reset = Number(refused['x-bapi-limit-reset-timestamp']);
    expect(reset).toBeGreaterThan(Date.now());
    expect(reset).toBeLessThanOrEqual(Date.now() + 1_000);

    // a second later (on the exchange's clock) the window is empty again
    exchange.setClockOffset(1_000);
    await ex.loadTimeDifference();
    await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, 50_000);
    expect(lastHeaders(ex)).toMatchObject({ 'x-bapi-limit': '10', 'x-bapi-limit-status': '9' });
  });

  test('each category has its own order budget: inverse 10 per second, spot 20', async () => {
    const exchange = await limited('bybit');
    exchange.setBalance('BTC', 10);
    const ex = bybitClient(exchange, BYBIT_UNIFIED);
    await ex.loadMarkets();
    const linear = outcomes(await times(10, () => ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, 50_000)));
    const inverse = outcomes(await times(11, () => ex.createOrder('BTC/USD:BTC', 'limit', 'buy', 10, 50_000)));
    const spot = outcomes(await times(21, () => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50_000)));
    expect([linear.ok, inverse.ok, spot.ok]).toEqual([10, 10, 20]);
    expect([...inverse.errors, ...spot.errors].every((e) => e instanceof RateLimitExceeded)).toBe(true);
    expect(exchange.rateLimitRefusals()).toBe(2);
  });

  test('reads have their own budgets: 50 per second for open orders', async () => {
    const exchange = await limited('bybit');
    const ex = bybitClient(exchange, BYBIT_UNIFIED);
    await ex.loadMarkets();
    const reads = outcomes(await times(51, () => ex.fetchOpenOrders('BTC/USDT:USDT')));
    expect(reads.ok).toBe(50);
    expect(reads.errors[0]).toBeInstanceOf(RateLimitExceeded);
    // the order endpoints were not touched
    await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.001, 50_000);
    expect(lastHeaders(ex)).toMatchObject({ 'x-bapi-limit-status': '9' });
  });

  test('600 requests per 5 s per IP; past it HTTP 403 RateLimitExceeded, and the IP stays banned for 10 minutes', async () => {
    const exchange = await limited('bybit');
    const { limit, banMs } = PUBLISHED_LIMITS.bybit.ip;
    const statuses = await Promise.all(Array.from({ length: limit }, async () => (await fetch(`${exchange.url}/v5/market/time`)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await fetch(`${exchange.url}/v5/market/time`);
    expect(over.status).toBe(403);
    expect(await over.text()).toBe('access too frequent');

    const ex = bybitClient(exchange, BYBIT_UNIFIED);
    await expect(ex.fetchTime()).rejects.toBeInstanceOf(RateLimitExceeded);
    // the window has passed, but the ban has not
    exchange.setClockOffset(6_000);
    expect((await fetch(`${exchange.url}/v5/market/time`)).status).toBe(403);
    exchange.setClockOffset(banMs + 1_000);
    expect(await ex.fetchTime()).toBeGreaterThan(Date.now());
    expect(exchange.rateLimitRefusals()).toBe(3);
  });

  test("rateLimits 'off' (the default) refuses nothing", async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    const statuses = await Promise.all(Array.from({ length: 601 }, async () => (await fetch(`${fake?.url}/v5/market/time`)).status));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(fake.rateLimitRefusals()).toBe(0);
  });
});

describe('Binance USDⓈ-M', () => {
  test('REQUEST_WEIGHT 2400 per clock minute: position-mode reads (30 each) until 2400, then 429 -1003 DDoSProtection until the minute turns', async () => {
    const exchange = await limited('binance');
    const ex = binanceUsdmClient(exchange);
    await ex.loadMarkets();
    const offset = toIntervalStart(exchange, 60_000);
    await ex.loadTimeDifference();
    const afterTime = Number(lastHeaders(ex)['x-mbx-used-weight-1m']);
    const reads = outcomes(await times(80, () => ex.fetchPositionMode('BTC/USDT:USDT')));
    // the time call cost 1: 79 reads fit, the 80th would pass 2400
    expect(afterTime).toBe(1);
    expect(reads.ok).toBe(79);
    expect(reads.errors[0]).toBeInstanceOf(DDoSProtection);
    expect(String(reads.errors[0])).toContain('"code":-1003');
    expect(exchange.rateLimitRefusals()).toBe(1);

    // an order weighs nothing on the IP: it still goes through, and says the weight used
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    const headers = lastHeaders(ex);
    expect(Number(headers['x-mbx-used-weight-1m'])).toBe(1 + 80 * 30);
    expect(headers).toMatchObject({ 'x-mbx-order-count-10s': '1', 'x-mbx-order-count-1m': '1' });

    exchange.setClockOffset(offset + 60_000);
    await ex.loadTimeDifference();
    await ex.fetchPositionMode('BTC/USDT:USDT');
    expect(lastHeaders(ex)).toMatchObject({ 'x-mbx-used-weight-1m': '31' });
  });

  test('ORDERS 300 per 10 s: the 301st is 429 -1015 DDoSProtection, with Retry-After; the count is per clock interval', async () => {
    const exchange = await limited('binance');
    const ex = binanceUsdmClient(exchange);
    await ex.loadMarkets();
    const offset = toIntervalStart(exchange, 60_000);
    await ex.loadTimeDifference();
    const orders = outcomes(await times(301, () => ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.01, 2_500)));
    expect(orders.ok).toBe(300);
    expect(orders.errors[0]).toBeInstanceOf(DDoSProtection);
    expect(String(orders.errors[0])).toContain('Too many new orders; current limit is 300 orders per TEN_SECONDS.');
    await expect(ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.01, 2_500)).rejects.toBeInstanceOf(DDoSProtection);
    const retryAfter = Number(lastHeaders(ex)['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);

    // the next ten seconds: a new 10 s count, the same minute's count
    exchange.setClockOffset(offset + 10_000);
    await ex.loadTimeDifference();
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.01, 2_500);
    expect(lastHeaders(ex)).toMatchObject({ 'x-mbx-order-count-10s': '1', 'x-mbx-order-count-1m': '301' });
  });
});

describe('Binance spot', () => {
  test('ORDERS 100 per 10 s, REQUEST_WEIGHT 6000 per minute (open orders of every symbol weigh 80)', async () => {
    const exchange = await limited('binance');
    const ex = binanceClient(exchange, { options: { fetchOpenOrders: { warnWithoutSymbol: false } } });
    await ex.loadMarkets();
    const offset = toIntervalStart(exchange, 60_000);
    await ex.loadTimeDifference();
    const orders = outcomes(await times(101, () => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50_000)));
    expect(orders.ok).toBe(100);
    expect(orders.errors[0]).toBeInstanceOf(DDoSProtection);
    expect(String(orders.errors[0])).toContain('"code":-1015');

    exchange.setClockOffset(offset + 60_000);
    await ex.loadTimeDifference();
    // 1 for the time call, then 74 × 80 = 5920: the 75th would pass 6000
    const reads = outcomes(await times(75, () => ex.fetchOpenOrders()));
    expect(reads.ok).toBe(74);
    expect(reads.errors[0]).toBeInstanceOf(DDoSProtection);
    expect(exchange.rateLimitRefusals()).toBe(2);
  });
});
