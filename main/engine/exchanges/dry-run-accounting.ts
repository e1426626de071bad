import { Decimal } from 'decimal.js';
import type { ContractTerms, SimulatedOrderKind } from '../store/dry-run-orders.js';

export type { ContractTerms } from '../store/dry-run-orders.js';

/**
 * The simulated account's arithmetic, pure (unit-tested as tables): what a fill does to a position
 * and to the account's money, and what the account's equity and free balance are. Decimal
 * arithmetic, so fees and PnL add up to the cent.
 *
 * - Linear contracts and spot count value in the quote currency: amount x price x contract size.
 *   Inverse contracts are sized in USD contracts and settle in the base coin: amount x contract size / price.
 * - Contracts pay their fee and realise their PnL in the settle currency. Spot pays its fee in the
 *   coin it receives (a buy's base, a sell's quote), as Bybit and Binance charge it by default.
 * - Margin is the position's value at its entry price over its leverage (the simulator's margin is
 *   cross, like the fake exchanges'); liquidation and funding are not modelled.
 */

export interface HeldPosition {
  /** Signed: contracts or coins, positive long; on spot, the coins held. */
  qty: number;
  entryPrice: number | null;
}

export interface SimulatedFill {
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  /** A resting order that the price came to made liquidity; one that traded when placed (or triggered) took it. */
  liquidity: 'maker' | 'taker';
}

/** How a fill moves one currency of the account. */
export interface Movement {
  currency: string;
  amount: number;
}

export interface FillEffect {
  position: HeldPosition;
  /** What the part that reduced the position realised, before fees: the settle currency (spot: the quote, against the average cost). */
  realizedPnl: number;
  fee: number;
  feeCurrency: string;
  /** What the fill moves in each currency: a contract's settle coin by its PnL less its fee, spot's two coins by the trade. */
  moved: Movement[];
}

const ZERO = new Decimal(0);

function decimal(value: number): Decimal {
  return new Decimal(value);
}

/** The value of `amount` at `price`: in the quote (linear, spot), or in the settle coin (inverse). */
export function valueOf(amount: number, price: number, terms: Pick<ContractTerms, 'contract' | 'contractSize'>): number {
  return Number(valueDecimal(decimal(amount), decimal(price), terms));
}

function valueDecimal(amount: Decimal, price: Decimal, terms: Pick<ContractTerms, 'contract' | 'contractSize'>): Decimal {
  const size = decimal(terms.contractSize);
  return terms.contract === 'inverse' ? amount.mul(size).div(price) : amount.mul(price).mul(size);
}

export function feeRateOf(terms: Pick<ContractTerms, 'maker' | 'taker'>, liquidity: SimulatedFill['liquidity']): number {
  return liquidity === 'maker' ? terms.maker : terms.taker;
}

/** The PnL of `qty` (signed) held from `entry` and valued at `price`, in the settle currency. */
function pnlDecimal(qty: Decimal, entry: Decimal, price: Decimal, terms: Pick<ContractTerms, 'contract' | 'contractSize'>): Decimal {
  const size = decimal(terms.contractSize);
  if (terms.contract === 'inverse') return qty.mul(size).mul(new Decimal(1).div(entry).sub(new Decimal(1).div(price)));
  return qty.mul(price.sub(entry)).mul(size);
}

/** Unrealised PnL of a position at `mark`; 0 when either price is unknown. */
export function unrealizedPnlOf(position: HeldPosition, mark: number | null, terms: Pick<ContractTerms, 'contract' | 'contractSize'>): number {
  if (position.qty === 0 || position.entryPrice === null || mark === null || terms.contract === null) return 0;
  return Number(pnlDecimal(decimal(position.qty), decimal(position.entryPrice), decimal(mark), terms));
}

