import { describe, expect, it } from 'vitest';
import type { CandlesAnswer } from '../../shared/candles-api.js';
import type { ExchangeOrderView } from '../../shared/order-view.js';
import { chartViewOf } from '../../renderer/src/state/candle-view.js';
import { chartTimeLabel, tickLabel } from '../../renderer/src/state/chart-time.js';
import { candlesQuery, chartRequestFor, timeframeFor } from '../../renderer/src/state/chart-window.js';
import { equitySeries, equitySummary } from '../../renderer/src/state/equity-series.js';
import { orderMarks } from '../../renderer/src/state/order-chart-marks.js';
import { order } from './fixtures.js';

const MINUTE = 60_000;

function leg(changes: Partial<ExchangeOrderView>): ExchangeOrderView {
  return {
    leg: 1,
    role: 'entry',
    triggerPrice: null,
    clientOrderId: 'c1',
    exchangeOrderId: 'e1',
    side: 'buy',
    type: 'market',
    amount: '0.01',
    price: null,
    reduceOnly: false,
    status: 'filled',
    filled: '0.01',
    averagePrice: '60000',
    fee: null,
    feeCurrency: null,
    sentAt: '2026-03-02T10:00:00.100Z',
    answeredAt: '2026-03-02T10:00:00.200Z',
    error: null,
    ...changes,
  };
}

