// An account's private stream logs in on the exchange's clock, as its REST calls sign: against a fake
// Bybit whose clock runs 30 s ahead of the machine's, real ccxt's stream login (signed `expires` from the
// machine's clock, 10 s ahead) would be refused at every connect while REST, which applies the clock
// difference it read, went through. The stream is live, and a fill is pushed on it.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'clock-exchange-key-0123456789';
const SECRET = 'clock-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, clockOffsetMs: 30_000 });
  bybit.setBalance('USDT', 100_000);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
});

describe('an exchange clock 30 s ahead of the machine', () => {
  it('Bybit: the account stream logs in and stays subscribed, and a resting order’s fill arrives by push', async () => {
    const first = await postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await eventually(() => bybit.websocketStats().subscribed, (open) => open === 1, 6_000)).toBe(1);

    const resting = await postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Limit', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT', price: 50_000 }, { timestamp: Date.now() + 1 });
    expect(resting.body.order?.status).toBe('open');
    const id = resting.body.order?.id as number;
    const lookups = bybit.requestCount('/v5/order/realtime');
    bybit.setPrice('BTCUSDT', 49_000);
    expect(await eventually(() => engine.services.journal.get(id)?.status, (status) => status === 'filled', 3_000)).toBe('filled');
    // from the push: no order was looked up meanwhile
    expect(bybit.requestCount('/v5/order/realtime')).toBe(lookups);
  });
});
