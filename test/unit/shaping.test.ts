import { describe, expect, it } from 'vitest';
import { protectionPrices } from '../../main/engine/orders/shaping/protection.js';
import { refuseFutureSignal, staleSignal } from '../../main/engine/orders/shaping/signal-age.js';
import { balanceCurrencyOf, type SizingInput, type SizingMarket, sizeOrder } from '../../main/engine/orders/shaping/sizing.js';
import { ApiError } from '../../main/engine/http/api-error.js';

const LINEAR: SizingMarket = { symbol: 'BTC/USDT:USDT', contract: 'linear', contractSize: 1, base: 'BTC', quote: 'USDT', settle: 'USDT', amountStep: 0.001, minAmount: 0.001 };
const SPOT: SizingMarket = { symbol: 'BTC/USDT', contract: null, contractSize: 1, base: 'BTC', quote: 'USDT', settle: 'USDT', amountStep: 0.000001, minAmount: 0.000048 };
const INVERSE: SizingMarket = { symbol: 'BTC/USD:BTC', contract: 'inverse', contractSize: 1, base: 'BTC', quote: 'USD', settle: 'BTC', amountStep: 1, minAmount: 1 };
/** A linear contract worth 0.01 of its base (as some exchanges list small-cap perpetuals). */
const CENTI: SizingMarket = { symbol: 'ETH/USDT:USDT', contract: 'linear', contractSize: 0.01, base: 'ETH', quote: 'USDT', settle: 'USDT', amountStep: 1, minAmount: 1 };

