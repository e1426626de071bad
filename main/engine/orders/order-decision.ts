import type { AccountRef } from '../../../shared/account-names.js';
import { formatAmount } from '../../../shared/decimal.js';
import { asksProtection, type QtyUnit } from '../../../shared/order-shaping-fields.js';
import type { OrderFields } from '../../../shared/order-request.js';
import type { OrderError } from '../../../shared/order-view.js';
import type { Principal } from '../auth/authenticate.js';
import type { LegToSend, MarketRef, Position, ProtectionStyle, Venue } from '../exchanges/venue.js';
import { accountOf, type Venues } from '../exchanges/venues.js';
import { ApiError } from '../http/api-error.js';
import type { Settings } from '../store/settings.js';
import type { Strategies, Strategy } from '../store/strategies.js';
import { authorizeOrder } from './authorize.js';
import { type PlannedLeg, planOrder, refuseSarOnSpot } from './planner.js';
import { refuseShapingBeforeJournal } from './shaping/before-journal.js';
import { type ProtectionPrices, type ProtectionRequest, hasProtection, protectionPrices } from './shaping/protection.js';
import { staleSignal } from './shaping/signal-age.js';
import { balanceCurrencyOf, notionalOf, type Sizing, sizeOrder } from './shaping/sizing.js';
import type { QueueWait } from './symbol-queue.js';

/**
 * The order pipeline's decisions (docs/architecture.md, "One order's way"), written once: OrderService runs them
 * around its journal write and sends what they decide; the manual form's preview runs the same steps
 * and sends nothing, so what the preview shows is what the order would do.
 */

export function refuseWhilePaused(settings: Pick<Settings, 'paused'>): void {
  if (settings.paused) throw new ApiError(503, 'trading_paused', 'trading is paused in apisify; resume it to accept orders', null, { 'Retry-After': '30' });
}

export interface SettledOrder {
  strategy: Strategy;
  /** The exchange account it goes to: the request's pick among the strategy's, else its default. */
  account: AccountRef;
  venue: Venue;
  market: MarketRef;
}

/**
 * Everything that may refuse a request before it is journaled: authorize, pick the account (one the
 * strategy allows), refuse what the strategy's
 * market cannot do (SAR on spot, leverage or protection on spot), the caps that need no account
 * (leverage, a base-unit size, its value), a wrong-side stop at the price known now, pick the venue,
 * settle the symbol to one market, and for Buy and Sell sized in the market's amount check its minimum.
 */
export async function settleOrder(fields: OrderFields, principal: Principal, deps: { strategies: Strategies; venues: Venues }, now = Date.now()): Promise<SettledOrder> {
  const strategy = principal.kind === 'flatten' ? principal.strategy : authorizeOrder(fields, deps.strategies.find(fields.strategy), principal);
  const account = accountOf(strategy, fields);
  refuseSarOnSpot(fields.intent, strategy.marketType);
  const venue = await deps.venues.forOrder(strategy, fields, account);
  const market = await venue.resolveMarket(fields.symbol);
  await refuseShapingBeforeJournal({ fields, strategy, venue, market, now, estimatePrice: () => valuePriceOf(fields, venue, market, true) });
  if (fields.qty !== null && (fields.intent === 'buy' || fields.intent === 'sell') && unitOf(fields, strategy) === 'base' && fields.targetPosition === null) {
    const leg = { side: fields.intent, type: fields.orderType, amount: fields.qty, price: fields.orderType === 'limit' ? fields.price : null, reduceOnly: fields.reduceOnly === true };
    venue.normalize(market, leg, await valuePriceOf(fields, venue, market));
  }
  return { strategy, account, venue, market };
}

/** How `qty` (or a target) counts: the request's unit, else the strategy's. */
export function unitOf(fields: Pick<OrderFields, 'qtyUnit'>, strategy: Pick<Strategy, 'qtyUnit'>): QtyUnit {
  return fields.qtyUnit ?? strategy.qtyUnit;
}

/** The protection an order asks for: its own prices or percents, else the strategy's default percents. */
export function protectionRequestOf(fields: OrderFields, strategy: Strategy): ProtectionRequest {
  return {
    stopLoss: fields.stopLoss,
    takeProfit: fields.takeProfit,
    stopLossPercent: fields.stopLoss === null ? (fields.stopLossPercent ?? strategy.stopLossPercent) : null,
    takeProfitPercent: fields.takeProfit === null ? (fields.takeProfitPercent ?? strategy.takeProfitPercent) : null,
  };
}

/** The protection the journal and the answer keep for an order: the prices and how the exchange holds them. */
export interface DecidedProtection extends ProtectionPrices {
  style: Exclude<ProtectionStyle, 'none'>;
  referencePrice: number;
}

