import { Decimal } from 'decimal.js';
import { formatAmount } from '../../../../shared/decimal.js';
import type { QtyUnit } from '../../../../shared/order-shaping-fields.js';
import type { MarketFacts } from '../../exchanges/venue.js';
import { ApiError } from '../../http/api-error.js';

/**
 * Sizing an order from its qty and qty_unit (README "Shaping an order"): pure, so every unit and
 * market kind is a row in a table test. Amounts come out in the market's own amount (coins on spot
 * and linear, contracts on inverse), truncated to its step, in decimal arithmetic.
 *
 * - `base`: qty is the amount.
 * - `quote`: qty is a notional in the quote currency (USDT of BTCUSDT, USD of BTCUSD).
 * - `equity_percent` / `available_percent`: that percent of the account's equity / free balance in the
 *   settle currency, as a notional (on inverse the settle coin is the base: times the price, in USD).
 *   A spot Sell sells that percent of the base coin held (total / free): the quote it holds is what a
 *   Buy spends, not what a Sell can give.
 * - `risk_percent`: sized so that the stop loses that percent of equity.
 * - `position_percent`: that percent of the open position (Close only).
 * Amount = notional / (price x contract size) on linear and spot, notional / contract size on inverse.
 */

export type SizingMarket = Omit<MarketFacts, 'priceTick'>;

export interface SizingInput {
  unit: QtyUnit;
  qty: number;
  market: SizingMarket;
  /** The Limit's price, else the last price read in the symbol's queue; needed by every unit but base and position_percent. */
  referencePrice: number | null;
  /** The account's figures in balanceCurrencyOf(market, side), for the percent-of-account units. */
  account?: { equity: number; free: number } | null;
  /** A plain Buy's or Sell's side; null or absent for a target, a Close and SAR, which size in the settle currency. */
  side?: 'buy' | 'sell' | null;
  /** Signed, for position_percent. */
  position?: number | null;
  /** The stop-loss price, for risk_percent. */
  stopLoss?: number | null;
  /** The request's field `qty` came in, which a refusal names: `target_position` for a target. Default `qty`. */
  field?: 'qty' | 'target_position';
}

/** What the journal and the answer's order carry as `sizing`. */
export interface Sizing {
  unit: QtyUnit;
  /** The request's qty (or target), in its unit. */
  input: number;
  /** What a percent was of: equity, free balance or the position; null for base and quote. */
  basis: { kind: 'equity' | 'free' | 'position'; value: number; currency: string } | null;
  referencePrice: number | null;
  /** The resulting amount, truncated to the market's step. */
  amount: number;
  /** Its value in the quote currency (USD on inverse); null when there is no price. */
  notional: number | null;
}

function needPrice(input: SizingInput): Decimal {
  if (input.referencePrice === null || !(input.referencePrice > 0)) {
    throw new ApiError(400, 'price_required', `qty_unit: ${input.unit} sizes the order at a price, and none could be had for ${input.market.symbol}; send a price`, 'price');
  }
  return new Decimal(input.referencePrice);
}

function needAccount(input: SizingInput): { equity: Decimal; free: Decimal } {
  if (!input.account) throw new ApiError(502, 'balance_unavailable', `qty_unit: ${input.unit} needs the account's balance in ${balanceCurrencyOf(input.market, input.side)}, which could not be read`, 'qty_unit');
  return { equity: new Decimal(input.account.equity), free: new Decimal(input.account.free) };
}

/** Whether a percent of the account counts the base coin held: a spot Sell's, which can sell only that. */
function sellsHeldCoin(market: Pick<SizingMarket, 'contract'>, side: SizingInput['side']): boolean {
  return market.contract === null && side === 'sell';
}

/** The currency whose balance a percent of the account is of (SizingInput.account). */
export function balanceCurrencyOf(market: Pick<SizingMarket, 'contract' | 'base' | 'settle'>, side: SizingInput['side']): string {
  return sellsHeldCoin(market, side) ? market.base : market.settle;
}

/** The amount a notional in the quote currency buys on this market at `price`. */
function amountOfNotional(notional: Decimal, price: Decimal, market: SizingMarket): Decimal {
  const size = new Decimal(market.contractSize);
  return market.contract === 'inverse' ? notional.div(size) : notional.div(price.mul(size));
}

/** A notional in the settle currency, in the quote currency (inverse: the settle coin is the base). */
function settleToQuote(value: Decimal, price: Decimal, market: SizingMarket): Decimal {
  return market.contract === 'inverse' ? value.mul(price) : value;
}

