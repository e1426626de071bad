import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import type { MarketRef, OrderTrade, Venue } from '../exchanges/venue.js';
import { inBackground } from '../exchanges/scheduling/request-priority.js';
import type { Logger } from '../log.js';
import type { Journal } from '../store/journal.js';

export interface TradeFillTiming {
  /** After a leg ends: exchanges write the trade list a moment after the order's state. */
  firstAfterMs: number;
  /** A list that does not add up yet is read again this much later, this many times, then left. */
  retryAfterMs: number;
  attempts: number;
}

export const DEFAULT_TRADE_FILL_TIMING: TradeFillTiming = { firstAfterMs: 1_500, retryAfterMs: 5_000, attempts: 3 };

const ENDED = new Set(['filled', 'cancelled', 'rejected', 'error']);

/** An order's trades as its account's stream pushed them; null where the stream cannot vouch for them. */
export type PushedTrades = (venue: Venue, exchangeOrderId: string) => OrderTrade[] | null;

/**
 * Replaces the fills a live leg's running totals implied with the exchange's own trades, once the leg
 * has ended: their exact prices, and their fees where the order told none (Binance USDⓈ-M orders carry
 * no fee). A moment after the leg ends, the trades its account's stream pushed are taken when they add
 * up to the leg; otherwise one background read, never in an order's way, and a list that does not
 * add up is read again a few times, after which the totals stand.
 */
export class TradeFills {
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly journal: Journal,
    private readonly venueOf: (order: OrderView) => Promise<{ venue: Venue; market: MarketRef }>,
    private readonly pushedTrades: PushedTrades,
    private readonly log: Logger,
    private readonly timing: TradeFillTiming = DEFAULT_TRADE_FILL_TIMING,
  ) {}

  /** A leg of `orderId` changed: if it ended with a fill on a live account, its trades are read in a moment. */
  legChanged(orderId: number, legNumber: number): void {
    const order = this.journal.get(orderId);
    if (order) this.#consider(order, legNumber);
  }

  /** Every leg of an order, as its first answer left them. */
  orderAnswered(order: OrderView): void {
    for (const leg of order.legs) this.#consider(order, leg.leg);
  }

  #consider(order: OrderView, legNumber: number): void {
    const leg = order.legs.find((item) => item.leg === legNumber);
    if (!leg || order.dryRun || !wantsTrades(leg)) return;
    this.#later(this.timing.firstAfterMs, () => this.#read(order.id, legNumber, this.timing.attempts));
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #later(ms: number, work: () => Promise<void>): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void work().catch((error: unknown) => this.log.warn('an order’s trades could not be read; its fills stand as its totals told them', { code: (error as { code?: string }).code ?? 'error' }));
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  async #read(orderId: number, legNumber: number, attemptsLeft: number): Promise<void> {
    const order = this.journal.get(orderId);
    const leg = order?.legs.find((item) => item.leg === legNumber);
    if (this.#stopped || !order || !leg || !wantsTrades(leg) || !order.market) return;
    const kept = this.journal.fills.ofLeg(orderId, legNumber);
    if (kept.length > 0 && kept.every((fill) => fill.source === 'trade')) return;
    const { venue, market } = await this.venueOf(order);
    const exchangeOrderId = leg.exchangeOrderId as string;
    const context = { orderId, leg: legNumber, strategy: order.strategy, exchange: order.exchange, account: order.account, dryRun: false, marketSymbol: order.market.symbol, marketType: order.market.type, side: leg.side };
    // a push that told no fee tells less than the trade list would
    const pushed = this.pushedTrades(venue, exchangeOrderId);
    if (pushed && pushed.every((trade) => trade.fee !== null) && this.journal.fills.replaceWithTrades(context, leg.filled, pushed)) return;
    if (!venue.orderTrades) return;
    const trades = await inBackground(() => venue.orderTrades?.(market, exchangeOrderId) ?? Promise.resolve([]));
    if (this.#stopped) return;
    if (this.journal.fills.replaceWithTrades(context, leg.filled, trades)) return;
    if (attemptsLeft > 1) this.#later(this.timing.retryAfterMs, () => this.#read(orderId, legNumber, attemptsLeft - 1));
  }
}

/** Ended with something filled, with the exchange's id to ask by, and not already taken from trades. */
function wantsTrades(leg: ExchangeOrderView): boolean {
  return ENDED.has(leg.status) && Number(leg.filled) > 0 && leg.exchangeOrderId !== null;
}
