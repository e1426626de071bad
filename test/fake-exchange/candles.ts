// A market's candles, made from its tape (state.ts): every price change and fill since the fake
// started. The first candle is the one the fake started in, the last the one holding the
// exchange's now (still open: its close is the last price); a candle nothing happened in is flat
// at the price it opened with, as exchanges print quiet markets.

import type { MarketTape } from './state.js';

export interface CandleRecord {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base quantity traded (contracts for inverse). */
  volume: number;
  /** Quote value traded (base value for inverse). */
  turnover: number;
  trades: number;
  takerBuyVolume: number;
  takerBuyTurnover: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const alignDown = (time: number, intervalMs: number): number => Math.floor(time / intervalMs) * intervalMs;
const alignUp = (time: number, intervalMs: number): number => Math.ceil(time / intervalMs) * intervalMs;

/** Open times of the candles a tape has, first and last (the open one), for an interval. */
export function candleSpan(tape: MarketTape, intervalMs: number, now: number): { first: number; last: number } {
  return { first: alignDown(tape.startedAt, intervalMs), last: alignDown(Math.max(now, tape.startedAt), intervalMs) };
}

/**
 * The candles whose open time lies in [from, to], oldest first, at most `limit` of them counted
 * from the `newest` end or from the oldest. Only the candles asked for are built, so a request
 * costs the same after a long run as after a short one.
 */
export function candlesOf(tape: MarketTape, intervalMs: number, now: number, range: { from: number; to: number; limit: number; newest: boolean }): CandleRecord[] {
  const span = candleSpan(tape, intervalMs, now);
  let lo = Math.max(span.first, alignUp(range.from, intervalMs));
  let hi = Math.min(span.last, alignDown(range.to, intervalMs));
  if (hi < lo || range.limit < 1) return [];
  if (range.newest) lo = Math.max(lo, hi - (range.limit - 1) * intervalMs);
  else hi = Math.min(hi, lo + (range.limit - 1) * intervalMs);

  const { prints } = tape;
  let index = firstPrintAtOrAfter(tape, lo);
  let price = prints[index - 1]?.price ?? tape.open;
  const candles: CandleRecord[] = [];
  for (let openTime = lo; openTime <= hi; openTime += intervalMs) {
    const candle: CandleRecord = { openTime, open: price, high: price, low: price, close: price, volume: 0, turnover: 0, trades: 0, takerBuyVolume: 0, takerBuyTurnover: 0 };
    for (let print = prints[index]; print !== undefined && print.time < openTime + intervalMs; print = prints[++index]) {
      candle.high = Math.max(candle.high, print.price);
      candle.low = Math.min(candle.low, print.price);
      candle.close = print.price;
      if (print.qty > 0) {
        candle.volume += print.qty;
        candle.turnover += print.value;
        candle.trades += 1;
        candle.takerBuyVolume += print.takerBuyQty;
        candle.takerBuyTurnover += print.takerBuyValue;
      }
    }
    price = candle.close;
    candles.push(candle);
  }
  return candles;
}

/** Index of the first print at or after `time` (prints are in time order). */
function firstPrintAtOrAfter(tape: MarketTape, time: number): number {
  let lo = 0;
  let hi = tape.prints.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tape.prints[mid]?.time ?? Number.POSITIVE_INFINITY) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
