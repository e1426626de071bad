import { formatAmount } from '../../../shared/decimal.js';
import type { OrderFields } from '../../../shared/order-request.js';
import { FINAL_STATUSES, type OrderStatus, type OrderView } from '../../../shared/order-view.js';
import type { Principal } from '../auth/authenticate.js';
import type { EventBus } from '../events/event-bus.js';
import type { Venues } from '../exchanges/venues.js';
import type { LegOutcome, LegToSend, MarketRef, Venue } from '../exchanges/venue.js';
import { ApiError } from '../http/api-error.js';
import { clientOrderIdOf } from '../store/install-id.js';
import type { Journal } from '../store/journal.js';
import type { Settings } from '../store/settings.js';
import type { Strategies } from '../store/strategies.js';
import { authorizeOrder } from './authorize.js';
import { planOrder } from './planner.js';
import { SymbolQueue } from './symbol-queue.js';

export interface PlaceOrderInput {
  fields: OrderFields;
  principal: Principal;
  /** The request as received, already stripped of its signature and with the key masked. */
  request: Record<string, unknown>;
  /** Set for unsigned (TradingView) requests: an identical body within the window is a resend. */
  bodyDigest: string | null;
}

export interface PlacedOrder {
  order: OrderView;
  /** The request repeated one accepted moments ago; `order` is that first one, nothing was sent again. */
  duplicate: boolean;
  /** False when the wait bound passed before the exchange answered: the order goes on. */
  settled: boolean;
}

interface Dependencies {
  journal: Journal;
  strategies: Strategies;
  venues: Venues;
  events: EventBus;
  settings: () => Settings;
  installId: string;
}

/**
 * The one way an order is placed, for API keys and the UI alike (DESIGN.md "One order's way"):
 * authorize, settle the market, journal, then plan and execute in the symbol's queue.
 * Everything that can refuse a request happens before the journal write, so a refusal leaves no row.
 */
