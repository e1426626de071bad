import { describe, expect, it } from 'vitest';
import type { FlattenAnswer } from '../../shared/flatten-api.js';
import { summarizeFlatten } from '../../shared/flatten-summary.js';
import { describeFlatten, flattenRequest, positionsCovered } from '../../renderer/src/state/flatten-confirm.js';
import { order } from './fixtures.js';
import { position } from './position-fixtures.js';

const main = position({ size: '0.03', strategies: [{ strategy: 'perp', qty: '0.01' }], protection: [{ role: 'stop_loss', triggerPrice: '59000', orderId: 4, status: 'open' }] });
const inverse = position({ symbol: 'BTC/USD:BTC', side: 'short', size: '300', strategies: [], protection: [{ role: 'take_profit', triggerPrice: '50000', orderId: null, status: 'attached' }] });
const sub2 = position({ account: 'sub2', side: 'short', size: '0.05', strategies: [{ strategy: 'perp', qty: '-0.05' }] });
const paper = position({ dryRun: true, strategy: 'paper', symbol: 'BTCUSDT', size: '0.01', strategies: [{ strategy: 'paper', qty: '0.01' }] });
const positions = [main, inverse, sub2, paper];
const resting = [
  order(2, { status: 'open', dryRun: false, account: 'default', orderType: 'limit' }),
  order(3, { status: 'partially_filled', dryRun: false, account: 'sub2', orderType: 'limit', strategy: 'perp' }),
  order(5, { status: 'open', dryRun: true, strategy: 'paper', orderType: 'limit', symbol: 'ETHUSDT' }),
  order(6, { status: 'filled', dryRun: false }),
];

