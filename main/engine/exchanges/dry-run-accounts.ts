import type { DryRunAccountView, DryRunPositionView } from '../../../shared/api-types.js';
import type { DryRunBalances } from '../store/dry-run-balances.js';
import type { ContractTerms, DryRunOrders, SimulatedAccountKey, SimulatedOrder } from '../store/dry-run-orders.js';
import type { DryRunPositions, SimulatedPosition } from '../store/dry-run-positions.js';
import { type AccountFigures, accountFigures, type MarginedPosition, positionMarginOf, type RestingOrder, unrealizedPnlOf } from './dry-run-accounting.js';
import { type DryRunMarket, guessedMarket } from './dry-run-markets.js';
import type { DryRunPrices } from './dry-run-prices.js';

/** Settle currencies an account starts with its strategy's dryRunBalance of. */
const STABLECOINS = new Set(['USDT', 'USDC', 'USD', 'FDUSD', 'BUSD', 'DAI', 'TUSD', 'USDE']);

/** The order's market and its price, which fix an inverse coin's starting amount when the account is first read in it. */
export interface StartingHint {
  market: DryRunMarket;
  price: number | null;
}

/** A position's terms, also for one kept before the simulator knew its market (counted as a linear contract in its quote). */
function termsOfPosition(position: SimulatedPosition): ContractTerms {
  const guessed = guessedMarket(position.symbol, position.marketType).terms;
  return { ...guessed, contract: position.marketType === 'spot' ? null : (position.contract ?? 'linear'), contractSize: position.contractSize, settle: position.settle ?? guessed.settle };
}

function restingOf(order: SimulatedOrder): RestingOrder {
  return { side: order.side, kind: order.kind, amount: order.amount, price: order.price, reduceOnly: order.reduceOnly, terms: order.terms, leverage: order.leverage };
}

/**
 * The simulated accounts' figures, as an exchange reports them: per currency what the account started
 * with and what fills moved (SQLite), the positions at the last price the simulator learnt (marks),
 * the margin they use and what resting orders hold. Also the views a Positions page reads.
 */
export class SimulatedAccounts {
  constructor(
    private readonly store: { positions: DryRunPositions; orders: DryRunOrders; balances: DryRunBalances },
    private readonly prices: DryRunPrices,
    /** A strategy's dryRunBalance now; null: it is gone. */
    private readonly startingBalanceOf: (strategy: string) => number | null,
  ) {}

  /**
   * The account's start in `currency`: the strategy's dryRunBalance in a stablecoin, that much worth
   * of an inverse contract's coin at the price of its first order, else nothing; fixed the first time,
   * and scaled by a changed dryRunBalance. Plus what fills moved since.
   */
  #wallet(account: SimulatedAccountKey, currency: string, hint: StartingHint | null): { starting: number; wallet: number } {
    const setting = this.startingBalanceOf(account.strategy);
    let kept = this.store.balances.get(account, currency);
    if (kept?.starting == null && setting !== null) {
      const inverseCoin = hint !== null && hint.market.terms.contract === 'inverse' && hint.market.terms.settle === currency && hint.price !== null;
      if (STABLECOINS.has(currency)) kept = this.store.balances.fixStarting(account, currency, setting, setting);
      else if (inverseCoin) kept = this.store.balances.fixStarting(account, currency, setting / (hint.price as number), setting);
    }
    const stored = kept?.starting ?? 0;
    const starting = setting !== null && kept?.startingValue ? (stored * setting) / kept.startingValue : stored;
    return { starting, wallet: starting + (kept?.moved ?? 0) };
  }

  /** One currency's figures: ccxt's total (equity) and free, and what they are made of. */
  figures(account: SimulatedAccountKey, currency: string, hint: StartingHint | null): AccountFigures & { starting: number } {
    const { starting, wallet } = this.#wallet(account, currency, hint);
    const positions = this.store.positions.ofAccount(account.strategy, account.exchange).map((position) => this.#margined(position));
    const figures = accountFigures(currency, wallet, positions, this.store.orders.openOf(account).map(restingOf));
    return { ...figures, starting };
  }

  #margined(position: SimulatedPosition): MarginedPosition {
    const mark = this.prices.latest({ exchange: position.exchange, marketType: position.marketType, symbol: position.symbol });
    return { qty: position.qty, entryPrice: position.entryPrice, terms: termsOfPosition(position), leverage: position.leverage ?? 1, mark };
  }

  /** Every simulated position (flat ones included) with its mark, PnL and margin: for a Positions page. */
  positionViews(strategy?: string): DryRunPositionView[] {
    return this.store.positions.list(strategy).map((position) => {
      const margined = this.#margined(position);
      return {
        strategy: position.strategy,
        exchange: position.exchange,
        marketType: position.marketType,
        symbol: position.symbol,
        qty: position.qty,
        entryPrice: position.entryPrice,
        markPrice: margined.mark,
        unrealizedPnl: unrealizedPnlOf(margined, margined.mark, margined.terms),
        realizedPnl: position.realizedPnl,
        fees: position.fees,
        margin: positionMarginOf(margined),
        leverage: margined.leverage,
        settle: margined.terms.settle,
        updatedAt: position.updatedAt,
      };
    });
  }

  /** Every currency each simulated account holds or settles positions in, with its equity and free balance. */
  accountViews(strategy?: string): DryRunAccountView[] {
    const accounts = new Map<string, { account: SimulatedAccountKey; currencies: Set<string> }>();
    const note = (account: SimulatedAccountKey, currency: string) => {
      const key = `${account.strategy}\u0000${account.exchange}`;
      const entry = accounts.get(key) ?? { account: { strategy: account.strategy, exchange: account.exchange }, currencies: new Set<string>() };
      entry.currencies.add(currency);
      accounts.set(key, entry);
    };
    for (const balance of this.store.balances.list(strategy)) note(balance, balance.currency);
    for (const position of this.store.positions.list(strategy)) note(position, termsOfPosition(position).settle);
    const views: DryRunAccountView[] = [];
    for (const { account, currencies } of accounts.values()) {
      for (const currency of [...currencies].sort()) {
        const figures = this.figures(account, currency, null);
        const kept = this.store.balances.get(account, currency);
        views.push({
          strategy: account.strategy,
          exchange: account.exchange,
          currency,
          starting: figures.starting,
          wallet: figures.wallet,
          equity: figures.total,
          free: figures.free,
          unrealizedPnl: figures.unrealizedPnl,
          positionMargin: figures.positionMargin,
          orderMargin: figures.orderMargin,
          realizedPnl: kept?.realizedPnl ?? 0,
          fees: kept?.fees ?? 0,
        });
      }
    }
    return views;
  }
}
