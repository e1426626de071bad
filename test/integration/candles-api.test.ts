import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import type { CandlesAnswer } from '../../shared/candles-api.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { openUiSession } from '../support/ui-session.js';

/**
 * GET /api/candles over HTTP with a UI session, through real ccxt to the fake exchanges: candles
 * from the market's tape, a second read within seconds answered by the cache (nothing sent), bad
 * input refused naming the field (nothing sent), and an exchange that is slow or gone answered
 * offline with what the engine holds.
 */
const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';
const KLINE = '/v5/market/kline';

let engine: TestEngine;
let bybit: FakeExchange;
let binance: FakeExchange;
let session: Record<string, string> = {};

beforeAll(async () => {
  engine = await startTestEngine();
  [bybit, binance] = await Promise.all([
    startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET }),
    startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET }),
  ]);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  for (const price of [62_000, 59_000, 61_500]) bybit.setPrice('BTCUSDT', price, 'linear');
  binance.setPrice('BTCUSDT', 60_250, 'spot');
  binance.setPrice('BTCUSDT', 60_750, 'linear');
  session = (await openUiSession(engine.createUiUrl())).headers;
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([bybit?.close(), binance?.close()]);
});

async function candles(query: string, headers: Record<string, string> = session): Promise<{ status: number; json: CandlesAnswer & { error?: { code: string; field?: string; message: string } } }> {
  const response = await fetch(`${engine.url}/api/candles?${query}`, { headers });
  return { status: response.status, json: (await response.json()) as CandlesAnswer & { error?: { code: string; field?: string; message: string } } };
}

const BTC_PERP_1M = 'exchange=bybit&symbol=BTCUSDT&marketType=swap&timeframe=1m';