export function notionalOf(amount: number, price: number | null, market: SizingMarket): number | null {
  if (market.contract === 'inverse') return Number(new Decimal(amount).mul(market.contractSize));
  if (price === null) return null;
  return Number(new Decimal(amount).mul(price).mul(market.contractSize));
}

function truncate(amount: Decimal, step: number | null): Decimal {
  if (step === null) return amount.toDecimalPlaces(12, Decimal.ROUND_DOWN);
  return amount.toNearest(step, Decimal.ROUND_DOWN);
}

/** "10 % of equity 50 USDT at 60000": the inputs, as a below-minimum message names them. */
function describeInputs(input: SizingInput, basis: Sizing['basis']): string {
  const at = input.referencePrice === null ? '' : ` at ${formatAmount(input.referencePrice)}`;
  if (input.unit === 'quote') return `${formatAmount(input.qty)} ${input.market.quote}${at}`;
  if (!basis) return `${formatAmount(input.qty)}`;
  const of = basis.kind === 'position' ? `the position of ${formatAmount(basis.value)}` : `${basis.kind === 'free' ? 'free balance' : 'equity'} ${formatAmount(basis.value)} ${basis.currency}`;
  const risk = input.unit === 'risk_percent' && input.stopLoss ? `, stop ${formatAmount(input.stopLoss)}` : '';
  return `${formatAmount(input.qty)} % of ${of}${at}${risk}`;
}

export function sizeOrder(input: SizingInput): Sizing {
  const { market, unit } = input;
  const qty = new Decimal(input.qty);
  let raw: Decimal;
  let basis: Sizing['basis'] = null;
  switch (unit) {
    case 'base':
      raw = qty;
      break;
    case 'quote':
      raw = amountOfNotional(qty, needPrice(input), market);
      break;
    case 'equity_percent':
    case 'available_percent': {
      const account = needAccount(input);
      const of = unit === 'equity_percent' ? account.equity : account.free;
      const held = sellsHeldCoin(market, input.side);
      basis = { kind: unit === 'equity_percent' ? 'equity' : 'free', value: Number(of), currency: balanceCurrencyOf(market, input.side) };
      if (held) raw = of.mul(qty).div(100);
      else {
        const price = needPrice(input);
        raw = amountOfNotional(settleToQuote(of.mul(qty).div(100), price, market), price, market);
      }
      break;
    }
    case 'risk_percent': {
      const price = needPrice(input);
      const account = needAccount(input);
      if (input.stopLoss === null || input.stopLoss === undefined) throw new ApiError(400, 'missing_field', 'stop_loss is required with qty_unit risk_percent: the size is what the stop may lose (or set a default stop-loss on the strategy)', 'stop_loss');
      const stop = new Decimal(input.stopLoss);
      if (stop.eq(price)) throw new ApiError(400, 'invalid_field', `stop_loss: ${formatAmount(input.stopLoss)} is the price itself, so any size would risk nothing; move it away from ${formatAmount(Number(price))}`, 'stop_loss');
      basis = { kind: 'equity', value: Number(account.equity), currency: market.settle };
      const risk = account.equity.mul(qty).div(100);
      const size = new Decimal(market.contractSize);
      // what one unit of amount loses if the stop is hit, in the settle currency
      const lossPerUnit = market.contract === 'inverse' ? size.mul(new Decimal(1).div(stop).sub(new Decimal(1).div(price)).abs()) : price.sub(stop).abs().mul(size);
      raw = risk.div(lossPerUnit);
      break;
    }
    case 'position_percent': {
      const position = new Decimal(input.position ?? 0).abs();
      basis = { kind: 'position', value: Number(position), currency: market.contract === 'inverse' ? 'contracts' : market.base };
      raw = position.mul(qty).div(100);
      break;
    }
  }
  const amount = truncate(raw, market.amountStep);
  const minimum = market.minAmount ?? market.amountStep;
  if (unit !== 'base' && (amount.lte(0) || (minimum !== null && amount.lt(minimum)))) {
    const unitOfAmount = market.contract === 'inverse' ? 'contracts' : market.base;
    const field = input.field ?? 'qty';
    throw new ApiError(
      422,
      'below_minimum',
      `${field}: ${describeInputs(input, basis)} is ${formatAmount(Number(raw))} ${unitOfAmount}, below ${market.symbol}'s minimum ${formatAmount(minimum ?? 0)}`,
      field,
    );
  }
  return { unit, input: input.qty, basis, referencePrice: input.referencePrice, amount: Number(amount), notional: notionalOf(Number(amount), input.referencePrice, market) };
}
