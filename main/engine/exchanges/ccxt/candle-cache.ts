import type { Candle, CandleSource } from '../../../../shared/candles-api.js';

/**
 * The public candles the charts read, kept in memory per series (exchange, market type, symbol,
 * timeframe): a closed candle never changes, so each is read from the exchange once; the candle
 * still forming is read again, but not within a few seconds of the last read, so a chart opened
 * twice (or by two pages) reads once. Bounded: a few series, each a few candles, the least recently
 * used series dropped first. A series that cannot be read answers with what it holds (offline).
 */

/** The candles a read wants: those opening in [from, to], Unix ms on the timeframe's grid. */
export interface CandleWindow {
  from: number;
  to: number;
}

/** Reads the candles opening in [from, to] from the exchange, oldest first. */
export type CandleFetch = (window: CandleWindow) => Promise<Candle[]>;

export interface CandleRead {
  source: CandleSource;
  /** Oldest first: the cached closed ones in the window, and the forming one when the window reaches now. */
  candles: Candle[];
  /** Why the exchange could not be read (offline); null otherwise. */
  failure: unknown;
}

export interface CandleCacheOptions {
  /** A series read this recently is answered without asking again (default 5 s). */
  freshMs?: number;
  /** How long a read waits for the exchange before answering offline (default 1.5 s); a late answer is still kept. */
  deadlineMs?: number;
  /** How many series are kept (default 64). */
  maxSeries?: number;
  /** How many closed candles one series keeps (default 2,000: two full windows of the largest request). */
  maxCandlesPerSeries?: number;
  now?: () => number;
}

interface Series {
  timeframeMs: number;
  /** Closed candles, oldest first, all of those opening in `complete` (none missing from it). */
  closed: Candle[];
  complete: CandleWindow | null;
  /** The candle that was forming at the last read, and which grid time that read was for (none yet is null). */
  forming: Candle | null;
  formingReadFor: number | null;
  readAt: number | null;
  reading: Promise<void> | null;
}

/**
 * The window a request means: `limit` candles from the one holding `since` (up to now; a `since`
 * ahead of the clock means the forming candle), or the newest `limit` without it.
 */
export function windowOf(since: number | null, limit: number, timeframeMs: number, now: number): CandleWindow {
  const current = alignDown(now, timeframeMs);
  if (since === null) return { from: current - (limit - 1) * timeframeMs, to: current };
  const from = Math.min(current, alignDown(since, timeframeMs));
  return { from, to: Math.min(current, from + (limit - 1) * timeframeMs) };
}

function alignDown(time: number, step: number): number {
  return Math.floor(time / step) * step;
}

const msOf = (candle: Candle): number => candle.time * 1000;

export class CandleCache {
  readonly #series = new Map<string, Series>();
  readonly #freshMs: number;
  readonly #deadlineMs: number;
  readonly #maxSeries: number;
  readonly #maxCandles: number;
  readonly #now: () => number;