describe('GET /api/candles', () => {
  it("answers the market's candles from the exchange: open times in seconds on the grid, the tape's extremes, the last price as the last close", async () => {
    const answer = await candles(BTC_PERP_1M);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toMatchObject({ exchange: 'bybit', symbol: 'BTC/USDT:USDT', marketType: 'swap', timeframe: '1m', source: 'exchange', note: null });
    const rows = answer.json.candles;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.time % 60 === 0 && row.time <= Date.now() / 1000)).toBe(true);
    expect(rows.map((row) => row.time)).toEqual([...rows.map((row) => row.time)].sort((a, b) => a - b));
    expect(Math.max(...rows.map((row) => row.high))).toBe(62_000);
    expect(Math.min(...rows.map((row) => row.low))).toBe(59_000);
    expect(rows.at(-1)?.close).toBe(61_500);
    const asked = bybit.requests(KLINE);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ apiKey: null, params: { category: 'linear', symbol: 'BTCUSDT', interval: '1' } });
  });

  it('answers the same chart again within seconds from the cache, sending nothing', async () => {
    const first = await candles(BTC_PERP_1M);
    const again = await candles(BTC_PERP_1M);
    expect(again.status).toBe(200);
    expect(again.json.source).toBe('cache');
    expect(again.json.candles).toEqual(first.json.candles);
    expect(bybit.requests(KLINE)).toHaveLength(1);
  });

  it("reads Binance's spot and USDⓈ-M candles from their own endpoints", async () => {
    const spot = await candles('exchange=binance&symbol=BTCUSDT&marketType=spot&timeframe=5m&limit=10');
    expect(spot.json).toMatchObject({ symbol: 'BTC/USDT', source: 'exchange' });
    expect(spot.json.candles.at(-1)?.close).toBe(60_250);
    const perp = await candles('exchange=binance&symbol=BTCUSDT.P&marketType=swap&timeframe=1h');
    expect(perp.json).toMatchObject({ symbol: 'BTC/USDT:USDT', source: 'exchange' });
    expect(perp.json.candles.at(-1)?.close).toBe(60_750);
    expect(binance.requests('/api/v3/klines')[0]?.params).toMatchObject({ symbol: 'BTCUSDT', interval: '5m', limit: '10' });
    expect(binance.requests('/fapi/v1/klines')[0]?.params).toMatchObject({ symbol: 'BTCUSDT', interval: '1h' });
  });

  it.each([
    ['symbol=BTCUSDT&marketType=swap&timeframe=1m', 'missing_field', 'exchange'],
    ['exchange=kraken&symbol=BTCUSDT&marketType=swap&timeframe=1m', 'invalid_field', 'exchange'],
    ['exchange=bybit&marketType=swap&timeframe=1m', 'missing_field', 'symbol'],
    ['exchange=bybit&symbol=BTCUSDT&marketType=futures&timeframe=1m', 'invalid_field', 'marketType'],
    ['exchange=bybit&symbol=BTCUSDT&marketType=swap&timeframe=2h', 'invalid_field', 'timeframe'],
    ['exchange=bybit&symbol=BTCUSDT&marketType=swap', 'missing_field', 'timeframe'],
    [`${BTC_PERP_1M}&since=1767225600`, 'invalid_field', 'since'],
    [`${BTC_PERP_1M}&limit=0`, 'invalid_field', 'limit'],
    [`${BTC_PERP_1M}&limit=1001`, 'invalid_field', 'limit'],
    ['exchange=bybit&symbol=NOPEUSDT&marketType=swap&timeframe=1m', 'unknown_symbol', 'symbol'],
    [`exchange=bybit&symbol=${'B'.repeat(65)}&marketType=swap&timeframe=1m`, 'invalid_field', 'symbol'],
    ['exchange=bybit&symbol=BTCUSDT&marketType=spot&timeframe=1m&since=x', 'invalid_field', 'since'],
  ])('refuses %s with 400 %s naming %s, and asks the exchange nothing', async (query, code, field) => {
    const before = bybit.requests(KLINE).length;
    const answer = await candles(query);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code, field });
    expect(answer.json.error?.message).toMatch(new RegExp(`^${field}\\b`));
    expect(bybit.requests(KLINE)).toHaveLength(before);
  });

  it('is a UI route: without the page session it is refused', async () => {
    const answer = await fetch(`${engine.url}/api/candles?${BTC_PERP_1M}`);
    expect(answer.status).toBe(401);
  });

  it('answers offline within its 1.5 s when the exchange holds its answer back', async () => {
    bybit.failNext('hold_before_accept', { path: KLINE, delayMs: 2_500 });
    const started = Date.now();
    const slow = await candles('exchange=bybit&symbol=ETHUSDT&marketType=swap&timeframe=15m');
    expect(Date.now() - started).toBeLessThan(2_400);
    expect(slow.status).toBe(200);
    expect(slow.json).toMatchObject({ symbol: 'ETH/USDT:USDT', source: 'offline', candles: [] });
    expect(slow.json.note).toMatch(/did not answer/);
  });

  it('answers offline with the candles it holds once the exchange is gone, and says so', async () => {
    const held = await candles(BTC_PERP_1M);
    await bybit.close();
    // past the few seconds in which a read is answered from the cache, the forming candle is asked again
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    const offline = await candles(BTC_PERP_1M);
    expect(offline.status).toBe(200);
    expect(offline.json.source).toBe('offline');
    expect(offline.json.candles.length).toBeGreaterThan(0);
    const heldTimes = held.json.candles.map((row) => row.time);
    expect(offline.json.candles.every((row) => heldTimes.includes(row.time))).toBe(true);
    expect(offline.json.note).toMatch(/^bybit .*: these are the candles read before/);
    // never read before: nothing to show, and the note says that too
    const never = await candles('exchange=bybit&symbol=BTCUSDT&marketType=swap&timeframe=4h');
    expect(never.json).toMatchObject({ source: 'offline', candles: [] });
    expect(never.json.note).toMatch(/no candles of this time were read before/);
  });
});
