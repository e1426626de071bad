import { describe, expect, it } from 'vitest';
import { averagePrice, canCancel, describeError, filledSummary, formatDuration, formatFullTime, formatTime, isFresh, sideTone, statusTone } from '../../renderer/src/state/order-format.js';
import { order } from './fixtures.js';

describe('times in the user zone', () => {
  const iso = '2025-03-02T23:30:05.042Z';

  it('shows only the time for today, in the given zone', () => {
    expect(formatTime(iso, new Date('2025-03-02T23:59:00Z'), 'UTC')).toBe('23:30:05');
    // In Tokyo (UTC+9) the same instant is the next morning, and "now" is that day too.
    expect(formatTime(iso, new Date('2025-03-03T01:00:00Z'), 'Asia/Tokyo')).toBe('08:30:05');
  });

  it('adds the date for other days', () => {
    expect(formatTime(iso, new Date('2025-03-05T12:00:00Z'), 'UTC')).toBe('2025-03-02 23:30:05');
    expect(formatTime(iso, new Date('2025-03-05T12:00:00Z'), 'America/New_York')).toBe('2025-03-02 18:30:05');
  });

  it('gives the full stamp with milliseconds', () => {
    expect(formatFullTime(iso, 'Asia/Tokyo')).toBe('2025-03-03 08:30:05.042');
    expect(formatFullTime(null)).toBe('—');
  });

  it('measures durations', () => {
    expect(formatDuration('2025-03-02T10:00:00.000Z', '2025-03-02T10:00:00.042Z')).toBe('42 ms');
    expect(formatDuration('2025-03-02T10:00:00.000Z', '2025-03-02T10:00:01.350Z')).toBe('1.35 s');
    expect(formatDuration('2025-03-02T10:00:00.000Z', '2025-03-02T10:00:02.000Z')).toBe('2 s');
    expect(formatDuration('2025-03-02T10:00:00.000Z', '2025-03-02T10:02:05.000Z')).toBe('2 min 5 s');
    expect(formatDuration(null, '2025-03-02T10:00:00.000Z')).toBeNull();
  });
});

describe('orders on screen', () => {
  it('colours statuses and sides by meaning', () => {
    expect(statusTone('filled')).toBe('good');
    expect(statusTone('open')).toBe('working');
    expect(statusTone('rejected')).toBe('bad');
    expect(statusTone('skipped')).toBe('muted');
    expect(['Buy', 'long', '1', 'Sarbuy', '2'].map(sideTone)).toEqual(['buy', 'buy', 'buy', 'buy', 'buy']);
    expect(['SELL', 'Short', '-1', 'sarsell', '-2'].map(sideTone)).toEqual(['sell', 'sell', 'sell', 'sell', 'sell']);
    expect(sideTone('Close')).toBe('neutral');
  });

  it('puts the error in plain words and keeps the API message and code', () => {
    expect(describeError({ code: 'insufficient_funds', message: 'bybit: balance 10 USDT, needs 65 USDT' })).toEqual({
      headline: 'Not enough funds on the exchange account for this order.',
      message: 'bybit: balance 10 USDT, needs 65 USDT',
      code: 'insufficient_funds',
    });
    expect(describeError({ code: 'something_new', message: 'x' })?.headline).toBe('The order failed.');
    expect(describeError(null)).toBeNull();
  });

  it('summarises fills and offers Cancel only for open Limit orders', () => {
    const leg = { leg: 1, role: 'entry' as const, triggerPrice: null, clientOrderId: 'c1', exchangeOrderId: 'e1', side: 'buy' as const, type: 'limit' as const, amount: '2', price: '10', reduceOnly: false, status: 'open' as const, filled: '0.5', averagePrice: '10', fee: null, feeCurrency: null, sentAt: null, answeredAt: null, error: null };
    expect(filledSummary(order(1, { legs: [leg] }))).toBe('0.5/2');
    expect(filledSummary(order(1))).toBe('—');
    expect(averagePrice(order(1, { legs: [leg] }))).toBe('10');
    expect(canCancel({ status: 'open', orderType: 'limit' })).toBe(true);
    expect(canCancel({ status: 'open', orderType: 'market' })).toBe(false);
    expect(canCancel({ status: 'partially_filled', orderType: 'limit' })).toBe(true);
    expect(canCancel({ status: 'filled', orderType: 'limit' })).toBe(false);
  });

  it('flashes only orders that have just arrived', () => {
    const now = Date.parse('2025-03-02T10:00:05.000Z');
    expect(isFresh({ receivedAt: '2025-03-02T10:00:04.000Z' }, now)).toBe(true);
    expect(isFresh({ receivedAt: '2025-03-02T10:00:02.000Z' }, now)).toBe(false);
  });
});