  constructor(options: CandleCacheOptions = {}) {
    this.#freshMs = options.freshMs ?? 5_000;
    this.#deadlineMs = options.deadlineMs ?? 1_500;
    this.#maxSeries = options.maxSeries ?? 64;
    this.#maxCandles = options.maxCandlesPerSeries ?? 2_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many series are held (for tests of the bound). */
  get size(): number {
    return this.#series.size;
  }

  async read(key: string, timeframeMs: number, window: CandleWindow, fetch: CandleFetch): Promise<CandleRead> {
    const series = this.#touch(key, timeframeMs);
    // One read at a time per series: a second chart waits for the first one's answer and shares it.
    if (series.reading) await series.reading.catch(() => undefined);
    const now = this.#now();
    const missing = this.#missing(series, window, now);
    if (missing === null) return { source: 'cache', candles: this.#within(series, window, now), failure: null };

    const startedAt = now;
    const reading = fetch(missing).then((candles) => this.#keep(series, missing, candles, startedAt));
    series.reading = reading;
    void reading.then(
      () => series.reading === reading && (series.reading = null),
      () => series.reading === reading && (series.reading = null),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlinePassed(this.#deadlineMs)), this.#deadlineMs);
      timer.unref();
    });
    try {
      await Promise.race([reading, late]);
      return { source: 'exchange', candles: this.#within(series, window, this.#now()), failure: null };
    } catch (failure) {
      return { source: 'offline', candles: this.#within(series, window, this.#now(), true), failure };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The series for a key, made the most recently used; the least recently used go past the bound. */
  #touch(key: string, timeframeMs: number): Series {
    let series = this.#series.get(key);
    if (series) this.#series.delete(key);
    else series = { timeframeMs, closed: [], complete: null, forming: null, formingReadFor: null, readAt: null, reading: null };
    this.#series.set(key, series);
    for (const oldest of this.#series.keys()) {
      if (this.#series.size <= this.#maxSeries) break;
      this.#series.delete(oldest);
    }
    return series;
  }

  /** What of the window must be read from the exchange, or null when the cache can answer it. */
  #missing(series: Series, window: CandleWindow, now: number): CandleWindow | null {
    const step = series.timeframeMs;
    const current = alignDown(now, step);
    const lastClosed = Math.min(window.to, current - step);
    const { complete } = series;
    // The closed candles already held from the window's start on: reading resumes after them.
    const heldUpTo = complete && complete.from <= window.from && complete.to >= window.from - step ? complete.to : null;
    const closedHeld = lastClosed < window.from || (heldUpTo !== null && heldUpTo >= lastClosed);
    const wantsForming = window.to >= current;
    const formingFresh = series.formingReadFor === current && series.readAt !== null && now - series.readAt < this.#freshMs;
    if (closedHeld && (!wantsForming || formingFresh)) return null;
    const from = heldUpTo === null ? window.from : Math.max(window.from, heldUpTo + step);
    return { from, to: Math.min(window.to, current) };
  }

  /** Takes what the exchange answered for `window`, read at `readAt`: closed candles kept, the forming one noted. */
  #keep(series: Series, window: CandleWindow, candles: readonly Candle[], readAt: number): void {
    const step = series.timeframeMs;
    const current = alignDown(readAt, step);
    const inWindow = candles.filter((candle) => msOf(candle) >= window.from && msOf(candle) <= window.to);
    const closed = inWindow.filter((candle) => msOf(candle) < current);
    const read: CandleWindow = { from: window.from, to: Math.min(window.to, current - step) };
    if (read.to >= read.from) this.#merge(series, read, closed);
    if (window.to >= current) {
      series.forming = inWindow.find((candle) => msOf(candle) === current) ?? null;
      series.formingReadFor = current;
    }
    series.readAt = this.#now();
  }

  #merge(series: Series, read: CandleWindow, closed: readonly Candle[]): void {
    const step = series.timeframeMs;
    const held = series.complete;
    const touches = held !== null && held.from <= read.to + step && read.from <= held.to + step;
    if (!touches || held === null) {
      // A range apart from the one held replaces it: one contiguous range per series keeps reads simple.
      series.closed = [...closed];
      series.complete = read;
    } else {
      const byTime = new Map(series.closed.map((candle) => [candle.time, candle]));
      for (const candle of closed) byTime.set(candle.time, candle);
      series.closed = [...byTime.values()].sort((a, b) => a.time - b.time);
      series.complete = { from: Math.min(held.from, read.from), to: Math.max(held.to, read.to) };
    }
    const excess = series.closed.length - this.#maxCandles;
    if (excess > 0 && series.complete) {
      series.closed = series.closed.slice(excess);
      series.complete = { from: msOf(series.closed[0] as Candle), to: series.complete.to };
    }
  }

  /** The held candles of the window: closed ones, then the forming one (when offline, the last one read, even if stale). */
  #within(series: Series, window: CandleWindow, now: number, offline = false): Candle[] {
    const current = alignDown(now, series.timeframeMs);
    const closed = series.closed.filter((candle) => msOf(candle) >= window.from && msOf(candle) <= window.to);
    const forming = series.forming;
    if (!forming || msOf(forming) > window.to || msOf(forming) < window.from) return closed;
    if (msOf(forming) === current || (offline && !closed.some((candle) => candle.time === forming.time))) return [...closed, forming];
    return closed;
  }
}

/** The exchange did not answer within the deadline (its answer, if it comes, is still kept). */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';

  constructor(readonly deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms`);
  }
}