/** What a fill does: the position it leaves, the PnL it realises, its fee, and the money it moves. */
export function applyFill(position: HeldPosition, fill: SimulatedFill, terms: ContractTerms): FillEffect {
  return terms.contract === null ? applySpotFill(position, fill, terms) : applyContractFill(position, fill, terms);
}

function applyContractFill(position: HeldPosition, fill: SimulatedFill, terms: ContractTerms): FillEffect {
  const amount = decimal(fill.amount);
  const price = decimal(fill.price);
  const held = decimal(position.qty);
  const signed = fill.side === 'buy' ? amount : amount.neg();
  const next = held.add(signed);
  const fee = valueDecimal(amount, price, terms).mul(feeRateOf(terms, fill.liquidity));

  let realized = ZERO;
  let entry: Decimal | null = position.entryPrice === null ? null : decimal(position.entryPrice);
  const reduces = !held.isZero() && held.isPositive() !== signed.isPositive();
  if (reduces) {
    const closed = Decimal.min(amount, held.abs());
    if (entry !== null) realized = pnlDecimal(held.isPositive() ? closed : closed.neg(), entry, price, terms);
    if (next.isZero()) entry = null;
    // crossing zero: what is left opened at this price
    else if (next.isPositive() !== held.isPositive()) entry = price;
  } else if (entry === null || held.isZero()) {
    entry = price;
  } else {
    // averaging in: by amount on linear; on inverse by value in the coin (the entry is the harmonic mean)
    entry = terms.contract === 'inverse' ? next.abs().div(held.abs().div(entry).add(amount.div(price))) : entry.mul(held.abs()).add(price.mul(amount)).div(next.abs());
  }
  const moved = realized.sub(fee);
  return {
    position: { qty: Number(next), entryPrice: entry === null ? null : Number(entry) },
    realizedPnl: Number(realized),
    fee: Number(fee),
    feeCurrency: terms.settle,
    moved: moved.isZero() ? [] : [{ currency: terms.settle, amount: Number(moved) }],
  };
}

function applySpotFill(position: HeldPosition, fill: SimulatedFill, terms: ContractTerms): FillEffect {
  const amount = decimal(fill.amount);
  const price = decimal(fill.price);
  const held = Decimal.max(decimal(position.qty), ZERO);
  const rate = feeRateOf(terms, fill.liquidity);
  const cost = amount.mul(price);
  if (fill.side === 'buy') {
    const fee = amount.mul(rate);
    const received = amount.sub(fee);
    const next = held.add(received);
    // the average cost of a coin held, its fee included
    const paid = position.entryPrice === null ? ZERO : decimal(position.entryPrice).mul(held);
    const entry = next.isZero() ? null : paid.add(cost).div(next);
    return {
      position: { qty: Number(next), entryPrice: entry === null ? null : Number(entry) },
      realizedPnl: 0,
      fee: Number(fee),
      feeCurrency: terms.base,
      moved: [
        { currency: terms.quote, amount: Number(cost.neg()) },
        { currency: terms.base, amount: Number(received) },
      ],
    };
  }
  const fee = cost.mul(rate);
  const next = Decimal.max(held.sub(amount), ZERO);
  const realized = position.entryPrice === null ? ZERO : price.sub(position.entryPrice).mul(Decimal.min(amount, held));
  return {
    position: { qty: Number(next), entryPrice: next.isZero() ? null : position.entryPrice },
    realizedPnl: Number(realized),
    fee: Number(fee),
    feeCurrency: terms.quote,
    moved: [
      { currency: terms.base, amount: Number(amount.neg()) },
      { currency: terms.quote, amount: Number(cost.sub(fee)) },
    ],
  };
}

/** A position as the account's figures count it. */
export interface MarginedPosition extends HeldPosition {
  terms: ContractTerms;
  leverage: number;
  /** The last price known for its market; null: its entry (no unrealised PnL). */
  mark: number | null;
}

