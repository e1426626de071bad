import { Decimal } from 'decimal.js';
import { ACCOUNT_NAME_HINT, accountKey, accountsAllowed, isAccountName } from '../../../shared/account-names.js';
import { DEFAULT_STRATEGY_SHAPING } from '../../../shared/api-types.js';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';
import { FLATTEN_STRATEGY, type FlattenAnswer, type FlattenClose, type FlattenRequest } from '../../../shared/flatten-api.js';
import { NO_SHAPING } from '../../../shared/order-shaping-fields.js';
import type { OrderFields } from '../../../shared/order-request.js';
import type { OrderView } from '../../../shared/order-view.js';
import type { PositionView } from '../../../shared/positions-api.js';
import { sideIntentOf } from '../../../shared/sides.js';
import type { AccountViews } from '../accounts/account-views.js';
import { ApiError } from '../http/api-error.js';
import type { Logger } from '../log.js';
import type { Journal } from '../store/journal.js';
import type { Strategies, Strategy } from '../store/strategies.js';
import { symbolAllowed } from './authorize.js';
import type { OrderService } from './order-service.js';

export interface FlattenDeps {
  orders: OrderService;
  views: AccountViews;
  journal: Journal;
  strategies: Strategies;
  setPaused(paused: boolean): void;
  log: Logger;
}

const RESTING = new Set(['open', 'partially_filled']);
const IN_FORCE = new Set(['received', 'submitted', 'open', 'partially_filled']);

/**
 * Flatten (README "Flatten and kill switch"): close every position of an account, or of a strategy's
 * symbols, and cancel its open orders, through the one order pipeline (journaled, in each symbol's
 * queue), allowed while paused. With `pause`, trading is paused first, so nothing new comes in while
 * it runs: the kill switch. Resting entries are cancelled first (so none fills after its position was
 * read), then each position is closed, then the protective orders of what is known flat: a position
 * that could not be closed, was closed in part, or is on an account that could not be read keeps its stop.
 */
export class Flattener {
  constructor(private readonly deps: FlattenDeps) {}

  async flatten(request: FlattenRequest): Promise<FlattenAnswer> {
    const scope = this.#scopeOf(request);
    if (request.pause) this.deps.setPaused(true);
    const answer: FlattenAnswer = { paused: request.pause === true, closes: [], cancelled: [], failures: [] };

    // Resting entries first: one that fills while it is being cancelled is then in the positions read.
    for (const order of this.deps.journal.unfinished().filter((item) => scope.coversOrder(item))) {
      if (!order.legs.some((leg) => leg.role === 'entry' && RESTING.has(leg.status) && leg.exchangeOrderId)) continue;
      try {
        const cancelled = await this.deps.orders.cancel(order.id);
        answer.cancelled.push({ orderId: order.id, status: cancelled.status });
      } catch (error) {
        answer.failures.push({ exchange: order.exchange, account: order.account, symbol: order.symbol, message: `order ${order.id} could not be cancelled: ${messageOf(error)}` });
      }
    }

    const read = await this.deps.views.positions();
    const unreadable = new Set<string>();
    for (const account of read.accounts) {
      if (account.state === 'ok') continue;
      unreadable.add(accountKey(account));
      if (account.state === 'failing' && scope.coversAccount(account.exchange, account.account)) answer.failures.push({ exchange: account.exchange, account: account.account, symbol: null, message: account.message ?? 'the account could not be read' });
    }
    const positions = read.positions.filter((position) => scope.coversPosition(position));

    // A market is flat once every Close placed for it filled and they covered the whole position.
    const closedFlat = new Set<string>();
    await Promise.all(
      positions.map(async (position) => {
        const { closes, whole } = await this.#close(position, scope.strategy);
        answer.closes.push(...closes);
        if (whole && closes.length > 0 && closes.every((close) => close.status === 'filled')) closedFlat.add(marketKey(position));
      }),
    );

    // Stop-losses and take-profits go only where the market is known flat: its account was read and
    // held nothing there, or flatten closed all of it. Anything else keeps its protection.
    const heldBefore = new Set(read.positions.map(marketKey));
    const flat = (order: OrderView & { market: NonNullable<OrderView['market']> }) => {
      const key = marketKey({ ...order, symbol: order.market.symbol });
      if (!order.dryRun && unreadable.has(accountKey(order))) return false;
      return !heldBefore.has(key) || closedFlat.has(key);
    };
    const protective = this.deps.journal
      .unfinished()
      .filter((order): order is OrderView & { market: NonNullable<OrderView['market']> } => scope.coversOrder(order) && order.market !== null)
      .filter(flat)
      .flatMap((order) => order.legs.filter((leg) => leg.role !== 'entry' && IN_FORCE.has(leg.status)).map((leg) => ({ orderId: order.id, leg: leg.leg, exchangeOrderId: leg.exchangeOrderId })));
    await this.deps.orders.protection.cancelLegs(protective);
    for (const leg of protective) {
      const order = this.deps.journal.get(leg.orderId);
      const status = order?.legs.find((item) => item.leg === leg.leg)?.status ?? 'unknown';
      if (status === 'cancelled') answer.cancelled.push({ orderId: leg.orderId, status });
      else answer.failures.push({ exchange: order?.exchange ?? '', account: order?.account ?? '', symbol: order?.symbol ?? null, message: `the protective order of order ${leg.orderId} could not be cancelled (it is ${status})` });
    }

    this.deps.log.info('flatten', { closes: answer.closes.length, cancelled: answer.cancelled.length, failures: answer.failures.length, paused: answer.paused });
    return answer;
  }