export interface OrderDecision {
  /** The plan in words, e.g. "SAR: buy 3 to go from -1 to +2". */
  description: string;
  /** Nothing to send (Close when flat, SAR already at its target, a signal too old): journaled as skipped. */
  skipped: boolean;
  /** Why it was skipped where that is worth an error code (a stale signal); null otherwise. */
  skipReason: OrderError | null;
  /** Each order to send, in order, rounded to the market's precision: exactly what goes out but its client order id. */
  legs: Omit<LegToSend, 'clientOrderId'>[];
  /** The position the plan started from; null where the order did not need it (a plain Buy or Sell). */
  position: Position | null;
  sizing: Sizing | null;
  protection: DecidedProtection | null;
  /** Set on the account before the first leg is sent (the order opens or grows a position); null: leave it. */
  leverage: number | null;
  marginMode: 'cross' | 'isolated' | null;
}

/**
 * The price an order's minimum value is checked at: a Limit's own; for a Market order the market's
 * last price, where the market has a minimum value to check (or `always`). A Market order fills at
 * the market, and the price it carries is what its sender saw (TradingView's {{close}}, maybe minutes
 * old): it stands in only where no last price can be had.
 */
async function valuePriceOf(fields: OrderFields, venue: Venue, market: MarketRef, always = false): Promise<number | null> {
  if (fields.orderType === 'limit') return fields.price;
  if (!always && venue.minimumValue(market) === null) return null;
  return (await venue.lastPrice(market)) ?? fields.price;
}

/** Where the planner reads a position: the account's live state, falling back to the exchange (accounts/live-accounts.ts). */
export type PositionReader = (venue: Venue, market: MarketRef) => Promise<Position>;

/** Signed size of a leg's effect on the position. */
function signedOf(leg: PlannedLeg): number {
  return leg.side === 'buy' ? leg.amount : -leg.amount;
}

/** Whether a leg opens or grows the position (a reduce-only one never does; crossing zero opens the other side). */
function opensOrGrows(leg: PlannedLeg, held: number): boolean {
  if (leg.reduceOnly) return false;
  const after = held + signedOf(leg);
  return Math.abs(after) > Math.abs(held) || Math.sign(after) === -Math.sign(held);
}

/**
 * What an order's plan reads and sets, from its fields and strategy alone (no request). `guarded`: its
 * market has conditional protection in force or on its way (OrderService), which a plain Buy or Sell
 * may end or reverse: it then reads the position too, so the keeper knows what its fill did.
 */
function orderNeeds(fields: OrderFields, strategy: Strategy, venue: Venue, market: MarketRef, guarded = false) {
  const unit = unitOf(fields, strategy);
  const style = venue.protectionStyle(market);
  const protectionRequest = protectionRequestOf(fields, strategy);
  const wantsProtection = style !== 'none' && hasProtection(protectionRequest);
  const leverage = market.type === 'spot' ? null : (fields.leverage ?? strategy.leverage);
  const marginMode = market.type === 'spot' ? null : strategy.marginMode;
  const isBuyOrSell = fields.intent === 'buy' || fields.intent === 'sell';
  // A plain Buy or Sell needs no position; one that sets leverage or protection, or that a maxNotional
  // caps (only what opens or grows a position), must know whether it opens or grows one.
  const needsPosition = !isBuyOrSell || fields.targetPosition !== null || fields.reduceOnly === true || leverage !== null || marginMode !== null || wantsProtection || strategy.maxNotional !== null || guarded;
  const readsBalance = unit === 'equity_percent' || unit === 'available_percent' || unit === 'risk_percent';
  return { unit, style, protectionRequest, wantsProtection, leverage, marginMode, isBuyOrSell, needsPosition, readsBalance };
}

/**
 * How an order queues on its symbol (SymbolQueue), from one look at its needs. It waits for the earlier
 * orders' answers when its plan reads what they change (the position, the account's balance), else
 * only for their leaving. `isGuarded` (asked only of an order that would not read the position): its
 * market has conditional protection in force or on its way, so it reads the position after all.
 * `placesProtection`: it places conditional protection once it fills (Binance USDⓈ-M, dry runs).
 */
export function queueingOf(fields: OrderFields, strategy: Strategy, venue: Venue, market: MarketRef, isGuarded: () => boolean): { wait: QueueWait; guarded: boolean; placesProtection: boolean } {
  const needs = orderNeeds(fields, strategy, venue, market);
  const guarded = !needs.needsPosition && isGuarded();
  const wait = needs.needsPosition || guarded || needs.readsBalance ? 'answered' : 'left';
  return { wait, guarded, placesProtection: needs.wantsProtection && needs.style === 'conditional' };
}

