import { describe, expect, it } from 'vitest';
import { CandleCache, type CandleWindow, DeadlinePassed, windowOf } from '../../main/engine/exchanges/ccxt/candle-cache.js';
import type { Candle } from '../../shared/candles-api.js';

const STEP = 60_000;
/** 10:00 on some day, on the minute grid. */
const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);

function clock(start = T0 + 30_000) {
  let ms = start;
  return { now: () => ms, set: (to: number) => (ms = to), advance: (by: number) => (ms += by) };
}

/**
 * A stand-in for the exchange: every candle of a window, closing at its minute's number, and the
 * forming one at `forming` (what the exchange would say now); it notes each window it is asked.
 */
function exchange() {
  const asked: CandleWindow[] = [];
  const state = { forming: 1_000, failing: null as Error | null, hold: null as Promise<void> | null };
  const candle = (time: number, close: number): Candle => ({ time: time / 1000, open: close, high: close, low: close, close, volume: 1 });
  return {
    asked,
    state,
    fetch: async (window: CandleWindow, now: number): Promise<Candle[]> => {
      asked.push(window);
      if (state.hold) await state.hold;
      if (state.failing) throw state.failing;
      const candles: Candle[] = [];
      const current = Math.floor(now / STEP) * STEP;
      for (let time = window.from; time <= window.to; time += STEP) candles.push(candle(time, time === current ? state.forming : (time - T0) / STEP));
      return candles;
    },
  };
}

const closes = (candles: readonly Candle[]) => candles.map((candle) => candle.close);

describe('windowOf', () => {
  it('is the newest `limit` candles without since, or `limit` from the one holding since, never past now', () => {
    expect(windowOf(null, 3, STEP, T0 + 30_000)).toEqual({ from: T0 - 2 * STEP, to: T0 });
    expect(windowOf(T0 - 10 * STEP + 5, 4, STEP, T0 + 30_000)).toEqual({ from: T0 - 10 * STEP, to: T0 - 7 * STEP });
    expect(windowOf(T0 - 2 * STEP, 100, STEP, T0 + 30_000)).toEqual({ from: T0 - 2 * STEP, to: T0 });
    // a since ahead of the clock: the forming candle
    expect(windowOf(T0 + 60 * STEP, 10, STEP, T0 + 30_000)).toEqual({ from: T0, to: T0 });
  });
});

