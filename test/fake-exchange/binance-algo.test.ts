// Binance USDⓈ-M conditional orders on the algo service (POST /fapi/v1/algoOrder, where ccxt
// 4.5.84 sends stopLossPrice / takeProfitPrice / triggerPrice), fetched, listed and cancelled with
// { trigger: true }, triggered by setPrice, pushed as ALGO_UPDATE, proven with real ccxt.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { BadRequest, OrderImmediatelyFillable, OrderNotFound } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceUsdmClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';
import { until, within } from './test-helpers.js';

const PERP = 'BTC/USDT:USDT';
const TRIGGER = { trigger: true };

let fake: FakeExchange;
let ex: ReturnType<typeof binanceUsdmClient>;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000, 'futures');
  ex = binanceUsdmClient(fake, { options: { watchPositions: { fetchPositionsSnapshot: false } } });
  await ex.loadMarkets();
});

afterEach(async () => {
  await ex.close();
  await fake.close();
});

describe('conditional orders', () => {
  test("a client algo id of an open conditional order is refused -20132, ccxt's BadRequest; once it ended the id may be used again", async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true, clientOrderId: 'stop-dup' });
    const again = ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true, clientOrderId: 'stop-dup' });
    await expect(again).rejects.toBeInstanceOf(BadRequest);
    await expect(again).rejects.toThrow(/"code":-20132/);
    const [open] = await ex.fetchOpenOrders(PERP, undefined, undefined, TRIGGER);
    await ex.cancelOrder(open?.id as string, PERP, TRIGGER);
    await expect(ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true, clientOrderId: 'stop-dup' })).resolves.toMatchObject({ clientOrderId: 'stop-dup', status: 'open' });
  });

  test('a stop-loss waits on the algo service, is listed and fetched with trigger, and closes the position once the price falls to it', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const stop = await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true, clientOrderId: 'stop-1' });
    expect(fake.requests('/fapi/v1/algoOrder')[0]?.params).toMatchObject({ algoType: 'CONDITIONAL', type: 'STOP_MARKET', triggerPrice: '55000', side: 'SELL', quantity: '0.1', clientAlgoId: 'stop-1', reduceOnly: 'true' });
    expect(stop).toMatchObject({ clientOrderId: 'stop-1', status: 'open', triggerPrice: 55_000, side: 'sell', amount: 0.1, reduceOnly: true });
    expect(fake.requestCount('/fapi/v1/order')).toBe(1);
    expect((await ex.fetchOpenOrders(PERP, undefined, undefined, TRIGGER)).map((o) => o.id)).toEqual([stop.id]);
    expect(await ex.fetchOpenOrders(PERP)).toEqual([]);

    fake.setPrice('BTCUSDT', 55_500, 'linear');
    expect(fake.positions()).toHaveLength(1);
    fake.setPrice('BTCUSDT', 54_800, 'linear');
    expect(fake.positions()).toEqual([]);
    const triggered = await ex.fetchOrder(idOf(stop), PERP, TRIGGER);
    expect(triggered).toMatchObject({ id: stop.id, status: 'closed' });
    expect(triggered.info).toMatchObject({ algoStatus: 'FINISHED', actualOrderId: fake.createdOrders().at(-1)?.orderId });
    expect(fake.createdOrders().at(-1)).toMatchObject({ side: 'sell', type: 'market', qty: 0.1, status: 'filled', avgPrice: 54_800, clientOrderId: 'stop-1' });
    // 0.1 × (54 800 - 60 000)
    expect(fake.getBalance('USDT', 'futures')).toBe(9_480);
    expect(await ex.fetchOpenOrders(PERP, undefined, undefined, TRIGGER)).toEqual([]);
  });

  test('a take-profit on a short triggers as the price falls; with a limit price it places a limit order', async () => {
    await ex.createOrder(PERP, 'market', 'sell', 0.1);
    await ex.createOrder(PERP, 'limit', 'buy', 0.1, 58_100, { takeProfitPrice: 58_000, reduceOnly: true });
    expect(fake.requests('/fapi/v1/algoOrder')[0]?.params).toMatchObject({ type: 'TAKE_PROFIT', triggerPrice: '58000', price: '58100' });
    fake.setPrice('BTCUSDT', 57_950, 'linear');
    // a buy limit above the price trades at once, at the price
    expect(fake.createdOrders().at(-1)).toMatchObject({ side: 'buy', type: 'limit', price: 58_100, status: 'filled', avgPrice: 57_950 });
    expect(fake.positions()).toEqual([]);
  });

  test('cancel with trigger: it no longer waits, and a second cancel is OrderNotFound', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const stop = await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true });
    const cancelled = await ex.cancelOrder(idOf(stop), PERP, TRIGGER);
    expect(cancelled).toMatchObject({ id: stop.id });
    expect(await ex.fetchOrder(idOf(stop), PERP, TRIGGER)).toMatchObject({ status: 'canceled' });
    fake.setPrice('BTCUSDT', 50_000, 'linear');
    expect(fake.positions()).toHaveLength(1);
    await expect(ex.cancelOrder(idOf(stop), PERP, TRIGGER)).rejects.toBeInstanceOf(OrderNotFound);
  });

  test('a trigger the price has already reached is -2021 OrderImmediatelyFillable, and nothing waits', async () => {
    await expect(ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 61_000 })).rejects.toBeInstanceOf(OrderImmediatelyFillable);
    await expect(ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { triggerPrice: 59_000 })).rejects.toThrow(/Order would immediately trigger/);
    expect(await ex.fetchOpenOrders(PERP, undefined, undefined, TRIGGER)).toEqual([]);
  });

  test('a reduce-only stop whose position is gone expires when it triggers, opening nothing', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const stop = await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true });
    await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { reduceOnly: true });
    fake.setPrice('BTCUSDT', 54_000, 'linear');
    expect(await ex.fetchOrder(idOf(stop), PERP, TRIGGER)).toMatchObject({ status: 'expired' });
    expect(fake.positions()).toEqual([]);
  });

  test('with a trigger latency, it is TRIGGERED with no order of its own until its order reaches the books', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const stop = await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true });
    fake.setTriggerLatency(300);
    fake.setPrice('BTCUSDT', 54_800, 'linear');
    const triggered = await ex.fetchOrder(idOf(stop), PERP, TRIGGER);
    // ccxt 4.5.84 reads TRIGGERED as closed
    expect(triggered).toMatchObject({ status: 'closed' });
    expect(triggered.info).toMatchObject({ algoStatus: 'TRIGGERED' });
    expect(triggered.info.actualOrderId).toBeUndefined();
    expect(fake.positions()).toHaveLength(1);
    await until(() => fake.positions().length === 0);
    expect((await ex.fetchOrder(idOf(stop), PERP, TRIGGER)).info).toMatchObject({ algoStatus: 'FINISHED', actualOrderId: fake.createdOrders().at(-1)?.orderId });
  });

  test('the user data stream pushes ALGO_UPDATE: NEW, then TRIGGERED and FINISHED around the fill of its order', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const { listenKey } = (await (await fetch(`${fake.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } })).json()) as { listenKey: string };
    const events: { e: string; o?: Record<string, unknown> }[] = [];
    const socket = new WebSocket(`${fake.url.replace('http', 'ws')}/private/ws?listenKey=${listenKey}`);
    socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as { e: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    try {
      await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true, clientOrderId: 'stop-ws' });
      await until(() => events.length >= 1);
      fake.setPrice('BTCUSDT', 54_900, 'linear');
      await until(() => events.length >= 5);
      expect(events.map((e) => (e.e === 'ALGO_UPDATE' ? `ALGO ${String(e.o?.['X'])}` : e.e))).toEqual(['ALGO NEW', 'ALGO TRIGGERED', 'ACCOUNT_UPDATE', 'ORDER_TRADE_UPDATE', 'ALGO FINISHED']);
      expect(events[0]?.o).toMatchObject({ caid: 'stop-ws', at: 'CONDITIONAL', o: 'STOP_MARKET', s: 'BTCUSDT', S: 'SELL', tp: '55000.00', R: true });
      expect(events[4]?.o).toMatchObject({ X: 'FINISHED', ap: '54900', aq: '0.100', act: 'MARKET' });
    } finally {
      socket.close();
    }
  });

  test('ccxt watchOrders reads the ALGO_UPDATE as the conditional order, and the fill as its own order', async () => {
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    const first = ex.watchOrders();
    await until(() => fake.websocketStats().channels.includes('userData'));
    const stop = await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { stopLossPrice: 55_000, reduceOnly: true });
    expect((await within(first)).at(-1)).toMatchObject({ id: stop.id, status: 'open', triggerPrice: 55_000 });
    const after = ex.watchOrders();
    fake.setPrice('BTCUSDT', 54_900, 'linear');
    await within(after);
    await until(() => (ex.orders ?? []).some((o: { id?: string; status?: string }) => o.id === stop.id && o.status === 'closed'));
    const fill = fake.createdOrders().at(-1);
    expect([...(ex.orders ?? [])].find((o: { id?: string }) => o.id === fill?.orderId)).toMatchObject({ status: 'closed', filled: 0.1 });
  });
});
