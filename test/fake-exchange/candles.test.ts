// Candles from the market's tape, read by real ccxt fetchOHLCV on each venue: Bybit v5's
// /v5/market/kline (linear, inverse, spot; newest first, the newest `limit` of the range), Binance
// spot /api/v3/klines and USDⓈ-M /fapi/v1/klines (oldest first, `limit` from startTime). The
// exchange's clock starts a second into a 5-minute boundary and is moved a minute at a time, so
// every candle's figures are known by hand.

import { afterEach, describe, expect, test } from 'vitest';
import { BadRequest } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type MarketKind, type Venue } from './index.js';

const MINUTE = 60_000;
let fake: FakeExchange | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** ccxt's row: time, open, high, low, close, volume (ccxt types each as possibly undefined). */
type Ohlcv = (number | undefined)[];

interface CandleClient {
  loadTimeDifference(): Promise<number>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<Ohlcv[]>;
  createOrder(symbol: string, type: 'market', side: 'buy' | 'sell', amount: number): Promise<unknown>;
}

/**
 * A fake whose clock reads one second past the next 5-minute boundary M when it starts: the tape
 * begins in the 1-minute candle M, and each `minute(n)` moves the clock to M + n minutes + 1 s.
 */
async function startedAtBoundary(venue: Venue): Promise<{ fake: FakeExchange; boundary: number; minute(n: number): void }> {
  const boundary = Math.ceil((Date.now() + 1_000) / (5 * MINUTE)) * 5 * MINUTE;
  const offset = boundary + 1_000 - Date.now();
  const started = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET, clockOffsetMs: offset });
  fake = started;
  started.setBalance('USDT', 100_000);
  started.setBalance('BTC', 10);
  return { fake: started, boundary, minute: (n) => started.setClockOffset(offset + n * MINUTE) };
}

/**
 * Minute 0: bought at 60 000, the price rises to 61 000. Minute 1: 59 000, then 60 500 and a sale
 * there. Minute 2: nothing. Minute 3 (still open): 60 800.
 */
async function trade(ex: CandleClient, symbol: string, kind: MarketKind, minute: (n: number) => void, sizes: { buy: number; sell: number }): Promise<void> {
  const exchange = fake as FakeExchange;
  await ex.loadTimeDifference();
  await ex.createOrder(symbol, 'market', 'buy', sizes.buy);
  exchange.setPrice(symbolId(symbol), 61_000, kind);
  minute(1);
  await ex.loadTimeDifference();
  exchange.setPrice(symbolId(symbol), 59_000, kind);
  exchange.setPrice(symbolId(symbol), 60_500, kind);
  await ex.createOrder(symbol, 'market', 'sell', sizes.sell);
  minute(3);
  exchange.setPrice(symbolId(symbol), 60_800, kind);
}

function symbolId(symbol: string): string {
  return symbol === 'BTC/USD:BTC' ? 'BTCUSD' : 'BTCUSDT';
}

const BYBIT_UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

const CASES: { name: string; venue: Venue; kind: MarketKind; symbol: string; client: (f: FakeExchange) => CandleClient; path: string; sizes: { buy: number; sell: number }; volumes: [number, number] }[] = [
  { name: 'bybit linear', venue: 'bybit', kind: 'linear', symbol: 'BTC/USDT:USDT', client: (f) => bybitClient(f, BYBIT_UNIFIED), path: '/v5/market/kline', sizes: { buy: 0.01, sell: 0.02 }, volumes: [0.01, 0.02] },
  { name: 'bybit spot', venue: 'bybit', kind: 'spot', symbol: 'BTC/USDT', client: (f) => bybitClient(f, BYBIT_UNIFIED), path: '/v5/market/kline', sizes: { buy: 0.01, sell: 0.02 }, volumes: [0.01, 0.02] },
  // ccxt reads an inverse candle's volume from its turnover, in BTC (8 decimals): 100 USD contracts at 60 000, 200 at 60 500
  { name: 'bybit inverse', venue: 'bybit', kind: 'inverse', symbol: 'BTC/USD:BTC', client: (f) => bybitClient(f, BYBIT_UNIFIED), path: '/v5/market/kline', sizes: { buy: 100, sell: 200 }, volumes: [100 / 60_000, 200 / 60_500] },
  { name: 'binance spot', venue: 'binance', kind: 'spot', symbol: 'BTC/USDT', client: (f) => binanceClient(f), path: '/api/v3/klines', sizes: { buy: 0.01, sell: 0.02 }, volumes: [0.01, 0.02] },
  { name: 'binance USDⓈ-M', venue: 'binance', kind: 'linear', symbol: 'BTC/USDT:USDT', client: (f) => binanceUsdmClient(f), path: '/fapi/v1/klines', sizes: { buy: 0.01, sell: 0.02 }, volumes: [0.01, 0.02] },
];

