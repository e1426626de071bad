// What an exchange says of its own count holds apisify's requests. Another program on the same account
// or IP (a second bot) spends limits that apisify's own count never saw; the exchange then refuses, or
// says a window is used up. Sending on into refusals is what gets an IP banned ("failing to back off
// after receiving 429s will result in an automated IP ban", Binance): apisify holds what was refused
// until the exchange's time, waits out a hold of a second at most, and refuses longer ones at once,
// unsent. Real ccxt against fakes that enforce the published limits, a neighbour program beside it.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bybitClient } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'holds-exchange-key-0123456789';
const SECRET = 'holds-exchange-secret-abcdefghijklmn';

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
    fake.setPrice('BTCUSDT', 60_000);
  }
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  // warm: markets, the clock and the accounts' streams are known before the limits are spent
  for (const exchange of ['bybit', 'binance']) {
    expect((await order({ exchange, side: 'Buy' })).status).toBe(200);
    expect((await order({ exchange, side: 'Close' })).status).toBe(200);
  }
}, 30_000);

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
  await binance?.close();
});

/** Each order its own timestamp (a signature is good once). */
let lastTimestamp = 0;
const order = (fields: Record<string, unknown>) => {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT', ...fields }, { timestamp: lastTimestamp });
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe("a limit another program spent", () => {
  it("Bybit: after a create refused because a neighbour spent the account's second, the next order waits for Bybit's reset and goes, instead of being refused too", async () => {
    const neighbour = bybitClient(bybit, { apiKey: API_KEY, secret: SECRET });
    await neighbour.loadMarkets();
    // the warm-up's creates out of the rolling second
    await sleep(1_100);
    const before = bybit.requests('/v5/order/create').length;
    const refusals = bybit.rateLimitRefusals();
    // the account's 10 creates of this second, spent by the other program
    await Promise.all(Array.from({ length: 10 }, () => neighbour.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01)));
    const spentAt = Math.min(...bybit.requests('/v5/order/create').slice(before).map((request) => request.at));

    const refused = await order({ side: 'Buy' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.body.error?.code).toBe('exchange_rate_limited');
    const next = await order({ side: 'Sell' });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.order?.status).toBe('filled');

    const creates = bybit.requests('/v5/order/create').slice(before);
    // the neighbour's ten, apisify's refused one, and the next one once: never sent into the refusal
    expect(creates).toHaveLength(12);
    expect(bybit.rateLimitRefusals()).toBe(refusals + 1);
    // it left once the neighbour's first create had left Bybit's rolling second
    expect(creates[11]?.at).toBeGreaterThanOrEqual(spentAt + 1_000 - 5);
    await neighbour.close();
  });

  it("Binance: a read refused for the IP's weight holds such reads until Retry-After, unsent and answered at once, while creates, which weigh nothing there, still go", async () => {
    // Binance counts the weight in minutes of its clock: spend it well inside one
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await sleep(60_000 - intoMinute + 50);
    const allBefore = binance.requests().length;
    // the neighbour spends what is left of the IP's 2,400 for the minute: tickers of every symbol at 40, then the clock at 1
    for (let used = 0; used < 2_400; ) {
      const answer = await fetch(`${binance.url}/fapi/v1/${2_400 - used >= 40 ? 'ticker/24hr' : 'time'}`);
      expect(answer.status).toBe(200);
      used = Number(answer.headers.get('x-mbx-used-weight-1m'));
    }
    const refusals = binance.rateLimitRefusals();

    // sized from the account: its balance read weighs 5, past the limit
    const refused = await order({ exchange: 'binance', qty: 1, qty_unit: 'equity_percent' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(binance.rateLimitRefusals()).toBe(refusals + 1);
    const seen = binance.requests().length;

    const held = await order({ exchange: 'binance', qty: 1, qty_unit: 'equity_percent' });
    expect(held.status, JSON.stringify(held.body)).toBe(429);
    expect(held.body.error).toMatchObject({ code: 'exchange_rate_limited', message: expect.stringMatching(/weight for the minute is used up .*: apisify holds such requests for another \d+ s, and this one was not sent/) });
    // nothing reached the exchange for it
    expect(binance.requests().length).toBe(seen);
    expect(binance.rateLimitRefusals()).toBe(refusals + 1);

    const plain = await order({ exchange: 'binance', side: 'Buy', qty: 0.01 });
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
    expect(plain.body.order?.status).toBe('filled');
    expect(binance.requests('/fapi/v1/order').slice(-1)[0]?.at).toBeGreaterThan(binance.requests()[allBefore]?.at ?? Infinity);
  }, 90_000);
});