describe("the candles an order's chart asks for", () => {
  const placed = order(7, {
    exchange: 'bybit',
    symbol: 'BTCUSDT.P',
    market: { symbol: 'BTC/USDT:USDT', type: 'swap' },
    receivedAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.200Z',
    status: 'filled',
    legs: [leg({})],
  });

  it('picks the finest timeframe that keeps the events within 60 candles', () => {
    expect(timeframeFor(0)).toBe('1m');
    expect(timeframeFor(60 * MINUTE)).toBe('1m');
    expect(timeframeFor(61 * MINUTE)).toBe('5m');
    expect(timeframeFor(10 * 60 * MINUTE)).toBe('15m');
    expect(timeframeFor(3 * 24 * 60 * MINUTE)).toBe('4h');
    expect(timeframeFor(400 * 24 * 60 * MINUTE)).toBe('1d');
  });

  it("asks for the market it went to, from 40 candles before it to 20 after its last change, or to now", () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(chartRequestFor(placed, now)).toEqual({ exchange: 'bybit', symbol: 'BTC/USDT:USDT', marketType: 'swap', timeframe: '1m', since: Date.parse('2026-03-02T09:20:00Z'), limit: 61 });
    // a minute after it filled: the window ends with the forming candle
    expect(chartRequestFor(placed, Date.parse('2026-03-02T10:01:30Z'))).toMatchObject({ since: Date.parse('2026-03-02T09:20:00Z'), limit: 42 });
  });

  it('follows a resting Limit up to now, coarser as it ages', () => {
    const resting = order(8, { receivedAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-02T10:00:01.000Z', status: 'open', market: { symbol: 'BTC/USDT', type: 'spot' }, legs: [leg({ type: 'limit', status: 'open', filled: '0', averagePrice: null, price: '55000' })] });
    const request = chartRequestFor(resting, Date.parse('2026-03-02T16:00:00Z'));
    expect(request).toMatchObject({ marketType: 'spot', symbol: 'BTC/USDT', timeframe: '15m', since: Date.parse('2026-03-02T00:00:00Z') });
    expect(request?.limit).toBe(65);
  });

  it("uses the request's own symbol for an order journaled without its market, and none for an unknown exchange", () => {
    expect(chartRequestFor(order(9, { market: null, symbol: 'ETHUSDT' }), Date.parse('2025-03-02T11:00:00Z'))).toMatchObject({ symbol: 'ETHUSDT', marketType: 'swap' });
    expect(chartRequestFor(order(9, { exchange: 'kraken' }), Date.now())).toBeNull();
  });

  it('puts the request in the query the route reads', () => {
    const request = chartRequestFor(placed, Date.parse('2026-03-02T12:00:00Z'));
    expect(request && candlesQuery(request)).toBe(`?exchange=bybit&symbol=BTC%2FUSDT%3AUSDT&marketType=swap&timeframe=1m&since=${Date.parse('2026-03-02T09:20:00Z')}&limit=61`);
  });
});

describe("an order's marks", () => {
  it('marks each fill at its average price in the candle it fell in: entries, reduce-only exits and triggered protection', () => {
    const protectedOrder = order(1, {
      updatedAt: '2026-03-02T10:07:00.000Z',
      protection: { stopLoss: '58000', takeProfit: '64000', style: 'conditional', referencePrice: '60000' },
      legs: [
        leg({ leg: 1, answeredAt: '2026-03-02T10:00:40.000Z', averagePrice: '60010.5' }),
        leg({ leg: 2, role: 'stop_loss', side: 'sell', triggerPrice: '58000', reduceOnly: true, status: 'cancelled', filled: '0', averagePrice: null, answeredAt: '2026-03-02T10:06:59.000Z' }),
        leg({ leg: 3, role: 'take_profit', side: 'sell', triggerPrice: '64000', reduceOnly: true, status: 'filled', filled: '0.01', averagePrice: '64000', answeredAt: '2026-03-02T10:06:58.000Z' }),
      ],
    });
    const marks = orderMarks(protectedOrder, 60);
    expect(marks.markers).toEqual([
      { time: Date.parse('2026-03-02T10:00:00Z') / 1000, at: '2026-03-02T10:00:40.000Z', price: 60010.5, side: 'buy', kind: 'entry', leg: 1, label: 'Entry buy 0.01 @ 60010.5' },
      { time: Date.parse('2026-03-02T10:06:00Z') / 1000, at: '2026-03-02T10:06:58.000Z', price: 64000, side: 'sell', kind: 'exit', leg: 3, label: 'Exit sell 0.01 @ 64000 (take-profit)' },
    ]);
    // the protection and its legs' triggers are one line each
    expect(marks.lines).toEqual([
      { kind: 'stop_loss', price: 58000, label: 'Stop-loss 58000' },
      { kind: 'take_profit', price: 64000, label: 'Take-profit 64000' },
    ]);
    // coarser candles: the same fill falls in the 15-minute candle from 10:00
    expect(orderMarks(protectedOrder, 900).markers.map((marker) => marker.time)).toEqual([Date.parse('2026-03-02T10:00:00Z') / 1000, Date.parse('2026-03-02T10:00:00Z') / 1000]);
  });

  it("marks a Close's reduce-only sell as an exit, and a Limit still resting as a line at its price", () => {
    expect(orderMarks(order(2, { legs: [leg({ side: 'sell', reduceOnly: true, averagePrice: '61000' })] }), 60).markers[0]).toMatchObject({ kind: 'exit', side: 'sell', price: 61000 });
    const resting = order(3, { legs: [leg({ type: 'limit', price: '55000', status: 'partially_filled', filled: '0.004', averagePrice: '55000' })] });
    expect(orderMarks(resting, 60)).toMatchObject({ markers: [{ kind: 'entry', price: 55000 }], lines: [{ kind: 'limit', price: 55000, label: 'Limit buy 55000' }] });
    const cancelled = order(4, { legs: [leg({ type: 'limit', price: '55000', status: 'cancelled', filled: '0', averagePrice: null })] });
    expect(orderMarks(cancelled, 60)).toEqual({ markers: [], lines: [] });
  });

  it("takes a protective leg's trigger when the order carries no protection summary", () => {
    const marks = orderMarks(order(5, { legs: [leg({ leg: 1 }), leg({ leg: 2, role: 'stop_loss', side: 'sell', triggerPrice: '57500.5', status: 'open', filled: '0', averagePrice: null })] }), 60);
    expect(marks.lines).toEqual([{ kind: 'stop_loss', price: 57500.5, label: 'Stop-loss 57500.5' }]);
  });
});

describe('what the chart shows for its candles', () => {
  const answer = (changes: Partial<CandlesAnswer>): CandlesAnswer => ({ exchange: 'bybit', symbol: 'BTC/USDT:USDT', marketType: 'swap', timeframe: '1m', source: 'exchange', note: null, candles: [{ time: 60, open: 1, high: 2, low: 1, close: 2, volume: 1 }], ...changes });

  it('draws fresh or cached candles without a word', () => {
    expect(chartViewOf({ state: 'answered', answer: answer({}) })).toMatchObject({ showChart: true, offline: false, notice: null });
    expect(chartViewOf({ state: 'answered', answer: answer({ source: 'cache' }) })).toMatchObject({ showChart: true, notice: null });
  });

  it('says it is offline, drawing the candles it has or else leaving the marks to the table', () => {
    const cached = chartViewOf({ state: 'answered', answer: answer({ source: 'offline', note: 'bybit did not answer within 1.5 s: these are the candles read before' }) });
    expect(cached).toMatchObject({ showChart: true, offline: true });
    expect(cached.notice).toBe('Offline: bybit did not answer within 1.5 s: these are the candles read before.');
    const none = chartViewOf({ state: 'answered', answer: answer({ source: 'offline', note: 'bybit is unreachable', candles: [] }) });
    expect(none).toMatchObject({ showChart: false, offline: true, notice: 'Offline: bybit is unreachable. What the journal holds is below.' });
    expect(chartViewOf({ state: 'failed', message: 'apisify is not answering; is it still running?' })).toMatchObject({ showChart: false, offline: true, notice: expect.stringMatching(/^Offline: the candles could not be loaded \(apisify is not answering/) });
  });

  it('says so when the exchange has no candles for the time, and shows nothing while loading', () => {
    expect(chartViewOf({ state: 'answered', answer: answer({ candles: [] }) })).toMatchObject({ showChart: false, offline: false, notice: 'bybit has no 1m candles of BTC/USDT:USDT for this time.' });
    expect(chartViewOf({ state: 'loading' })).toEqual({ candles: [], showChart: false, offline: false, notice: null });
  });
});

describe('chart times in the settings zone', () => {
  const at = Date.parse('2026-03-02T23:30:15Z') / 1000;

  it('labels the crosshair and the axis in the zone given', () => {
    expect(chartTimeLabel(at, 'UTC')).toBe('02 Mar 2026 23:30');
    expect(chartTimeLabel(at, 'Asia/Tokyo')).toBe('03 Mar 2026 08:30');
    expect(tickLabel(at, 'time', 'Europe/Berlin')).toBe('00:30');
    expect(tickLabel(at, 'timeWithSeconds', 'UTC')).toBe('23:30:15');
    expect(tickLabel(at, 'day', 'Asia/Tokyo')).toBe('03 Mar');
    expect(tickLabel(at, 'month', 'UTC')).toBe('Mar');
    expect(tickLabel(at, 'year', 'UTC')).toBe('2026');
  });
});

describe('an equity curve', () => {
  it('puts points in time order, one per second (the last of a second), finite values only', () => {
    expect(
      equitySeries([
        { time: 30, value: 5 },
        { time: 10, value: -2 },
        { time: 30.5, value: 7 },
        { time: 20, value: Number.NaN },
        { time: 20, value: 1 },
      ]),
    ).toEqual([
      { time: 10, value: -2 },
      { time: 20, value: 1 },
      { time: 30, value: 7 },
    ]);
    expect(equitySummary(equitySeries([{ time: 1, value: -3 }, { time: 2, value: 4 }, { time: 3, value: 2 }]))).toEqual({ last: 2, low: -3, high: 4 });
    expect(equitySummary([])).toEqual({ last: null, low: null, high: null });
  });
});