/** A resting order as the account's figures count it (protective and reduce-only orders hold nothing). */
export interface RestingOrder {
  side: 'buy' | 'sell';
  kind: SimulatedOrderKind;
  amount: number;
  price: number | null;
  reduceOnly: boolean;
  terms: ContractTerms;
  leverage: number;
}

/** The initial margin a position holds: its value at entry over its leverage, in the settle currency. */
export function positionMarginOf(position: MarginedPosition): number {
  if (position.terms.contract === null || position.qty === 0 || position.entryPrice === null) return 0;
  return Number(valueDecimal(decimal(Math.abs(position.qty)), decimal(position.entryPrice), position.terms).div(position.leverage));
}

/** What a resting order holds of `currency`: a contract Limit its margin, a spot Limit what it would pay. */
export function heldByOrder(order: RestingOrder, currency: string): number {
  if (order.kind !== 'limit' || order.price === null || order.reduceOnly) return 0;
  const { terms } = order;
  if (terms.contract !== null) return terms.settle === currency ? Number(valueDecimal(decimal(order.amount), decimal(order.price), terms).div(order.leverage)) : 0;
  if (order.side === 'buy') return terms.quote === currency ? Number(decimal(order.amount).mul(order.price)) : 0;
  return terms.base === currency ? order.amount : 0;
}

/** One currency of a simulated account, as ccxt's unified balance reports it (total, free) and what they are made of. */
export interface AccountFigures {
  currency: string;
  /** What fills left in it: the starting balance, realised PnL, fees paid, spot trades. */
  wallet: number;
  unrealizedPnl: number;
  positionMargin: number;
  orderMargin: number;
  /** Equity: the wallet plus the unrealised PnL of the positions settled in it. */
  total: number;
  /** Total less the margin positions use and what resting orders hold; never below 0. */
  free: number;
}

export function accountFigures(currency: string, wallet: number, positions: readonly MarginedPosition[], orders: readonly RestingOrder[]): AccountFigures {
  let unrealized = ZERO;
  let margin = ZERO;
  for (const position of positions) {
    if (position.terms.contract === null || position.terms.settle !== currency) continue;
    unrealized = unrealized.add(unrealizedPnlOf(position, position.mark ?? position.entryPrice, position.terms));
    margin = margin.add(positionMarginOf(position));
  }
  const held = orders.reduce((sum, order) => sum.add(heldByOrder(order, currency)), ZERO);
  const total = decimal(wallet).add(unrealized);
  const free = Decimal.max(total.sub(margin).sub(held), ZERO);
  return { currency, wallet, unrealizedPnl: Number(unrealized), positionMargin: Number(margin), orderMargin: Number(held), total: Number(total), free: Number(free) };
}

/**
 * What an order needs free before the simulator takes it, in the currency it is checked against:
 * on contracts the margin of the part that opens or grows the position (at its leverage) and the
 * taker fee; on spot the quote a buy pays, or the coins a sell gives.
 */
export function requiredFor(held: number, order: { side: 'buy' | 'sell'; amount: number; price: number; reduceOnly: boolean }, terms: ContractTerms, leverage: number): Movement {
  const amount = decimal(order.amount);
  if (terms.contract === null) {
    return order.side === 'buy' ? { currency: terms.quote, amount: Number(amount.mul(order.price)) } : { currency: terms.base, amount: order.amount };
  }
  if (order.reduceOnly) return { currency: terms.settle, amount: 0 };
  const signed = order.side === 'buy' ? amount : amount.neg();
  const heldDecimal = decimal(held);
  const opening = heldDecimal.isZero() || heldDecimal.isPositive() === signed.isPositive() ? amount : Decimal.max(amount.sub(heldDecimal.abs()), ZERO);
  const price = decimal(order.price);
  const margin = valueDecimal(opening, price, terms).div(leverage);
  const fee = valueDecimal(amount, price, terms).mul(terms.taker);
  return { currency: terms.settle, amount: Number(margin.add(fee)) };
}
