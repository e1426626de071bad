// Timing instruments: each recorded request's arrival time (sub-millisecond epoch ms), and the
// roundTripMs option: HTTP answers a round trip after arrival with the books already changed,
// websocket messages half of it each way.

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';
import { until } from './test-helpers.js';

let fake: FakeExchange | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake?.close();
  fake = undefined;
});

const preciseNow = (): number => performance.timeOrigin + performance.now();
const ROUND_TRIP = 120;
// the machine's own scheduling on top of the modelled delay: generous, two cores are shared
const SLACK = 250;

describe('arrival times', () => {
  test('each recorded request carries when it arrived, in epoch ms with sub-ms precision', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const before = preciseNow();
    for (let i = 0; i < 5; i++) await fetch(`${fake.url}/fapi/v1/time`);
    const after = preciseNow();
    const arrivals = fake.requests('/fapi/v1/time').map((r) => r.at);
    expect(arrivals).toHaveLength(5);
    for (const at of arrivals) {
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
    expect([...arrivals].sort((a, b) => a - b)).toEqual(arrivals);
    expect(arrivals.some((at) => !Number.isInteger(at))).toBe(true);
  });
});

describe('roundTripMs', () => {
  test('an answer leaves a round trip after its request arrived; the order is in the books at arrival', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, roundTripMs: ROUND_TRIP });
    fake.setBalance('USDT', 10_000);
    const exchange = fake;
    const ex = bybitClient(exchange, { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } });
    await ex.loadMarkets();
    const sent = preciseNow();
    let answered = 0;
    const placing = ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01).then(() => {
      answered = preciseNow();
    });
    await until(() => exchange.createdOrders().length === 1, 2_000);
    expect(answered).toBe(0);
    expect(exchange.positions()).toMatchObject([{ symbol: 'BTCUSDT', qty: 0.01 }]);
    await placing;
    const [arrival] = exchange.requests('/v5/order/create').map((r) => r.at);
    expect(answered - (arrival ?? 0)).toBeGreaterThanOrEqual(ROUND_TRIP - 1);
    expect(answered - sent).toBeLessThan(ROUND_TRIP + SLACK);
  });

  test('a held request (hold_before_accept) is answered after its hold, then the round trip', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, roundTripMs: ROUND_TRIP });
    fake.failNext('hold_before_accept', { delayMs: 100, path: '/fapi/v1/time' });
    const sent = preciseNow();
    await fetch(`${fake.url}/fapi/v1/time`);
    expect(preciseNow() - sent).toBeGreaterThanOrEqual(100 + ROUND_TRIP - 1);
  });

  test('websocket messages take half the round trip each way: a subscribe is answered a round trip later, a push half of one after the change', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, roundTripMs: ROUND_TRIP });
    const socket = new WebSocket(`${fake.url.replace('http', 'ws')}/v5/public/linear`);
    closers.push(async () => socket.close());
    const arrivals: { at: number; message: Record<string, unknown> }[] = [];
    socket.on('message', (data: Buffer) => arrivals.push({ at: preciseNow(), message: JSON.parse(data.toString('utf8')) as Record<string, unknown> }));
    await new Promise((resolve) => socket.once('open', resolve));

    const subscribed = preciseNow();
    socket.send(JSON.stringify({ op: 'subscribe', args: ['tickers.BTCUSDT'] }));
    await until(() => arrivals.length >= 2);
    expect(arrivals[0]?.message).toMatchObject({ op: 'subscribe', success: true });
    expect(arrivals[1]?.message).toMatchObject({ type: 'snapshot' });
    expect((arrivals[0]?.at ?? 0) - subscribed).toBeGreaterThanOrEqual(ROUND_TRIP - 1);
    expect((arrivals[0]?.at ?? 0) - subscribed).toBeLessThan(ROUND_TRIP + SLACK);

    const changed = preciseNow();
    fake.setPrice('BTCUSDT', 60_100, 'linear');
    await until(() => arrivals.length >= 3);
    const pushed = (arrivals[2]?.at ?? 0) - changed;
    expect(arrivals[2]?.message).toMatchObject({ type: 'delta', data: { lastPrice: '60100.00' } });
    expect(pushed).toBeGreaterThanOrEqual(ROUND_TRIP / 2 - 1);
    expect(pushed).toBeLessThan(ROUND_TRIP / 2 + SLACK);
  });

  test('roundTripMs must be a non-negative number', async () => {
    await expect(startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, roundTripMs: -1 })).rejects.toThrow(/roundTripMs/);
  });
});