export class OrderService {
  readonly #queue = new SymbolQueue();
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly deps: Dependencies) {}

  async place(input: PlaceOrderInput): Promise<PlacedOrder> {
    const { journal, strategies, venues, settings } = this.deps;
    if (settings().paused) throw new ApiError(503, 'trading_paused', 'trading is paused in apisify; resume it to accept orders', null, { 'Retry-After': '30' });
    const { fields, principal } = input;
    const strategy = authorizeOrder(fields, strategies.find(fields.strategy), principal);
    const venue = await venues.forOrder(strategy, fields);
    const market = await venue.resolveMarket(fields.symbol);
    if (fields.qty !== null && (fields.intent === 'buy' || fields.intent === 'sell')) {
      // Buy and Sell know their size now: refuse one below the market's minimum before it is journaled.
      venue.normalize(market, { side: fields.intent, type: fields.orderType, amount: fields.qty, price: fields.price, reduceOnly: false });
    }

    // From here to the journal write nothing awaits, so two identical resends cannot both pass.
    const window = settings().duplicateWindowMs;
    if (input.bodyDigest) {
      const firstId = journal.findRecentByDigest(input.bodyDigest, new Date(Date.now() - window).toISOString());
      const first = firstId === null ? null : journal.get(firstId);
      if (first) return { order: first, duplicate: true, settled: true };
    }
    const orderId = journal.record({
      source: principal.kind === 'ui' ? 'manual' : principal.signed ? 'api' : 'tradingview',
      apiKeyId: principal.kind === 'api-key' ? principal.keyId : null,
      strategy: strategy.name,
      exchange: fields.exchange,
      symbol: fields.symbol,
      side: fields.side,
      intent: fields.intent,
      orderType: fields.orderType,
      qty: fields.qty === null ? null : formatAmount(fields.qty),
      price: fields.price === null ? null : formatAmount(fields.price),
      memo: fields.memo,
      dryRun: venue.dryRun,
      request: input.request,
      bodyDigest: input.bodyDigest,
    });
    this.#publish(orderId);

    const execution = this.#queue.run(venue.queueKey(market), () => this.#execute(orderId, fields, venue, market));
    this.#running.add(execution);
    void execution.finally(() => this.#running.delete(execution));

    const waitMs = settings().orderWaitMs;
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      execution.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    clearTimeout(timer);
    const order = journal.get(orderId) as OrderView;
    return { order, duplicate: false, settled: settled || FINAL_STATUSES.includes(order.status) || order.status === 'open' };
  }

  /** Resolves when every order under way has been answered or has failed (for a clean stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }

  /** Never throws: every failure ends as the order's status and error in the journal. */
  async #execute(orderId: number, fields: OrderFields, venue: Venue, market: MarketRef): Promise<void> {
    const { journal } = this.deps;
    try {
      const position = await venue.position(market);
      const plan = planOrder({ intent: fields.intent, qty: fields.qty, position: position.qty, marketType: market.type });
      if ('skipped' in plan) {
        journal.plan(orderId, plan.description, [], 'skipped');
        return;
      }
      const legs: (LegToSend & { leg: number })[] = plan.legs.map((planned, index) => ({
        ...venue.normalize(market, { side: planned.side, type: fields.orderType, amount: planned.amount, price: fields.orderType === 'limit' ? fields.price : null, reduceOnly: planned.reduceOnly }),
        clientOrderId: clientOrderIdOf(this.deps.installId, orderId, index + 1),
        leg: index + 1,
      }));
      journal.plan(
        orderId,
        plan.description,
        legs.map((leg) => ({ ...leg, amount: formatAmount(leg.amount), price: leg.price === null ? null : formatAmount(leg.price) })),
        'submitted',
      );
      this.#publish(orderId);
      const outcomes: LegOutcome[] = [];
      for (const leg of legs) {
        journal.updateLeg(orderId, leg.leg, { status: 'submitted', sentAt: new Date().toISOString() });
        try {
          const outcome = await venue.submit(market, leg);
          outcomes.push(outcome);
          journal.updateLeg(orderId, leg.leg, {
            exchangeOrderId: outcome.exchangeOrderId,
            status: outcome.status,
            filled: formatAmount(outcome.filled),
            averagePrice: outcome.averagePrice === null ? null : formatAmount(outcome.averagePrice),
            answeredAt: new Date().toISOString(),
          });
        } catch (error) {
          const failure = asApiError(error);
          journal.updateLeg(orderId, leg.leg, { status: statusOfFailure(failure), error: failure.message, answeredAt: new Date().toISOString() });
          throw failure;
        }
      }
      journal.setStatus(orderId, overallStatus(outcomes));
    } catch (error) {
      const failure = asApiError(error);
      journal.setStatus(orderId, statusOfFailure(failure), { code: failure.code, message: failure.message });
    } finally {
      this.#publish(orderId);
    }
  }

  #publish(orderId: number): void {
    const order = this.deps.journal.get(orderId);
    if (order) this.deps.events.emit({ type: 'order', order });
  }
}

/** The exchange's refusal (422) is "rejected"; anything else that stopped the order is "error". */
function statusOfFailure(failure: ApiError): OrderStatus {
  return failure.status === 422 || failure.status === 400 ? 'rejected' : 'error';
}

function overallStatus(outcomes: LegOutcome[]): OrderStatus {
  const statuses = outcomes.map((outcome) => outcome.status);
  if (statuses.every((status) => status === 'filled')) return 'filled';
  if (statuses.some((status) => status === 'submitted')) return 'submitted';
  if (statuses.some((status) => status === 'partially_filled')) return 'partially_filled';
  if (statuses.some((status) => status === 'open')) return 'open';
  return statuses[statuses.length - 1] ?? 'error';
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // An unexpected failure is reported without its internals: they may quote a request or a URL with keys.
  return new ApiError(500, 'internal_error', 'the order failed inside apisify; see the app log for details');
}
