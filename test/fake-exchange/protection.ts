// Take-profit and stop-loss prices held on a position (Bybit's attached TP/SL and trading-stop, in
// its "Full" mode: the whole position closes at market once the last price reaches one of them).
// Pure rules: which side of the price each must be on, and when one triggers.

export interface Protection {
  takeProfit?: number;
  stopLoss?: number;
}

export type ProtectionTrigger = 'take_profit' | 'stop_loss';

/**
 * Why a protection cannot be held for a position of this direction at `price`, or undefined: a
 * long's take-profit must be above the price and its stop-loss below, a short's the other way.
 */
export function protectionProblem(long: boolean, price: number, p: Protection): string | undefined {
  if (p.takeProfit !== undefined && (long ? p.takeProfit <= price : p.takeProfit >= price)) {
    return `TakeProfit:${p.takeProfit} set for ${long ? 'Buy' : 'Sell'} position should be ${long ? 'higher' : 'lower'} than base_price:${price}??LastPrice`;
  }
  if (p.stopLoss !== undefined && (long ? p.stopLoss >= price : p.stopLoss <= price)) {
    return `StopLoss:${p.stopLoss} set for ${long ? 'Buy' : 'Sell'} position should be ${long ? 'lower' : 'higher'} than base_price:${price}??LastPrice`;
  }
  return undefined;
}

/** Which of a position's protections the last price has reached, if any (the stop first). */
export function triggeredBy(long: boolean, price: number, p: Protection): ProtectionTrigger | undefined {
  if (p.stopLoss !== undefined && (long ? price <= p.stopLoss : price >= p.stopLoss)) return 'stop_loss';
  if (p.takeProfit !== undefined && (long ? price >= p.takeProfit : price <= p.takeProfit)) return 'take_profit';
  return undefined;
}