function size(input: Partial<SizingInput> & Pick<SizingInput, 'unit' | 'qty' | 'market'>) {
  return sizeOrder({ referencePrice: 60_000, account: { equity: 10_000, free: 4_000 }, ...input });
}

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('sizing', () => {
  it.each([
    // unit, qty, market, price, expected amount, expected notional
    ['base', 0.015, LINEAR, 60_000, 0.015, 900],
    ['quote', 600, LINEAR, 60_000, 0.01, 600],
    ['quote', 500, LINEAR, 60_000, 0.008, 480], // 0.00833.. truncated to the step, never rounded up
    ['quote', 500, SPOT, 60_000, 0.008333, 499.98],
    ['quote', 500, INVERSE, 60_000, 500, 500], // inverse: a notional of 500 USD is 500 one-dollar contracts
    ['quote', 500, CENTI, 2_500, 20, 500], // 500 / (2500 x 0.01)
    ['equity_percent', 10, LINEAR, 60_000, 0.016, 960], // 10 % of 10 000 USDT = 1000 USDT -> 0.01666
    ['available_percent', 25, LINEAR, 50_000, 0.02, 1_000], // 25 % of the free 4 000
    ['equity_percent', 10, SPOT, 60_000, 0.016666, 999.96],
  ] as const)('%s %s on %s at %s: %s', (unit, qty, market, price, amount, notional) => {
    const sized = size({ unit, qty, market, referencePrice: price });
    expect(sized.amount).toBe(amount);
    expect(sized.notional).toBeCloseTo(notional, 6);
  });

  it('inverse: a percent of equity counts in the settle coin (BTC), as a USD notional at the price', () => {
    // 10 % of 0.5 BTC is 0.05 BTC, worth 3000 USD at 60 000: 3000 one-dollar contracts
    const sized = sizeOrder({ unit: 'equity_percent', qty: 10, market: INVERSE, referencePrice: 60_000, account: { equity: 0.5, free: 0.5 } });
    expect(sized.amount).toBe(3_000);
    expect(sized.basis).toEqual({ kind: 'equity', value: 0.5, currency: 'BTC' });
  });

  it.each([
    // the BTC held is 0.5, of which 0.2 is free: a spot Sell gives that share of the coin it sells, at any price
    ['available_percent', 50, 0.1, { kind: 'free', value: 0.2, currency: 'BTC' }],
    ['equity_percent', 50, 0.25, { kind: 'equity', value: 0.5, currency: 'BTC' }],
  ] as const)('spot Sell by %s %s sells %s BTC: a share of the base coin held, not of the quote', (unit, qty, amount, basis) => {
    const sized = sizeOrder({ unit, qty, market: SPOT, side: 'sell', referencePrice: 60_000, account: { equity: 0.5, free: 0.2 } });
    expect(sized.amount).toBe(amount);
    expect(sized.basis).toEqual(basis);
    expect(sized.notional).toBeCloseTo(amount * 60_000, 6);
  });

  it('which coin a percent of the account counts in: a spot Sell the base it sells, everything else the settle currency', () => {
    expect(balanceCurrencyOf(SPOT, 'sell')).toBe('BTC');
    expect(balanceCurrencyOf(SPOT, 'buy')).toBe('USDT');
    expect(balanceCurrencyOf(SPOT, null)).toBe('USDT');
    expect(balanceCurrencyOf(LINEAR, 'sell')).toBe('USDT');
    expect(balanceCurrencyOf(INVERSE, 'sell')).toBe('BTC');
  });

  it.each([
    // risk 1 % of 10 000 = 100 USDT; a stop 1 000 below the price loses 1 000 per BTC: 0.1 BTC
    ['linear', LINEAR, 60_000, 59_000, 0.1],
    // a short's stop above the price: the same distance, the same size
    ['linear, stop above', LINEAR, 60_000, 61_000, 0.1],
    // 0.01 ETH per contract, 50 below: 0.5 USDT per contract -> 200 contracts
    ['contract size 0.01', CENTI, 2_500, 2_450, 200],
  ] as const)('risk_percent on %s: what the stop may lose is the size', (_name, market, price, stop, amount) => {
    expect(sizeOrder({ unit: 'risk_percent', qty: 1, market, referencePrice: price, account: { equity: 10_000, free: 0 }, stopLoss: stop }).amount).toBe(amount);
  });

  it('risk_percent on inverse: the loss per contract is its USD size times the change of 1/price, in BTC', () => {
    // risk 1 % of 1 BTC = 0.01 BTC; per one-dollar contract from 60 000 to 50 000: 1/50000 - 1/60000 = 0.00000333 BTC
    expect(sizeOrder({ unit: 'risk_percent', qty: 1, market: INVERSE, referencePrice: 60_000, account: { equity: 1, free: 1 }, stopLoss: 50_000 }).amount).toBe(3_000);
  });

  it('position_percent closes that share of the position, truncated to the step', () => {
    expect(sizeOrder({ unit: 'position_percent', qty: 50, market: LINEAR, referencePrice: null, position: -0.025 }).amount).toBe(0.012);
    expect(sizeOrder({ unit: 'position_percent', qty: 100, market: LINEAR, referencePrice: null, position: 0.025 }).amount).toBe(0.025);
  });

  it('below the minimum: 422 naming the inputs, the amount they come to and the minimum', () => {
    const error = refusal(() => sizeOrder({ unit: 'equity_percent', qty: 10, market: LINEAR, referencePrice: 60_000, account: { equity: 50, free: 50 } }));
    expect(error).toMatchObject({ status: 422, code: 'below_minimum', field: 'qty' });
    expect(error.message).toBe("qty: 10 % of equity 50 USDT at 60000 is 0.000083333333 BTC, below BTC/USDT:USDT's minimum 0.001");
  });

  it('below the minimum for a target: names target_position, the field the size came in', () => {
    const error = refusal(() => sizeOrder({ unit: 'equity_percent', qty: 10, market: LINEAR, field: 'target_position', referencePrice: 60_000, account: { equity: 50, free: 50 } }));
    expect(error).toMatchObject({ status: 422, code: 'below_minimum', field: 'target_position' });
    expect(error.message).toBe("target_position: 10 % of equity 50 USDT at 60000 is 0.000083333333 BTC, below BTC/USDT:USDT's minimum 0.001");
  });

  it('needs what it sizes from: a price, the balance, a stop for risk', () => {
    expect(refusal(() => sizeOrder({ unit: 'quote', qty: 100, market: LINEAR, referencePrice: null }))).toMatchObject({ status: 400, code: 'price_required' });
    expect(refusal(() => sizeOrder({ unit: 'equity_percent', qty: 1, market: LINEAR, referencePrice: 60_000, account: null }))).toMatchObject({ code: 'balance_unavailable' });
    expect(refusal(() => sizeOrder({ unit: 'risk_percent', qty: 1, market: LINEAR, referencePrice: 60_000, account: { equity: 1, free: 1 }, stopLoss: null }))).toMatchObject({ status: 400, code: 'missing_field', field: 'stop_loss' });
    expect(refusal(() => sizeOrder({ unit: 'risk_percent', qty: 1, market: LINEAR, referencePrice: 60_000, account: { equity: 1, free: 1 }, stopLoss: 60_000 }))).toMatchObject({ code: 'invalid_field', field: 'stop_loss' });
  });
});