  /**
   * One Close per position, journaled under the strategy whose fills built it; a position several
   * strategies built is reduced by each one's share (exact PnL per strategy), and what is left (traded
   * outside apisify) closed under FLATTEN_STRATEGY.
   */
  async #close(position: PositionView, only: Strategy | null): Promise<{ closes: FlattenClose[]; whole: boolean }> {
    if (position.dryRun) return { closes: [await this.#place(position, position.strategy as string, null)], whole: true };
    const size = new Decimal(position.size);
    const long = position.side === 'long';
    // the strategies holding the position's side, the last to trade it first (AccountViews); a strategy's
    // books can be off when its position was closed outside apisify
    const owners = position.strategies.filter((share) => new Decimal(share.qty).isPositive() === long && !new Decimal(share.qty).eq(0) && (only === null || share.strategy === only.name));
    const first = owners[0];
    if (owners.length === 0) {
      // a strategy's flatten closes only what its own fills built: none here
      if (only !== null) return { closes: [], whole: false };
      return { closes: [await this.#place(position, FLATTEN_STRATEGY, null)], whole: true };
    }
    // the strategy that traded it last holds all of it: one Close under it
    if (first && new Decimal(first.qty).abs().gte(size)) return { closes: [await this.#place(position, first.strategy, null)], whole: true };
    const closes: FlattenClose[] = [];
    let left = size;
    for (const owner of owners) {
      const part = Decimal.min(new Decimal(owner.qty).abs(), left);
      if (part.lte(0)) break;
      closes.push(await this.#place(position, owner.strategy, part));
      left = left.minus(part);
    }
    // what no strategy holds closes under FLATTEN_STRATEGY; a strategy's flatten closes its own only
    if (left.gt(0) && only === null) {
      closes.push(await this.#place(position, FLATTEN_STRATEGY, null));
      return { closes, whole: true };
    }
    return { closes, whole: left.lte(0) };
  }

  async #place(position: PositionView, strategyName: string, reduceBy: Decimal | null): Promise<FlattenClose> {
    const strategy = this.#strategyFor(position, strategyName);
    const side = reduceBy === null ? 'Close' : position.side === 'long' ? 'Sell' : 'Buy';
    const fields: OrderFields = {
      ...NO_SHAPING,
      strategy: strategy.name,
      exchange: position.exchange as ExchangeName,
      account: position.account,
      orderType: 'market',
      qty: reduceBy === null ? null : reduceBy.toNumber(),
      side,
      intent: sideIntentOf(side) as OrderFields['intent'],
      symbol: position.symbol,
      // a dry run fills at the exchange's price; offline, at the last one it knew
      price: position.dryRun && position.markPrice !== null ? Number(position.markPrice) : null,
      memo: 'flatten',
      reduceOnly: reduceBy === null ? null : true,
    };
    const close: FlattenClose = { orderId: null, exchange: position.exchange, account: position.account, strategy: strategy.name, symbol: position.symbol, status: null, error: null };
    try {
      const placed = await this.deps.orders.place({ fields, principal: { kind: 'flatten', strategy }, request: { flatten: true, strategy: strategy.name, exchange: position.exchange, account: position.account, symbol: position.symbol, side }, bodyDigest: null });
      return { ...close, orderId: placed.order.id, status: placed.order.status, error: placed.order.error && failedStatus(placed.order) ? placed.order.error.message : null };
    } catch (error) {
      return { ...close, error: messageOf(error) };
    }
  }

  /**
   * The strategy a Close goes out under, as flatten needs it: on the position's own account and market,
   * whatever its allow-lists, caps and defaults say (a disabled strategy's position must close too).
   */
  #strategyFor(position: PositionView, name: string): Strategy {
    const stored = this.deps.strategies.find(name);
    const base: Strategy = stored ?? { ...DEFAULT_STRATEGY_SHAPING, id: 0, name, mode: position.dryRun ? 'dry-run' : 'live', marketType: position.marketType, maxQty: null, symbols: [], exchanges: [], accounts: {}, enabled: true, createdAt: '', updatedAt: '' };
    return {
      ...base,
      ...NO_DEFAULTS,
      mode: position.dryRun ? 'dry-run' : 'live',
      marketType: position.marketType,
      enabled: true,
      symbols: [],
      exchanges: [],
      maxQty: null,
      accounts: { [position.exchange]: [position.account] },
    };
  }

  #scopeOf(request: FlattenRequest): Scope {
    if (request.exchange !== undefined && !isExchangeName(request.exchange)) throw new ApiError(400, 'invalid_field', `exchange: expected one of ${EXCHANGE_NAMES.join(', ')}`, 'exchange');
    if (request.account !== undefined && !isAccountName(request.account)) throw new ApiError(400, 'invalid_field', `account: expected ${ACCOUNT_NAME_HINT}`, 'account');
    if (request.account !== undefined && request.exchange === undefined) throw new ApiError(400, 'missing_field', 'exchange is required with account: which exchange is the account on?', 'exchange');
    const strategy = request.strategy === undefined ? null : this.deps.strategies.find(request.strategy);
    if (request.strategy !== undefined && !strategy) throw new ApiError(404, 'unknown_strategy', `strategy: no strategy named ${JSON.stringify(request.strategy)}`, 'strategy');
    return new Scope(request.exchange ?? null, request.exchange === undefined ? null : (request.account ?? null), strategy ?? null);
  }
}

/** The strategy's defaults that would shape a Close (a stop on it, a cap on its size) are off for flatten. */
const NO_DEFAULTS = { qtyUnit: 'base', maxNotional: null, leverage: null, maxLeverage: null, marginMode: null, stopLossPercent: null, takeProfitPercent: null, maxLag: null } as const;

/**
 * What a flatten covers: an exchange (and one of its accounts), a strategy, both, or everything. A
 * named account is one on the exchange: the dry runs' simulated accounts (journaled as its `default`)
 * are not on it, and are flattened by their strategy, their exchange or everything.
 */
class Scope {
  constructor(
    readonly exchange: string | null,
    readonly account: string | null,
    readonly strategy: Strategy | null,
  ) {}

  coversAccount(exchange: string, account: string): boolean {
    return (this.exchange === null || this.exchange === exchange) && (this.account === null || this.account === account);
  }

  /** A position or order there: on the account named (never a dry run's), else on the exchange. */
  #coversPlace(item: { exchange: string; account: string; dryRun: boolean }): boolean {
    return this.coversAccount(item.exchange, item.account) && !(this.account !== null && item.dryRun);
  }

  /** A strategy's: its dry run's own, or on a live account it may use, a symbol it built or may trade. */
  coversPosition(position: PositionView): boolean {
    if (!this.#coversPlace(position)) return false;
    const strategy = this.strategy;
    if (strategy === null) return true;
    if (position.dryRun) return position.strategy === strategy.name;
    if (strategy.mode === 'dry-run' || !this.#mayTradeOn(strategy, position.exchange, position.account)) return false;
    return position.strategies.some((share) => share.strategy === strategy.name) || (strategy.symbols.length > 0 && symbolAllowed(strategy, position.symbol));
  }

  coversOrder(order: OrderView): boolean {
    if (!this.#coversPlace(order)) return false;
    return this.strategy === null || order.strategy === this.strategy.name;
  }

  #mayTradeOn(strategy: Strategy, exchange: string, account: string): boolean {
    const onExchange = strategy.exchanges.length === 0 || strategy.exchanges.includes(exchange as ExchangeName);
    return onExchange && accountsAllowed(strategy.accounts, exchange as ExchangeName).includes(account);
  }
}

/** A market of one account; a dry run's is its strategy's (its orders may name any account it is allowed). */
function marketKey(position: { exchange: string; account: string; symbol: string; dryRun: boolean; strategy?: string | null }): string {
  return position.dryRun ? `${position.exchange}|dry:${position.strategy ?? ''}|${position.symbol}` : `${position.exchange}|${position.account}|live|${position.symbol}`;
}

function failedStatus(order: OrderView): boolean {
  return ['rejected', 'error', 'not_sent'].includes(order.status);
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'it failed inside apisify; see the app log';
}