/**
 * Reads what the order needs (the position, the price, the balance: from the account's live state
 * where it has them), sizes it, plans it, decides its leverage, margin mode and protection, and rounds
 * each leg (a 422 below the minimum). Reads only: setting leverage and placing protection are the
 * sender's, so the preview can run this too.
 */
export async function decideOrder(fields: OrderFields, strategy: Strategy, venue: Venue, market: MarketRef, readPosition: PositionReader, { guarded = false, now = Date.now() }: { guarded?: boolean; now?: number } = {}): Promise<OrderDecision> {
  const nothing = { legs: [], position: null, sizing: null, protection: null, leverage: null, marginMode: null };
  const stale = staleSignal(fields.signalTime, fields.maxLag ?? strategy.maxLag, now);
  if (stale) return { ...nothing, description: `Not sent: the signal is ${stale.message}`, skipped: true, skipReason: stale };

  const { unit, style, protectionRequest, wantsProtection, leverage, marginMode, isBuyOrSell, needsPosition, readsBalance } = orderNeeds(fields, strategy, venue, market, guarded);
  const position = needsPosition ? await readPosition(venue, market) : null;
  if (position?.mode === 'hedge' && (!isBuyOrSell || fields.targetPosition !== null || fields.reduceOnly === true)) {
    throw new ApiError(422, 'hedge_mode_not_supported', `side: ${fields.side} needs a one-way position mode; this ${fields.exchange} account is in hedge mode, so apisify will not guess which side to close`, 'side');
  }
  const held = position?.qty ?? 0;
  const facts = venue.facts(market);

  const needsPrice = (unit !== 'base' && unit !== 'position_percent') || wantsProtection || strategy.maxNotional !== null;
  const marketPrice = fields.orderType === 'market' && needsPrice ? await venue.currentPrice(market) : null;
  const referencePrice = fields.orderType === 'limit' ? fields.price : (marketPrice ?? fields.price);
  const sizingSide = fields.targetPosition !== null ? null : fields.intent === 'buy' || fields.intent === 'sell' ? fields.intent : null;
  const account = readsBalance ? await venue.balance(balanceCurrencyOf(facts, sizingSide)) : null;

  // The direction the order means to hold, for a risk stop before the plan is known.
  const meant = fields.targetPosition !== null ? Math.sign(fields.targetPosition) : fields.intent === 'buy' || fields.intent === 'sarbuy' ? 1 : fields.intent === 'sell' || fields.intent === 'sarsell' ? -1 : 0;
  const riskStop =
    unit === 'risk_percent' && referencePrice !== null && meant !== 0
      ? protectionPrices({ direction: meant > 0 ? 'long' : 'short', reference: referencePrice, request: { ...protectionRequest, takeProfit: null, takeProfitPercent: null }, tick: facts.priceTick }).stopLoss
      : null;
  // the field a size refusal names: the one the trader sent the size in
  const sizeField = fields.targetPosition !== null ? 'target_position' : 'qty';
  let sizing: Sizing | null = null;
  const sized = (qty: number): number => {
    if (unit === 'base') return qty;
    sizing = sizeOrder({ unit, qty, market: facts, side: sizingSide, referencePrice, account: account && { equity: account.total, free: account.free }, position: held, stopLoss: riskStop, field: sizeField });
    return sizing.amount;
  };

  let qty: number | null = null;
  let target: number | null = null;
  if (fields.targetPosition !== null) target = fields.targetPosition === 0 ? 0 : Math.sign(fields.targetPosition) * sized(Math.abs(fields.targetPosition));
  // a Close with nothing held is skipped by the plan, not sized from nothing (which is below any minimum)
  else if (fields.intent === 'close') qty = unit === 'position_percent' && fields.qty !== null && held !== 0 ? sized(fields.qty) : null;
  else qty = sized(fields.qty as number);

  const plan = planOrder({ intent: fields.intent, qty, position: held, marketType: market.type, target, reduceOnly: fields.reduceOnly === true, step: facts.amountStep });
  if ('skipped' in plan) return { ...nothing, description: plan.description, skipped: true, skipReason: null, position, sizing };

  const opening = plan.legs.find((leg) => opensOrGrows(leg, held)) ?? null;
  if (!opening && asksProtection(fields)) {
    throw new ApiError(400, 'protection_not_allowed', `${firstProtectionField(fields)}: this order only shrinks the position (${plan.description}); protection goes on the order that opens or grows it`, firstProtectionField(fields));
  }
  // the size the strategy's maxQty caps: the order's (Buy, Sell), the position it goes to (SAR, a target); never a Close's
  refuseAboveCaps(strategy, fields.intent === 'close' && target === null ? null : target !== null ? Math.abs(target) : qty, plan.legs, held, referencePrice, facts, sizeField);

  let protection: DecidedProtection | null = null;
  if (opening && wantsProtection && style !== 'none') {
    if (referencePrice === null) throw new ApiError(400, 'price_required', `price: a stop-loss or take-profit is set from a price, and none could be had for ${market.symbol}; send a price`, 'price');
    const after = held + signedOf(opening);
    protection = { ...protectionPrices({ direction: after > 0 ? 'long' : 'short', reference: referencePrice, request: protectionRequest, tick: facts.priceTick }), style, referencePrice };
  }

  // a price read now for sizing serves the minimum too; else the last price, which the venue keeps without a round trip
  const valuePrice = plan.legs.some((planned) => !planned.reduceOnly) ? (fields.orderType === 'limit' ? fields.price : (marketPrice ?? (await valuePriceOf(fields, venue, market)))) : null;
  const legs = plan.legs.map((planned) => {
    const leg = normalizeFor(fields, held, () => venue.normalize(market, { side: planned.side, type: fields.orderType, amount: planned.amount, price: fields.orderType === 'limit' ? fields.price : null, reduceOnly: planned.reduceOnly }, valuePrice));
    return planned === opening && protection?.style === 'attached' ? { ...leg, attached: { stopLoss: protection.stopLoss, takeProfit: protection.takeProfit } } : leg;
  });
  return { description: plan.description, skipped: false, skipReason: null, legs, position, sizing, protection, leverage: opening ? leverage : null, marginMode: opening ? marginMode : null };
}

