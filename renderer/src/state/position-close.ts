import { accountsAllowed } from '../../../shared/account-names.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import type { MarketEntry } from '../../../shared/manual-order-api.js';
import type { PositionView } from '../../../shared/positions-api.js';
import type { StrategyOverview } from './api-types.js';

/**
 * A position row's Close: the manual form's order (side Close, Market, the row's symbol, exchange and
 * account) through the same preview and confirm, under a strategy the order is journaled under. A
 * dry run's is its own strategy's; a live one's is the strategy whose fills built it when there is
 * exactly one that may still trade there, else the user picks among those that may.
 */
export type CloseStrategyChoice =
  | { kind: 'fixed'; strategy: string; why: string }
  | { kind: 'pick'; options: string[]; suggested: string; why: string }
  | { kind: 'none'; why: string };

/** Whether the strategy may place a live order on this position's account and market now. */
export function mayCloseOn(strategy: StrategyOverview, position: Pick<PositionView, 'exchange' | 'account'>): boolean {
  const exchange = position.exchange as ExchangeName;
  return (
    strategy.mode === 'live' &&
    strategy.enabled &&
    strategy.marketType === 'swap' &&
    (strategy.exchanges.length === 0 || strategy.exchanges.includes(exchange)) &&
    accountsAllowed(strategy.accounts, exchange).includes(position.account)
  );
}

export function closeStrategyChoice(position: PositionView, strategies: readonly StrategyOverview[]): CloseStrategyChoice {
  if (position.dryRun) return { kind: 'fixed', strategy: position.strategy ?? '', why: 'the dry run this simulated position belongs to' };
  const where = `${position.exchange} · ${position.account}`;
  const builders = position.strategies.filter((share) => Number(share.qty) !== 0).map((share) => share.strategy);
  const usable = strategies.filter((strategy) => mayCloseOn(strategy, position)).map((strategy) => strategy.name);
  const [only] = builders;
  if (builders.length === 1 && only !== undefined && usable.includes(only)) return { kind: 'fixed', strategy: only, why: 'its fills built this position' };
  if (usable.length === 0) {
    return { kind: 'none', why: `No enabled live strategy may trade on ${where}: allow one on the Strategies page, or use Flatten account, which needs none.` };
  }
  const options = [...usable.filter((name) => builders.includes(name)), ...usable.filter((name) => !builders.includes(name))];
  const why =
    builders.length > 1
      ? `Built by ${builders.join(' and ')}: the Close (the whole position) is journaled under the strategy you pick.`
      : builders.length === 1
        ? `Built by ${only}, which may not trade on ${where} now (disabled, or not allowed there): pick the strategy to journal the Close under.`
        : 'Opened outside apisify: pick the strategy to journal the Close under.';
  return { kind: 'pick', options, suggested: options[0] as string, why };
}

/**
 * The symbol to send for the strategy: a live row's is ccxt's unified symbol, which a strategy with
 * a list of allowed symbols may spell otherwise (BTCUSDT): the markets answer for the strategy says
 * what to type for that market. A strategy that allows every symbol takes the row's as it is.
 */
export function closeSymbol(position: Pick<PositionView, 'symbol' | 'dryRun'>, strategy: Pick<StrategyOverview, 'symbols'> | undefined, markets: readonly MarketEntry[] | null): string {
  if (position.dryRun || !strategy || strategy.symbols.length === 0 || !markets) return position.symbol;
  return markets.find((market) => market.unified === position.symbol)?.input ?? position.symbol;
}

/** Whether closeSymbol needs the strategy's markets to spell the symbol. */
export function needsMarkets(position: Pick<PositionView, 'dryRun'>, strategy: Pick<StrategyOverview, 'symbols'> | undefined): boolean {
  return !position.dryRun && strategy !== undefined && strategy.symbols.length > 0;
}

/**
 * The manual order's body for the Close. A live one names the account; a dry run takes the mark as
 * its price, which it fills at only when the exchange's live price cannot be had (as flatten does).
 */
export function closeOrderBody(position: PositionView, strategy: string, symbol: string): Record<string, unknown> {
  const body: Record<string, unknown> = { strategy, exchange: position.exchange, order_type: 'Market', side: 'Close', symbol };
  if (!position.dryRun) body['account'] = position.account;
  if (position.dryRun && position.markPrice !== null) body['price'] = position.markPrice;
  return body;
}