describe("flatten's confirm", () => {
  it('asks the engine for exactly the scope', () => {
    expect([flattenRequest({ kind: 'all' }), flattenRequest({ kind: 'account', exchange: 'bybit', account: 'sub2' }), flattenRequest({ kind: 'dry-run', exchange: 'bybit', strategy: 'paper' }), flattenRequest({ kind: 'strategy', strategy: 'perp' })]).toEqual([
      {},
      { exchange: 'bybit', account: 'sub2' },
      { exchange: 'bybit', strategy: 'paper' },
      { strategy: 'perp' },
    ]);
  });

  it("names an account's positions, its resting orders and protective ones, as real money, pause not ticked", () => {
    const confirm = describeFlatten({ kind: 'account', exchange: 'bybit', account: 'default' }, positions, resting, 2);
    expect(confirm).toMatchObject({
      title: 'Flatten bybit · default',
      closes: ['BTC/USDT:USDT long 0.03 on bybit · default', 'BTC/USD:BTC short 300 on bybit · default'],
      cancels: 'Cancels 1 resting order (#2 BTCUSDT) and 1 protective order of what it closes, once it is flat. A stop or target the exchange holds on a position goes with it.',
      money: 'LIVE: real market orders on bybit · default.',
      realMoney: true,
      nothing: false,
      confirmLabel: 'Close 2 positions (LIVE)',
      request: { exchange: 'bybit', account: 'default' },
      pauseFirst: false,
    });
  });

  it('says a dry run is simulated', () => {
    const confirm = describeFlatten({ kind: 'dry-run', exchange: 'bybit', strategy: 'paper' }, positions, resting, 2);
    expect(confirm).toMatchObject({ closes: ['BTCUSDT long 0.01 on dry run paper on bybit'], cancels: 'Cancels 1 resting order (#5 ETHUSDT).', money: 'DRY-RUN: simulated; nothing reaches the exchange.', realMoney: false, confirmLabel: 'Close 1 position' });
  });

  it("names everything with the live accounts and the dry runs, pause ticked (the kill switch)", () => {
    const confirm = describeFlatten({ kind: 'all' }, positions, resting, 2);
    expect(confirm.closes).toHaveLength(4);
    expect(confirm.money).toBe('LIVE: real market orders on bybit · default, bybit · sub2, and 1 simulated position of dry runs.');
    expect(confirm.cancels).toMatch(/^Cancels 3 resting orders \(#2 BTCUSDT, #3 BTCUSDT, #5 ETHUSDT\)/);
    expect(confirm.pauseFirst).toBe(true);
  });

  it("names a strategy's share of the positions it built, and its dry run's own", () => {
    expect(positionsCovered({ kind: 'strategy', strategy: 'paper' }, positions)).toEqual([paper]);
    const confirm = describeFlatten({ kind: 'strategy', strategy: 'perp' }, positions, resting, 2);
    expect(confirm.closes).toEqual(["BTC/USDT:USDT long 0.03 on bybit · default: perp's share, 0.01", 'BTC/USDT:USDT short 0.05 on bybit · sub2']);
    expect(confirm.cancels).toMatch(/^Cancels 1 resting order \(#3 BTCUSDT\)/);
  });

  it('says when there is nothing to close or cancel, and when the open orders could not be counted', () => {
    expect(describeFlatten({ kind: 'account', exchange: 'binance', account: 'default' }, positions, resting, 2)).toMatchObject({ closes: [], nothing: true, cancels: 'No open order to cancel.', confirmLabel: 'Flatten anyway' });
    expect(describeFlatten({ kind: 'account', exchange: 'binance', account: 'default' }, positions, null, 2)).toMatchObject({ nothing: false, cancels: 'Cancels every resting order there (they could not be counted just now).' });
  });
});

describe("flatten's answer in words", () => {
  const close = { orderId: 9, exchange: 'bybit', account: 'default', strategy: 'perp', symbol: 'BTC/USDT:USDT', status: 'filled', error: null };

  it('says everything closed, what was cancelled, and that trading is paused', () => {
    const answer: FlattenAnswer = { paused: true, closes: [close, { ...close, orderId: 10, strategy: '(flatten)', status: 'skipped' }], cancelled: [{ orderId: 2, status: 'cancelled' }], failures: [] };
    expect(summarizeFlatten(answer)).toEqual({
      tone: 'success',
      headline: 'Flattened: 2 closes done, 1 order cancelled. Trading is paused.',
      lines: ['BTC/USDT:USDT on bybit · default (perp): filled', 'BTC/USDT:USDT on bybit · default ((flatten)): already flat, nothing sent', '1 open order cancelled (#2 cancelled)'],
    });
  });

  it('puts failures first in the headline and in words on their lines', () => {
    const answer: FlattenAnswer = {
      paused: false,
      closes: [close, { ...close, orderId: null, status: null, error: 'bybit: the exchange could not be reached' }],
      cancelled: [],
      failures: [{ exchange: 'bybit', account: 'sub2', symbol: null, message: 'bybit: invalid API key' }],
    };
    expect(summarizeFlatten(answer)).toEqual({
      tone: 'error',
      headline: 'Flatten did not finish: 2 failures; 1 close done, 0 orders cancelled.',
      lines: ['BTC/USDT:USDT on bybit · default (perp): filled', 'BTC/USDT:USDT on bybit · default (perp): NOT closed: bybit: the exchange could not be reached', 'bybit · sub2: bybit: invalid API key'],
    });
  });

  it('says a Close still under way is not done yet, and when nothing was open', () => {
    expect(summarizeFlatten({ paused: false, closes: [{ ...close, status: 'submitted' }], cancelled: [], failures: [] })).toMatchObject({ tone: 'warning', headline: 'Flatten sent everything; 1 close is still under way; 0 closes done, 0 orders cancelled.', lines: ['BTC/USDT:USDT on bybit · default (perp): submitted, see Live orders'] });
    expect(summarizeFlatten({ paused: false, closes: [], cancelled: [], failures: [] })).toEqual({ tone: 'success', headline: 'Nothing was open: no position closed, no order cancelled.', lines: [] });
  });
});
