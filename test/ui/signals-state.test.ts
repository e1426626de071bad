import { describe, expect, it } from 'vitest';
import type { SignalView } from '../../shared/signal-view.js';
import { matchesSignalFilter, NO_SIGNAL_FILTER, signalCsvQuery, signalFilterFromSearch, signalQuery } from '../../renderer/src/state/signal-filter.js';
import { signalAnswer, signalSource, signalTone } from '../../renderer/src/state/signal-format.js';
import { INITIAL_SIGNALS, MAX_SIGNAL_ROWS, signalsReducer, type SignalsState } from '../../renderer/src/state/signals-reducer.js';

function signal(id: number, changes: Partial<SignalView> = {}): SignalView {
  return {
    id,
    at: '2025-03-02T10:00:00.000Z',
    outcome: 'accepted',
    source: 'api',
    keyLabel: 'bot',
    apikeyMasked: 'ak_12a…cdef',
    clientAddress: '127.0.0.1',
    strategy: 'alpha',
    exchange: 'bybit',
    symbol: 'BTCUSDT',
    side: 'Buy',
    orderType: 'Market',
    qty: '1',
    price: null,
    status: 200,
    code: 'filled',
    field: null,
    message: 'buy 1',
    orderId: id,
    count: 1,
    ...changes,
  };
}

const refused = { outcome: 'refused', orderId: null, status: 403, code: 'strategy_disabled' } as const;
const ids = (state: SignalsState) => state.signals.map((entry) => entry.id);

describe('signalsReducer', () => {
  it('keeps what the stream brought while the first page was on its way, once, in id order', () => {
    let state = signalsReducer(INITIAL_SIGNALS, { type: 'filter', filter: NO_SIGNAL_FILTER });
    state = signalsReducer(state, { type: 'events', signals: [signal(5), signal(6)] });
    state = signalsReducer(state, { type: 'loaded', filter: NO_SIGNAL_FILTER, signals: [signal(5), signal(4)], limit: 100 });
    expect(ids(state)).toEqual([6, 5, 4]);
    state = signalsReducer(state, { type: 'events', signals: [signal(7)] });
    expect(ids(state)).toEqual([7, 6, 5, 4]);
  });

  it('takes only entries that fit the filter, and leaves out ones older than a full page', () => {
    const filter = { outcome: 'refused', strategy: '' } as const;
    let state = signalsReducer(INITIAL_SIGNALS, { type: 'filter', filter });
    state = signalsReducer(state, { type: 'events', signals: [signal(3, refused), signal(9), signal(10, refused)] });
    state = signalsReducer(state, { type: 'loaded', filter, signals: [signal(8, refused), signal(7, refused)], limit: 2 });
    expect(ids(state)).toEqual([10, 8, 7]);
    expect(state.hasMore).toBe(true);
    state = signalsReducer(state, { type: 'events', signals: [signal(11), signal(12, refused)] });
    expect(ids(state)).toEqual([12, 10, 8, 7]);
    state = signalsReducer(state, { type: 'older', filter, signals: [signal(3, refused)], limit: 2 });
    expect([ids(state), state.hasMore]).toEqual([[12, 10, 8, 7, 3], false]);
  });

  it('ignores a page for a filter that changed since it was asked for', () => {
    let state = signalsReducer(INITIAL_SIGNALS, { type: 'filter', filter: { outcome: 'refused', strategy: '' } });
    state = signalsReducer(state, { type: 'loaded', filter: NO_SIGNAL_FILTER, signals: [signal(1)], limit: 100 });
    expect([ids(state), state.loading]).toEqual([[], true]);
  });

  it('does not grow past its bound through events alone', () => {
    let state = signalsReducer(signalsReducer(INITIAL_SIGNALS, { type: 'filter', filter: NO_SIGNAL_FILTER }), { type: 'loaded', filter: NO_SIGNAL_FILTER, signals: [], limit: 100 });
    state = signalsReducer(state, { type: 'events', signals: Array.from({ length: MAX_SIGNAL_ROWS + 5 }, (_, index) => signal(index + 1)) });
    expect([state.signals.length, state.signals[0]?.id, state.hasMore]).toEqual([MAX_SIGNAL_ROWS, MAX_SIGNAL_ROWS + 5, true]);
  });
});

describe('the signal filter', () => {
  it('asks the engine what it shows, and keeps it in the address', () => {
    const filter = { outcome: 'refused', strategy: ' swing ' } as const;
    expect(signalQuery(filter, { limit: 100, before: 9 })).toBe('?outcome=refused&strategy=swing&limit=100&before=9');
    expect(signalCsvQuery(filter)).toBe('?outcome=refused&strategy=swing');
    expect(signalCsvQuery(NO_SIGNAL_FILTER)).toBe('');
    expect(signalFilterFromSearch('?outcome=refused&strategy=swing')).toEqual({ outcome: 'refused', strategy: 'swing' });
    expect(signalFilterFromSearch('?outcome=maybe')).toEqual(NO_SIGNAL_FILTER);
  });

  it('matches as the signal log does: exact outcome and strategy', () => {
    expect(matchesSignalFilter(signal(1, refused), { outcome: 'refused', strategy: 'alpha' })).toBe(true);
    expect(matchesSignalFilter(signal(1), { outcome: 'refused', strategy: '' })).toBe(false);
    expect(matchesSignalFilter(signal(1), { outcome: '', strategy: 'alph' })).toBe(false);
    expect(matchesSignalFilter(signal(1, { strategy: null }), { outcome: '', strategy: 'alpha' })).toBe(false);
  });
});

describe('how a signal reads', () => {
  it('names who sent it', () => {
    expect(signalSource(signal(1))).toBe('bot');
    expect(signalSource(signal(1, { source: 'tradingview', keyLabel: 'tv' }))).toBe('tv (TradingView)');
    expect(signalSource(signal(1, { source: 'manual', keyLabel: null }))).toBe('manual');
    expect(signalSource(signal(1, { source: null, keyLabel: null }))).toBe('ak_12a…cdef');
    expect(signalSource(signal(1, { source: null, keyLabel: null, apikeyMasked: null }))).toBe('127.0.0.1');
  });

  it('says the answer, with a count, in the tone of its outcome', () => {
    expect(signalAnswer(signal(1, { ...refused, status: 429, code: 'rate_limited', count: 37 }))).toBe('429 rate_limited ×37');
    expect([signalTone(signal(1)), signalTone(signal(1, refused)), signalTone(signal(1, { status: 202, code: 'submitted' })), signalTone(signal(1, { code: 'duplicate' })), signalTone(signal(1, { status: 422, code: 'insufficient_funds' }))]).toEqual([
      'good',
      'bad',
      'working',
      'muted',
      'bad',
    ]);
  });
});
