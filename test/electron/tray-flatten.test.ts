import { describe, expect, it } from 'vitest';
import { FLATTEN_ALL_QUESTION, flattenOutcome } from '../../main/electron/tray-flatten.js';
import type { FlattenAnswer, FlattenClose } from '../../shared/flatten-api.js';

const close = (symbol: string, fields: Partial<FlattenClose> = {}): FlattenClose => ({ orderId: 1, exchange: 'bybit', account: 'default', strategy: 'trend', symbol, status: 'filled', error: null, ...fields });

describe('the tray kill switch, in words', () => {
  it('asks with Cancel first (the default) and says it is real money, pauses first and cannot be undone', () => {
    expect(FLATTEN_ALL_QUESTION.buttons).toEqual(['Cancel', 'Flatten all and pause']);
    expect(FLATTEN_ALL_QUESTION.detail).toMatch(/paused first/);
    expect(FLATTEN_ALL_QUESTION.detail).toMatch(/real money/);
    expect(FLATTEN_ALL_QUESTION.detail).toMatch(/cannot be undone/);
  });

  it('reports a failure as an error, naming the account and why', () => {
    const answer: FlattenAnswer = {
      paused: true,
      closes: [close('BTCUSDT'), close('ETHUSDT', { orderId: null, status: null, error: 'the exchange refused: insufficient margin' })],
      cancelled: [],
      failures: [{ exchange: 'binance', account: 'default', symbol: null, message: 'binance rejected the API key' }],
    };

    const outcome = flattenOutcome(answer);

    expect(outcome.tone).toBe('error');
    expect(outcome.message).toBe('Flatten did not finish: 2 failures; 1 close done, 0 orders cancelled. Trading is paused.');
    expect(outcome.detail.split('\n')).toEqual([
      'BTCUSDT on bybit · default (trend): filled',
      'ETHUSDT on bybit · default (trend): NOT closed: the exchange refused: insufficient margin',
      'binance · default: binance rejected the API key',
    ]);
  });

  it('keeps a long answer to 15 lines and says where the rest is', () => {
    const answer: FlattenAnswer = { paused: true, closes: Array.from({ length: 20 }, (_, index) => close(`C${index}USDT`)), cancelled: [], failures: [] };

    const lines = flattenOutcome(answer).detail.split('\n');

    expect(lines).toHaveLength(16);
    expect(lines[14]).toBe('C14USDT on bybit · default (trend): filled');
    expect(lines[15]).toBe('… and 5 more: see the Positions page and Live orders.');
  });

  it('says when there was nothing to flatten', () => {
    expect(flattenOutcome({ paused: true, closes: [], cancelled: [], failures: [] })).toEqual({ tone: 'info', message: 'Nothing was open: no position closed, no order cancelled. Trading is paused.', detail: '' });
  });
});