describe('CandleCache', () => {
  it('answers a second read within the window from the cache, then re-reads only the forming candle', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now, freshMs: 5_000 });
    const read = () => cache.read('bybit|BTC/USDT:USDT|1m', STEP, windowOf(null, 5, STEP, time.now()), (window) => ex.fetch(window, time.now()));

    const first = await read();
    expect(first.source).toBe('exchange');
    expect(closes(first.candles)).toEqual([-4, -3, -2, -1, 1_000]);
    expect(ex.asked).toEqual([{ from: T0 - 4 * STEP, to: T0 }]);

    time.advance(4_000);
    ex.state.forming = 1_001;
    const second = await read();
    expect(second.source).toBe('cache');
    expect(closes(second.candles)).toEqual([-4, -3, -2, -1, 1_000]);
    expect(ex.asked).toHaveLength(1);

    time.advance(2_000);
    const third = await read();
    expect(third.source).toBe('exchange');
    expect(closes(third.candles)).toEqual([-4, -3, -2, -1, 1_001]);
    // the closed candles were not asked for again
    expect(ex.asked[1]).toEqual({ from: T0, to: T0 });
  });

  it('reads a candle that closed since once more, with the new forming one, and keeps it', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now });
    const read = () => cache.read('k', STEP, windowOf(null, 3, STEP, time.now()), (window) => ex.fetch(window, time.now()));
    await read();
    time.set(T0 + STEP + 10_000);
    ex.state.forming = 2_000;
    const next = await read();
    expect(ex.asked[1]).toEqual({ from: T0, to: T0 + STEP });
    expect(closes(next.candles)).toEqual([-1, 0, 2_000]);
  });

  it('answers a window wholly in the past from the cache however late, since closed candles never change', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now });
    const past = { from: T0 - 50 * STEP, to: T0 - 40 * STEP };
    expect((await cache.read('k', STEP, past, (window) => ex.fetch(window, time.now()))).source).toBe('exchange');
    time.advance(3_600_000);
    const again = await cache.read('k', STEP, { from: T0 - 48 * STEP, to: T0 - 45 * STEP }, (window) => ex.fetch(window, time.now()));
    expect(again.source).toBe('cache');
    expect(closes(again.candles)).toEqual([-48, -47, -46, -45]);
    expect(ex.asked).toHaveLength(1);
  });

  it('shares one read between two charts opened at once', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now });
    let release = () => undefined as void;
    ex.state.hold = new Promise<void>((resolve) => (release = resolve));
    const window = windowOf(null, 3, STEP, time.now());
    const both = Promise.all([1, 2].map(() => cache.read('k', STEP, window, (w) => ex.fetch(w, time.now()))));
    release();
    const [one, two] = await both;
    expect([one?.source, two?.source]).toEqual(['exchange', 'cache']);
    expect(two?.candles).toEqual(one?.candles);
    expect(ex.asked).toHaveLength(1);
  });

  it('keeps a bounded number of series, the least recently used going first', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now, maxSeries: 2 });
    const window = { from: T0 - 10 * STEP, to: T0 - 5 * STEP };
    const read = (key: string) => cache.read(key, STEP, window, (w) => ex.fetch(w, time.now()));
    await read('a');
    await read('b');
    await read('a'); // a is now the most recently used
    await read('c');
    expect(cache.size).toBe(2);
    expect(ex.asked).toHaveLength(3);
    expect((await read('a')).source).toBe('cache');
    expect((await read('b')).source).toBe('exchange'); // b was dropped for c
  });

  it('keeps a bounded number of candles per series, the oldest going first', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now, maxCandlesPerSeries: 5 });
    await cache.read('k', STEP, { from: T0 - 20 * STEP, to: T0 - 11 * STEP }, (w) => ex.fetch(w, time.now()));
    const newest = await cache.read('k', STEP, { from: T0 - 15 * STEP, to: T0 - 11 * STEP }, (w) => ex.fetch(w, time.now()));
    expect(newest.source).toBe('cache');
    expect(closes(newest.candles)).toEqual([-15, -14, -13, -12, -11]);
    const older = await cache.read('k', STEP, { from: T0 - 20 * STEP, to: T0 - 11 * STEP }, (w) => ex.fetch(w, time.now()));
    expect(older.source).toBe('exchange');
    expect(ex.asked).toHaveLength(2);
  });

  it('answers offline with what it holds when the exchange fails, the last forming candle included', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now });
    const read = () => cache.read('k', STEP, windowOf(null, 3, STEP, time.now()), (window) => ex.fetch(window, time.now()));
    await read();
    time.set(T0 + STEP + 10_000);
    ex.state.failing = new Error('connection refused');
    const offline = await read();
    expect(offline.source).toBe('offline');
    expect(offline.failure).toBe(ex.state.failing);
    // T0 - STEP closed and held; T0 was forming when last read (its close may be stale); T0 + STEP never read
    expect(closes(offline.candles)).toEqual([-1, 1_000]);

    const never = await cache.read('other', STEP, windowOf(null, 3, STEP, time.now()), (window) => ex.fetch(window, time.now()));
    expect(never).toMatchObject({ source: 'offline', candles: [] });
  });

  it('answers offline past its deadline, and keeps the late answer for the next read', async () => {
    const time = clock();
    const ex = exchange();
    const cache = new CandleCache({ now: time.now, deadlineMs: 30 });
    let release = () => undefined as void;
    ex.state.hold = new Promise<void>((resolve) => (release = resolve));
    const window = windowOf(null, 3, STEP, time.now());
    const slow = await cache.read('k', STEP, window, (w) => ex.fetch(w, time.now()));
    expect(slow.source).toBe('offline');
    expect(slow.failure).toBeInstanceOf(DeadlinePassed);
    expect(slow.candles).toEqual([]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const next = await cache.read('k', STEP, window, (w) => ex.fetch(w, time.now()));
    expect(next.source).toBe('cache');
    expect(closes(next.candles)).toEqual([-2, -1, 1_000]);
    expect(ex.asked).toHaveLength(1);
  });
});
