// A Binance USDⓈ-M conditional (algo-service) order read as a leg's state, from what real ccxt 4.5.84
// parses out of the exchange's documented shapes (the ALGO_UPDATE push and GET /fapi/v1/algoOrder).
// ccxt reads TRIGGERED and FINISHED both as `closed`: a stop must not count as filled when it only
// triggered, nor as filled by nothing once its order traded.

import { pro } from 'ccxt';
import type { Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { algoOutcomeWithActual, algoStateOf, outcomeOf } from '../../main/engine/exchanges/ccxt/order-outcome.js';

const exchange = new pro.binanceusdm();

/** The `o` of an ALGO_UPDATE, as Binance documents it. */
function pushed(fields: Record<string, unknown>): Order {
  const base = { caid: 'stop-1', aid: 4_000_000_001, at: 'CONDITIONAL', o: 'STOP_MARKET', s: 'BTCUSDT', S: 'SELL', ps: 'BOTH', f: 'GTC', q: '0.010', X: 'NEW', ai: '', ap: '0.00000', aq: '0.00000', act: '0', tp: '59000', p: '0', R: true, tt: 0, rm: '' };
  return exchange.parseWsOrder({ ...base, ...fields }) as Order;
}

/** GET /fapi/v1/algoOrder, as Binance documents it: no executed quantity. */
function answered(fields: Record<string, unknown>): Order {
  const base = { algoId: 4_000_000_001, clientAlgoId: 'stop-1', algoType: 'CONDITIONAL', orderType: 'STOP_MARKET', symbol: 'BTCUSDT', side: 'SELL', positionSide: 'BOTH', timeInForce: 'GTC', quantity: '0.010', algoStatus: 'NEW', actualOrderId: '', actualPrice: '0.00000', triggerPrice: '59000', price: '0', reduceOnly: true, createTime: 1, updateTime: 2, triggerTime: 0 };
  return exchange.parseOrder({ ...base, ...fields }) as Order;
}

describe('a conditional order pushed', () => {
  it('is open, not filled, while it waits and once it triggered', () => {
    // what ccxt itself says, which the leg must not take
    expect(pushed({ X: 'TRIGGERED', ai: '8389765001' })).toMatchObject({ status: 'closed', filled: 0.01 });
    expect(outcomeOf(pushed({}))).toMatchObject({ exchangeOrderId: '4000000001', status: 'open', filled: 0 });
    expect(outcomeOf(pushed({ X: 'TRIGGERED', ai: '8389765001' }))).toMatchObject({ exchangeOrderId: '8389765001', status: 'open', filled: 0, triggered: true });
  });

  it('once finished, is filled by what its order traded, at that order’s price', () => {
    expect(outcomeOf(pushed({ X: 'FINISHED', ai: '8389765001', aq: '0.010', ap: '58000.00000' }))).toMatchObject({ exchangeOrderId: '8389765001', status: 'filled', filled: 0.01, averagePrice: 58_000, triggered: true });
    // part of it traded: it ended short of what it guarded
    expect(outcomeOf(pushed({ X: 'FINISHED', ai: '8389765001', aq: '0.004', ap: '58000.00000' }))).toMatchObject({ status: 'cancelled', filled: 0.004, triggered: true });
  });

  it('refused by the books after triggering: cancelled, with the exchange’s reason', () => {
    expect(outcomeOf(pushed({ X: 'EXPIRED', ai: '', tt: 1_750_000_000_000, rm: 'Reduce Only reject' }))).toMatchObject({ status: 'cancelled', filled: 0, triggered: true, reason: 'Reduce Only reject' });
    expect(outcomeOf(pushed({ X: 'REJECTED', ai: '8389765001', rm: 'Margin is insufficient.' }))).toMatchObject({ status: 'rejected', triggered: true, reason: 'Margin is insufficient.' });
  });

  it('cancelled before it triggered: cancelled, and not triggered', () => {
    const outcome = outcomeOf(pushed({ X: 'CANCELED' }));
    expect(outcome).toMatchObject({ status: 'cancelled', filled: 0 });
    expect(outcome.triggered).toBeUndefined();
  });
});

describe('a conditional order answered by REST', () => {
  it('tells no fill once triggered: the order it placed does', () => {
    const finished = answered({ algoStatus: 'FINISHED', actualOrderId: '8389765001', actualPrice: '58000.00000', triggerTime: 3 });
    // what ccxt itself says
    expect(finished).toMatchObject({ status: 'closed', filled: 0 });
    const algo = algoStateOf(finished);
    expect(algo).toMatchObject({ status: 'FINISHED', actualOrderId: '8389765001', filled: null });
    const actual = exchange.parseOrder({ orderId: 8_389_765_001, symbol: 'BTCUSDT', status: 'FILLED', clientOrderId: 'stop-1', price: '0', avgPrice: '58000.00', origQty: '0.010', executedQty: '0.010', cumQuote: '580.00', type: 'MARKET', side: 'SELL', positionSide: 'BOTH', reduceOnly: true, updateTime: 3 }) as Order;
    expect(algoOutcomeWithActual(algo as NonNullable<typeof algo>, actual)).toMatchObject({ exchangeOrderId: '8389765001', status: 'filled', filled: 0.01, averagePrice: 58_000, triggered: true });
  });

  it('waiting, or cancelled: as the algo order says', () => {
    expect(outcomeOf(answered({}))).toMatchObject({ exchangeOrderId: '4000000001', status: 'open', filled: 0 });
    expect(outcomeOf(answered({ algoStatus: 'CANCELED' }))).toMatchObject({ status: 'cancelled', filled: 0 });
  });

  it('an ordinary order is not read as an algo order', () => {
    const order = exchange.parseOrder({ orderId: 1, symbol: 'BTCUSDT', status: 'FILLED', avgPrice: '60000', origQty: '0.010', executedQty: '0.010', type: 'MARKET', side: 'BUY', positionSide: 'BOTH', updateTime: 3 }) as Order;
    expect(algoStateOf(order)).toBeNull();
    expect(outcomeOf(order)).toMatchObject({ status: 'filled', filled: 0.01 });
  });
});