/**
 * A leg rounded by the venue, whose refusals name `qty`; for a target they name target_position, the
 * field the trader sent, and say which order of the target it was (the leg is target minus held).
 */
function normalizeFor<T>(fields: OrderFields, held: number, normalize: () => T): T {
  try {
    return normalize();
  } catch (error) {
    if (fields.targetPosition === null || !(error instanceof ApiError) || error.field !== 'qty') throw error;
    const reason = error.message.replace(/^qty: /, '');
    throw new ApiError(error.status, error.code, `target_position: the order from ${formatAmount(held)} to ${formatAmount(fields.targetPosition)}: ${reason}`, 'target_position', error.headers);
  }
}

function firstProtectionField(fields: OrderFields): string {
  return fields.stopLoss !== null ? 'stop_loss' : fields.stopLossPercent !== null ? 'stop_loss_percent' : fields.takeProfit !== null ? 'take_profit' : 'take_profit_percent';
}

/**
 * A strategy's caps on what sizing made of the request: its maxQty on the amount (for SAR and a target,
 * the position it goes to; a Close is never capped) and its maxNotional on the value of each leg that
 * opens or grows the position (one that only shrinks it is never capped, reduce-only or not).
 * Refused, never clamped: a smaller order than the trader meant is another order.
 */
function refuseAboveCaps(strategy: Strategy, size: number | null, legs: readonly PlannedLeg[], held: number, price: number | null, facts: ReturnType<Venue['facts']>, field: 'qty' | 'target_position'): void {
  if (strategy.maxQty !== null && size !== null && size > strategy.maxQty) {
    throw new ApiError(403, 'qty_above_limit', `${field}: strategy ${strategy.name} allows at most ${formatAmount(strategy.maxQty)} per order, and this one comes to ${formatAmount(size)}`, field);
  }
  if (strategy.maxNotional !== null) {
    for (const leg of legs) {
      // only what opens or grows a position: a spot Close (never reduce-only) or a Sell that shrinks a long must still get out
      if (!opensOrGrows(leg, held)) continue;
      const notional = notionalOf(leg.amount, price, facts);
      // a cap the order cannot be valued against is not passed: fail closed
      if (notional === null) throw new ApiError(400, 'price_required', `price: strategy ${strategy.name} allows orders worth at most ${formatAmount(strategy.maxNotional)} ${facts.contract === 'inverse' ? 'USD' : facts.quote}, and no price could be had to value this one on ${facts.symbol}; send a price`, 'price');
      if (notional > strategy.maxNotional) {
        throw new ApiError(403, 'notional_above_limit', `${field}: strategy ${strategy.name} allows orders worth at most ${formatAmount(strategy.maxNotional)} ${facts.contract === 'inverse' ? 'USD' : facts.quote}, and this one is worth ${formatAmount(notional)}`, field);
      }
    }
  }
}
