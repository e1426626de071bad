import type { ExchangeName } from '../../../shared/exchange-names.js';
import type { OrderFields } from '../../../shared/order-request.js';
import { formatAmount } from '../../../shared/decimal.js';
import type { Principal } from '../auth/authenticate.js';
import { ApiError } from '../http/api-error.js';
import type { Strategy } from '../store/strategies.js';

/** What a request may do: the strategy exists and is on, the key may trade it, and the strategy's limits hold. */
export function authorizeOrder(fields: OrderFields, strategy: Strategy | null, principal: Principal): Strategy {
  if (!strategy) {
    throw new ApiError(403, 'unknown_strategy', `strategy: no strategy named ${JSON.stringify(fields.strategy)}; create it first (apisify strategy add ${fields.strategy})`, 'strategy');
  }
  if (principal.kind === 'api-key' && principal.strategies.length > 0 && !principal.strategies.includes(strategy.name)) {
    throw new ApiError(403, 'strategy_not_allowed', `strategy: this API key may only trade ${principal.strategies.join(', ')}`, 'strategy');
  }
  if (!strategy.enabled) {
    throw new ApiError(403, 'strategy_disabled', `strategy: ${strategy.name} is disabled; enable it to trade`, 'strategy');
  }
  refuseExchangeNotAllowed(strategy, fields.exchange);
  if (!symbolAllowed(strategy, fields.symbol)) {
    throw new ApiError(403, 'symbol_not_allowed', `symbol: strategy ${strategy.name} trades only ${strategy.symbols.join(', ')}`, 'symbol');
  }
  // A Close sends the whole position whatever qty it carries (a capped Close would leave part of it open).
  // Sized in the market's amount, the size is known now; sized from the account, once the order runs (order-decision.ts).
  const unit = fields.qtyUnit ?? strategy.qtyUnit;
  const size = fields.targetPosition !== null ? Math.abs(fields.targetPosition) : fields.intent === 'close' ? null : fields.qty;
  if (strategy.maxQty !== null && unit === 'base' && size !== null && size > strategy.maxQty) {
    const field = fields.targetPosition !== null ? 'target_position' : 'qty';
    throw new ApiError(403, 'qty_above_limit', `${field}: strategy ${strategy.name} allows at most ${formatAmount(strategy.maxQty)} per order, got ${formatAmount(size)}`, field);
  }
  return strategy;
}

/** A strategy limited to some exchanges trades on no other. */
export function refuseExchangeNotAllowed(strategy: Strategy, exchange: ExchangeName): void {
  if (strategy.exchanges.length > 0 && !strategy.exchanges.includes(exchange)) {
    throw new ApiError(403, 'exchange_not_allowed', `exchange: strategy ${strategy.name} trades only on ${strategy.exchanges.join(', ')}`, 'exchange');
  }
}

/** Whether the strategy's allow-list (empty: every symbol) takes `symbol` as written. */
export function symbolAllowed(strategy: Strategy, symbol: string): boolean {
  return strategy.symbols.length === 0 || strategy.symbols.some((allowed) => sameSymbol(allowed, symbol));
}

/** BTCUSDT, btcusdt and BTCUSDT.P name the same thing for an allow-list. */
function sameSymbol(a: string, b: string): boolean {
  const plain = (symbol: string) => symbol.toUpperCase().replace(/\.P$/, '');
  return plain(a) === plain(b);
}
