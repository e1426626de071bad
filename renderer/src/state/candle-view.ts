import type { Candle, CandlesAnswer } from '../../../shared/candles-api.js';

/**
 * What an order's chart shows for the state of its candles: the chart when there are candles, else
 * the journal's marks as a table; and, when the exchange could not be read or the request failed,
 * a notice saying so in words (never a blank box).
 */

export type CandleLoad = { state: 'loading' } | { state: 'answered'; answer: CandlesAnswer } | { state: 'failed'; message: string };

export interface ChartView {
  candles: Candle[];
  /** Candles to draw: false shows the marks as a table instead. */
  showChart: boolean;
  offline: boolean;
  /** What to say above the chart or table; null when the candles are as fresh as the exchange's. */
  notice: string | null;
}

export function chartViewOf(load: CandleLoad): ChartView {
  if (load.state === 'loading') return { candles: [], showChart: false, offline: false, notice: null };
  if (load.state === 'failed') {
    return { candles: [], showChart: false, offline: true, notice: `Offline: the candles could not be loaded (${load.message}). What the journal holds is below.` };
  }
  const { answer } = load;
  const candles = answer.candles;
  if (answer.source === 'offline') {
    // the engine's note says why, and whether the candles are the ones it read before
    const note = `Offline: ${answer.note ?? `${answer.exchange} could not be read`}.`;
    return { candles, showChart: candles.length > 0, offline: true, notice: candles.length > 0 ? note : `${note} What the journal holds is below.` };
  }
  if (candles.length === 0) return { candles, showChart: false, offline: false, notice: `${answer.exchange} has no ${answer.timeframe} candles of ${answer.symbol} for this time.` };
  return { candles, showChart: true, offline: false, notice: null };
}
