// A Binance USDⓈ-M stop-loss that triggers, followed as users run the app (the account's stream live)
// and without the stream (REST look-ups only), through real ccxt against the fake. ccxt 4.5.84 reads
// the algo service's TRIGGERED and FINISHED both as `closed`, with no fill to read: the stop must not
// count as filled when it only triggered (its take-profit would be cancelled while the position is
// still open), nor as filled by nothing once its order traded, and a triggered stop the books refuse
// must say so on the order.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import { binanceUsdmClient } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const LIVE = { apiKey: 'trigger-live-key-0123456789', secret: 'trigger-live-secret-abcdefghijkl' };
const REST = { apiKey: 'trigger-rest-key-0123456789', secret: 'trigger-rest-secret-abcdefghijkl' };
const ALGO = '/fapi/v1/algoOrder';

let engine: TestEngine;
let live: FakeExchange;
let rest: FakeExchange;
let key: { apikey: string; secret: string };
let client: ReturnType<typeof binanceUsdmClient>;

beforeAll(async () => {
  live = await startFakeExchange({ venue: 'binance', ...LIVE, fees: 'standard' });
  rest = await startFakeExchange({ venue: 'binance', ...REST, fees: 'standard' });
  rest.failWebsockets('refuse');
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 2_000 });
  await engine.services.exchanges.set(defaultAccountOf('binance'), LIVE, live.url);
  await engine.services.exchanges.set({ exchange: 'binance', account: 'rest' }, REST, rest.url);
  engine.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: ['binance'], accounts: { binance: ['default', 'rest'] } });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  client = binanceUsdmClient(live, LIVE);
  await client.loadMarkets();
});
afterAll(async () => {
  await client?.close();
  await engine?.stop();
  for (const fake of [live, rest]) await fake?.close();
});
beforeEach(() => {
  for (const fake of [live, rest]) {
    fake.setTriggerLatency(0);
    fake.setBalance('USDT', 100_000);
    fake.setPrice('BTCUSDT', 60_000);
    for (const position of fake.positions()) fake.setPosition(position.symbol, 0);
  }
});

/** A long of 0.01 guarded by a stop at 59 000 and a take-profit at 61 000, both armed on the exchange. */
async function guardedLong(account: 'default' | 'rest') {
  const placed = await postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', account, order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000, take_profit: 61_000 });
  expect(placed.body.order?.status).toBe('filled');
  const id = placed.body.order?.id as number;
  const order = () => engine.services.journal.get(id);
  const leg = (role: 'stop_loss' | 'take_profit') => order()?.legs.find((item) => item.role === role);
  await eventually(order, (view) => view?.legs.filter((item) => item.role !== 'entry' && item.status === 'open').length === 2, 5_000);
  return { id, order, leg };
}

/** The client ids of the conditional orders resting on the live fake, as ccxt lists them. */
async function openAlgoIds(): Promise<(string | undefined)[]> {
  const open = await client.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, { trigger: true });
  return open.map((order) => order.clientOrderId);
}

describe('with the account’s stream live', () => {
  it('a triggered stop is not filled until its order trades; then its take-profit is cancelled', async () => {
    const { leg } = await guardedLong('default');
    live.setTriggerLatency(600);
    live.setPrice('BTCUSDT', 58_000);
    // TRIGGERED is pushed at once; the stop's order reaches the books 600 ms later
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.positions()).toHaveLength(1);
    expect(leg('stop_loss')).toMatchObject({ status: 'open', filled: '0' });
    expect(leg('take_profit')?.status).toBe('open');
    expect(live.requests(ALGO).filter((request) => request.method === 'DELETE')).toEqual([]);

    const stop = await eventually(() => leg('stop_loss'), (view) => view?.status === 'filled', 5_000);
    expect(stop).toMatchObject({ filled: '0.01', averagePrice: '58000' });
    await eventually(() => leg('take_profit'), (view) => view?.status === 'cancelled', 5_000);
    expect(live.positions()).toEqual([]);
  });

  it('a triggered stop the books refuse says so on the order', async () => {
    const { order, leg } = await guardedLong('default');
    // the position is closed on the website: the stop's reduce-only order has nothing to reduce
    live.setPosition('BTCUSDT', 0);
    live.setPrice('BTCUSDT', 58_000);
    await eventually(() => leg('stop_loss'), (view) => view?.status === 'cancelled', 5_000);
    expect(leg('stop_loss')?.filled).toBe('0');
    const failed = await eventually(order, (view) => view?.error?.code === 'protection_failed', 5_000);
    expect(failed?.error?.message).toMatch(/^a protective order triggered but did not fill in full: the stop-loss at 59000 filled 0 of 0\.01 \(.+\)$/);
    // the take-profit guards nothing any more: it must not close a later position
    const target = await eventually(() => leg('take_profit'), (view) => view?.status === 'cancelled', 5_000);
    expect(target?.status).toBe('cancelled');
    expect(await openAlgoIds()).not.toContain(target?.clientOrderId);
  });

  it('a stop larger than what is left of the long closes it, and its take-profit is cancelled with it (pinned)', async () => {
    const { order, leg } = await guardedLong('default');
    // part of the long closed on the website: the stop's reduce-only order closes the 0.006 left
    live.setPosition('BTCUSDT', 0.006, { entryPrice: 60_000 });
    live.setPrice('BTCUSDT', 58_000);
    await eventually(() => live.positions(), (positions) => positions.length === 0, 5_000);
    const target = await eventually(() => leg('take_profit'), (view) => view?.status === 'cancelled', 5_000);
    expect(target?.status).toBe('cancelled');
    expect(await openAlgoIds()).not.toContain(target?.clientOrderId);
    // the fake, as the placed order capped to the position reports it, finishes the stop filled by what it closed
    expect(leg('stop_loss')).toMatchObject({ status: 'filled', filled: '0.006' });
    expect(order()?.error).toBeNull();
    expect(order()?.legs).toHaveLength(3);
  });
});

describe('without the stream (REST look-ups)', () => {
  it('a triggered stop is filled by what its order traded, with that order’s trade and fee', async () => {
    const { id, leg } = await guardedLong('rest');
    rest.setPrice('BTCUSDT', 58_000);
    expect(rest.positions()).toEqual([]);
    const stop = await eventually(() => leg('stop_loss'), (view) => view?.status === 'filled', 8_000);
    expect(stop).toMatchObject({ filled: '0.01', averagePrice: '58000' });
    // its exchange id is the order it placed, whose trade tells the fee (taker 0.05 % of 580 USDT)
    expect(stop?.exchangeOrderId).toBe(rest.createdOrders().at(-1)?.orderId);
    await eventually(() => leg('take_profit'), (view) => view?.status === 'cancelled', 8_000);
    const fills = await eventually(() => engine.services.journal.fills.ofLeg(id, stop?.leg as number), (kept) => kept.length > 0 && kept.every((fill) => fill.source === 'trade'), 10_000);
    expect(fills.map((fill) => `${fill.amount} at ${fill.price}, fee ${fill.fee}`)).toEqual(['0.01 at 58000, fee 0.29']);
  }, 20_000);
});
