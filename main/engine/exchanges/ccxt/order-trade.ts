import type { Trade } from 'ccxt';
import type { OrderTrade } from '../venue.js';

/** One of an order's trades as apisify keeps it, from ccxt's (REST or pushed); null when ccxt left out what a fill needs. */
export function orderTradeOf(trade: Trade): OrderTrade | null {
  const { amount, price, timestamp } = trade;
  if (typeof amount !== 'number' || typeof price !== 'number' || typeof timestamp !== 'number' || trade.id === undefined) return null;
  const fee = trade.fee && typeof trade.fee.cost === 'number' && typeof trade.fee.currency === 'string' ? trade.fee : null;
  return { tradeId: String(trade.id), amount, price, fee: fee?.cost ?? null, feeCurrency: fee?.currency ?? null, at: timestamp };
}
