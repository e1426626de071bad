// A create the exchange refuses because its client order id is already taken is the order already
// there (a resend after a look-up that missed it, a leg placed again after a restart): apisify finds it
// by that id and takes its state, never journals it refused while it rests or has filled. Real ccxt
// against the fake Bybit and Binance USDⓈ-M, through the engine's own venue.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CcxtVenue } from '../../main/engine/exchanges/ccxt/ccxt-venue.js';
import type { LegToSend } from '../../main/engine/exchanges/venue.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

const API_KEY = 'duplicate-id-key-0123456789';
const SECRET = 'duplicate-id-secret-abcdefghijklmnop';

let engine: TestEngine;
let bybit: FakeExchange;
let binance: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  binance = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  for (const fake of [bybit, binance]) {
    fake.setBalance('USDT', 100_000);
    fake.setPrice('BTCUSDT', 60_000);
  }
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
  await binance?.close();
});

async function venueOf(exchange: 'bybit' | 'binance'): Promise<CcxtVenue> {
  const venue = await engine.services.ccxt.venueFor(defaultAccountOf(exchange), 'swap');
  if (!venue) throw new Error(`no ${exchange} venue`);
  return venue;
}

const leg = (clientOrderId: string, changes: Partial<LegToSend> = {}): LegToSend => ({ clientOrderId, side: 'buy', type: 'market', amount: 0.01, price: null, reduceOnly: false, role: 'entry', triggerPrice: null, ...changes });

describe('a create refused as a duplicate client order id', () => {
  it('Binance USDⓈ-M, a resting Limit: the second create answers the first order, open, and nothing more rests', async () => {
    const venue = await venueOf('binance');
    const market = await venue.resolveMarket('BTCUSDT');
    const resting = leg('dup-binance-limit', { type: 'limit', price: 55_000 });
    const first = await venue.submit(market, resting, Promise.resolve());
    expect(first).toMatchObject({ status: 'open' });
    const second = await venue.submit(market, resting, Promise.resolve());
    expect(second).toMatchObject({ status: 'open', exchangeOrderId: first.exchangeOrderId });
    expect(binance.createdOrders().filter((order) => order.clientOrderId === 'dup-binance-limit')).toHaveLength(1);
  });

  it('Binance USDⓈ-M, a stop on the algo service: the second create answers the resting stop', async () => {
    const venue = await venueOf('binance');
    const market = await venue.resolveMarket('BTCUSDT');
    await venue.submit(market, leg('dup-binance-entry'), Promise.resolve());
    const stop = leg('dup-binance-stop', { side: 'sell', reduceOnly: true, role: 'stop_loss', triggerPrice: 59_000 });
    const first = await venue.submit(market, stop, Promise.resolve());
    expect(first).toMatchObject({ status: 'open' });
    const second = await venue.submit(market, stop, Promise.resolve());
    expect(second).toMatchObject({ status: 'open', exchangeOrderId: first.exchangeOrderId });
  });

  it('Bybit, a Market order that filled: the second create answers the filled order', async () => {
    const venue = await venueOf('bybit');
    const market = await venue.resolveMarket('BTCUSDT');
    const order = leg('dup-bybit-market');
    const first = await venue.submit(market, order, Promise.resolve());
    expect(first.exchangeOrderId).not.toBeNull();
    const creates = bybit.createdOrders().length;
    const second = await venue.submit(market, order, Promise.resolve());
    expect(second).toMatchObject({ exchangeOrderId: first.exchangeOrderId, status: 'filled' });
    expect(bybit.createdOrders()).toHaveLength(creates);
  });
});
