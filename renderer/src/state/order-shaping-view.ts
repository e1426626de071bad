import type { OrderView } from '../../../shared/order-view.js';
import { describeProtection, describeSizing } from './order-preview.js';

/**
 * What amounts and values of a market count in, read from ccxt's unified symbol (BTC/USDT:USDT: BTC
 * and USDT; the inverse BTC/USD:BTC: contracts and USD). A dry run's symbol (BTCUSDT) does not say.
 */
export function unitsOfMarket(symbol: string | undefined): { amount: string; value: string } | undefined {
  const match = symbol ? /^([^/:]+)\/([^/:]+)(?::([^-]+))?/.exec(symbol) : null;
  if (!match) return undefined;
  const [, base = '', quote = '', settle] = match;
  return settle === base ? { amount: 'contracts', value: quote } : { amount: base, value: quote };
}

/** How a journaled order was sized and is protected, in the words of the manual form's preview. */
export function orderShaping(order: Pick<OrderView, 'sizing' | 'protection' | 'market' | 'dryRun' | 'exchange'>): { sizing: string | null; protection: string | null } {
  const protection = order.protection
    ? { stop_loss: order.protection.stopLoss, take_profit: order.protection.takeProfit, style: order.protection.style, reference_price: order.protection.referencePrice }
    : undefined;
  const units = unitsOfMarket(order.market?.symbol);
  const sizing = order.sizing
    ? describeSizing({
        sizing: { unit: order.sizing.unit, input: order.sizing.input, basis: order.sizing.basis, reference_price: order.sizing.referencePrice, amount: order.sizing.amount, notional: order.sizing.notional },
        ...(units ? { units } : {}),
        ...(protection ? { protection } : {}),
      })
    : null;
  return { sizing, protection: describeProtection(protection, { dry_run: order.dryRun, exchange: order.exchange }) };
}