describe('protection prices', () => {
  const none = { stopLoss: null, takeProfit: null, stopLossPercent: null, takeProfitPercent: null };

  it.each([
    ['long, percents', 'long', { ...none, stopLossPercent: 2, takeProfitPercent: 5 }, { stopLoss: 58_800, takeProfit: 63_000 }],
    ['short, percents', 'short', { ...none, stopLossPercent: 2, takeProfitPercent: 5 }, { stopLoss: 61_200, takeProfit: 57_000 }],
    ['long, prices rounded to the nearest tick', 'long', { ...none, stopLoss: 58_000.04, takeProfit: 62_000.06 }, { stopLoss: 58_000, takeProfit: 62_000.1 }],
    ['a stop alone', 'long', { ...none, stopLoss: 59_000 }, { stopLoss: 59_000, takeProfit: null }],
  ] as const)('%s', (_name, direction, request, expected) => {
    expect(protectionPrices({ direction, reference: 60_000, request, tick: 0.1 })).toEqual(expected);
  });

  it.each([
    ["a long's stop above the price", 'long', { ...none, stopLoss: 61_000 }, 'stop_loss', /a long's stop-loss must be below the reference price 60000, got 61000/],
    ["a long's target below it", 'long', { ...none, takeProfit: 59_000 }, 'take_profit', /a long's take-profit must be above/],
    ["a short's stop below it", 'short', { ...none, stopLoss: 59_000 }, 'stop_loss', /a short's stop-loss must be above/],
    ["a short's target above it, as a percent", 'short', { ...none, takeProfitPercent: -1 }, 'take_profit_percent', /a short's take-profit must be below/],
    ['a stop at the price itself', 'long', { ...none, stopLoss: 60_000 }, 'stop_loss', /must be below/],
  ] as const)('refuses %s: 400 protection_wrong_side naming the field and both prices', (_name, direction, request, field, message) => {
    const error = refusal(() => protectionPrices({ direction, reference: 60_000, request, tick: 0.1 }));
    expect(error).toMatchObject({ status: 400, code: 'protection_wrong_side', field });
    expect(error.message).toMatch(message);
  });

  it.each([
    // 0.4 % of 100 is 99.6, which the tick of 1 rounds to 100: the price itself
    ["a long's stop as a percent under one tick", 'long', { ...none, stopLossPercent: 0.4 }, 'stop_loss_percent', "stop_loss_percent: a long's stop-loss must be below the reference price 100: 99.6 is within one tick (1) of it, and rounded to the tick it would be 100"],
    ["a short's target as a price half a tick away", 'short', { ...none, takeProfit: 99.5 }, 'take_profit', "take_profit: a short's take-profit must be below the reference price 100: 99.5 is within one tick (1) of it, and rounded to the tick it would be 100"],
    ["a long's stop on the wrong side as asked: no tick to blame", 'long', { ...none, stopLoss: 100.4 }, 'stop_loss', "stop_loss: a long's stop-loss must be below the reference price 100, got 100"],
  ] as const)('refuses %s, saying so', (_name, direction, request, field, message) => {
    const error = refusal(() => protectionPrices({ direction, reference: 100, request, tick: 1 }));
    expect(error).toMatchObject({ status: 400, code: 'protection_wrong_side', field, message });
  });

  it("refuses a short's target 100 % or more below the price: no price is there", () => {
    expect(refusal(() => protectionPrices({ direction: 'short', reference: 60_000, request: { ...none, takeProfitPercent: 100 }, tick: 0.1 }))).toMatchObject({ code: 'invalid_field', field: 'take_profit_percent' });
  });
});

describe('signal age', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('is stale past max_lag, naming both', () => {
    expect(staleSignal(now - 41_000, 30, now)).toEqual({ code: 'stale_signal', message: '41 s old, max_lag 30 s: not sent' });
    expect(staleSignal(now - 29_000, 30, now)).toBeNull();
    expect(staleSignal(now - 1_000_000, null, now)).toBeNull();
  });

  it('refuses a signal from more than 5 s ahead of the clock, naming both clocks', () => {
    expect(() => refuseFutureSignal(now + 4_000, now)).not.toThrow();
    const error = refusal(() => refuseFutureSignal(now + 6_000, now));
    expect(error).toMatchObject({ status: 400, code: 'invalid_field', field: 'signal_time' });
    expect(error.message).toMatch(/2026-12-01T10:00:06.000Z is 6 s ahead of apisify's clock \(2026-12-01T10:00:00.000Z\)/);
  });
});