describe.each(CASES)('$name', (c) => {
  test('1m and 5m candles from the tape: open, extremes, close and traded volume, quiet minutes flat', async () => {
    const { fake: exchange, boundary, minute } = await startedAtBoundary(c.venue);
    const ex = c.client(exchange);
    await trade(ex, c.symbol, c.kind, minute, c.sizes);

    const candles = await ex.fetchOHLCV(c.symbol, '1m');
    expect(candles.map((row) => row.slice(0, 5))).toEqual([
      [boundary, 60_000, 61_000, 60_000, 61_000],
      [boundary + MINUTE, 61_000, 61_000, 59_000, 60_500],
      [boundary + 2 * MINUTE, 60_500, 60_500, 60_500, 60_500],
      [boundary + 3 * MINUTE, 60_500, 60_800, 60_500, 60_800],
    ]);
    expect(candles.map((row) => row[5])).toEqual([closeTo(c.volumes[0]), closeTo(c.volumes[1]), 0, 0]);

    const [five] = await ex.fetchOHLCV(c.symbol, '5m');
    expect(five?.slice(0, 5)).toEqual([boundary, 60_000, 61_000, 59_000, 60_800]);
    expect(five?.[5]).toBeCloseTo(c.volumes[0] + c.volumes[1], 7);
    expect(exchange.requests(c.path).every((request) => request.apiKey === null)).toBe(true);
  });

  test('a range: `since` with `until`, and before the tape began there is nothing', async () => {
    const { fake: exchange, boundary, minute } = await startedAtBoundary(c.venue);
    const ex = c.client(exchange);
    await trade(ex, c.symbol, c.kind, minute, c.sizes);
    const times = (rows: Ohlcv[]) => rows.map((row) => (row[0] ?? 0) - boundary);
    expect(times(await ex.fetchOHLCV(c.symbol, '1m', boundary + MINUTE, 2, { until: boundary + 2 * MINUTE + MINUTE - 1 }))).toEqual([MINUTE, 2 * MINUTE]);
    expect(await ex.fetchOHLCV(c.symbol, '1m', boundary - 60 * MINUTE, 10, { until: boundary - 1 })).toEqual([]);
  });

  test('an interval the fake does not build is refused as the exchange refuses it', async () => {
    const { fake: exchange } = await startedAtBoundary(c.venue);
    const ex = c.client(exchange);
    await ex.loadTimeDifference();
    await expect(ex.fetchOHLCV(c.symbol, '1w')).rejects.toBeInstanceOf(BadRequest);
  });
});

test('bybit answers newest first, and `since` alone gets the newest `limit` candles of the range', async () => {
  const { fake: exchange, boundary, minute } = await startedAtBoundary('bybit');
  minute(3);
  const raw = (await (await fetch(`${exchange.url}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${boundary}&limit=2`)).json()) as { result: { list: string[][] } };
  expect(raw.result.list.map((row) => Number(row[0]) - boundary)).toEqual([3 * MINUTE, 2 * MINUTE]);
  expect(raw.result.list[0]).toEqual([String(boundary + 3 * MINUTE), '60000.00', '60000.00', '60000.00', '60000.00', '0', '0']);
  // the candle holding a mid-interval start is included
  const mid = (await (await fetch(`${exchange.url}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${boundary + 30_000}&end=${boundary + 90_000}`)).json()) as { result: { list: string[][] } };
  expect(mid.result.list.map((row) => Number(row[0]) - boundary)).toEqual([MINUTE, 0]);
});

test('binance answers oldest first, `limit` counted from startTime, each row with its close time and trades', async () => {
  const { fake: exchange, boundary, minute } = await startedAtBoundary('binance');
  const ex = binanceUsdmClient(exchange);
  await trade(ex, 'BTC/USDT:USDT', 'linear', minute, { buy: 0.01, sell: 0.02 });
  const rows = (await (await fetch(`${exchange.url}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=${boundary}&limit=2`)).json()) as unknown[][];
  expect(rows).toEqual([
    [boundary, '60000.00', '61000.00', '60000.00', '61000.00', '0.01', boundary + MINUTE - 1, '600', 1, '0.01', '600', '0'],
    [boundary + MINUTE, '61000.00', '61000.00', '59000.00', '60500.00', '0.02', boundary + 2 * MINUTE - 1, '1210', 1, '0', '0', '0'],
  ]);
});

test("binance's kline weights count as published: spot 2, USDⓈ-M by the limit asked for", async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, rateLimits: 'published' });
  const used = async (path: string) => Number((await fetch(`${(fake as FakeExchange).url}${path}`)).headers.get('X-MBX-USED-WEIGHT-1M'));
  const spot = await used('/api/v3/klines?symbol=BTCUSDT&interval=1m');
  expect((await used('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000')) - spot).toBe(2);
  const first = await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=99');
  const steps = [await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=100'), await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m'), await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1500')];
  expect([first, ...steps].map((total, index, all) => (index === 0 ? total : total - (all[index - 1] as number)))).toEqual([1, 2, 5, 10]);
});

function closeTo(value: number): unknown {
  return expect.closeTo(value, 7);
}
