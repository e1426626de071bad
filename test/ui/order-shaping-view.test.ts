import { describe, expect, it } from 'vitest';
import { describeError } from '../../renderer/src/state/order-format.js';
import { orderShaping, unitsOfMarket } from '../../renderer/src/state/order-shaping-view.js';
import { order } from './fixtures.js';

describe("a journaled order's sizing and protection, in words", () => {
  it('reads what amounts count in from the unified symbol', () => {
    expect(unitsOfMarket('BTC/USDT:USDT')).toEqual({ amount: 'BTC', value: 'USDT' });
    expect(unitsOfMarket('BTC/USD:BTC')).toEqual({ amount: 'contracts', value: 'USD' });
    expect(unitsOfMarket('ETH/USDT')).toEqual({ amount: 'ETH', value: 'USDT' });
    expect(unitsOfMarket('BTC/USDT:USDT-250328')).toEqual({ amount: 'BTC', value: 'USDT' });
    expect(unitsOfMarket('BTCUSDT')).toBeUndefined();
    expect(unitsOfMarket(undefined)).toBeUndefined();
  });

  it('says how a live order was sized and who holds its protection', () => {
    const live = order(7, {
      dryRun: false,
      exchange: 'binance',
      market: { symbol: 'BTC/USDT:USDT', type: 'swap' },
      sizing: { unit: 'equity_percent', input: '10', basis: { kind: 'equity', value: '10000', currency: 'USDT' }, referencePrice: '60000', amount: '0.016', notional: '960' },
      protection: { stopLoss: '58800', takeProfit: null, style: 'conditional', referencePrice: '60000' },
    });
    expect(orderShaping(live)).toEqual({
      sizing: '10 % of equity 10,000 USDT at 60,000 = 0.016 BTC (worth 960 USDT)',
      protection: 'stop-loss 58,800 (from 60,000), placed on binance as reduce-only conditional orders once the entry fills',
    });
  });

  it('says nothing for an order sent as asked, and leaves out the unit a dry run does not know', () => {
    expect(orderShaping(order(1))).toEqual({ sizing: null, protection: null });
    const dry = order(2, { market: { symbol: 'BTCUSDT', type: 'swap' }, sizing: { unit: 'quote', input: '500', basis: null, referencePrice: '50000', amount: '0.01', notional: '500' } });
    expect(orderShaping(dry).sizing).toBe('500 at 50,000 = 0.01');
  });

  it('has a headline for the shaping refusals', () => {
    expect(describeError({ code: 'stale_signal', message: '41 s old, max_lag 30 s: not sent' })?.headline).toBe('The signal was too old when its order was due: nothing was sent.');
    expect(describeError({ code: 'protection_failed', message: 'stop-loss at 58800: -2021' })?.headline).toMatch(/filled, but its stop-loss or take-profit could not be placed/);
  });
});
