import type { MarketType } from '../../../shared/api-types.js';
import { type FieldError, type OrderFields, parseOrderFields } from '../../../shared/order-request.js';
import type { QtyUnit } from '../../../shared/order-shaping-fields.js';
import { sideIntentOf } from '../../../shared/sides.js';

/** A protective price typed as a price, or as a percent from the reference price. */
export type ProtectionInput = 'price' | 'percent';

/**
 * The manual order form as typed: every field text, as the API's own field names, plus how the
 * stop-loss and take-profit are given (their `_percent` forms are the same inputs in percent).
 */
export interface ManualOrderForm {
  strategy: string;
  exchange: string;
  symbol: string;
  side: string;
  order_type: string;
  qty: string;
  price: string;
  memo: string;
  /** Empty: the strategy's own default unit. */
  qty_unit: '' | QtyUnit;
  target_position: string;
  leverage: string;
  stop_loss: string;
  stop_loss_input: ProtectionInput;
  take_profit: string;
  take_profit_input: ProtectionInput;
  reduce_only: boolean;
  signal_time: string;
  max_lag: string;
}

export type ManualOrderErrors = Partial<Record<keyof ManualOrderForm | 'form', string>>;

export const MANUAL_SIDES = ['Buy', 'Sell', 'Close', 'Sarbuy', 'Sarsell'] as const;

export const EMPTY_MANUAL_ORDER: ManualOrderForm = {
  strategy: '',
  exchange: 'bybit',
  symbol: '',
  side: 'Buy',
  order_type: 'Market',
  qty: '',
  price: '',
  memo: '',
  qty_unit: '',
  target_position: '',
  leverage: '',
  stop_loss: '',
  stop_loss_input: 'price',
  take_profit: '',
  take_profit_input: 'price',
  reduce_only: false,
  signal_time: '',
  max_lag: '',
};

/** The fields under the form's "Advanced" disclosure: it opens by itself when one of them holds something. */
export const ADVANCED_FIELDS = ['target_position', 'reduce_only', 'signal_time', 'max_lag'] as const;

/** A number typed as text goes as a JSON number when it survives the trip exactly, else as the text itself. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) && String(value) === trimmed ? value : trimmed;
}

function isClose(side: string): boolean {
  return sideIntentOf(side) === 'close';
}

/** The unit the order's qty counts in: the form's, else the strategy's default. */
export function unitOf(form: Pick<ManualOrderForm, 'qty_unit'>, strategyUnit: QtyUnit | null): QtyUnit {
  return form.qty_unit === '' ? (strategyUnit ?? 'base') : form.qty_unit;
}

/**
 * The body of POST /api/orders: the API's fields, empty optional ones left out (and qty for a Close
 * that closes the whole position, which ignores it). Every shaping field typed is sent as typed, so
 * the schema and the engine judge it: a stop-loss left filled in on a Close is refused, never dropped.
 */
export function manualOrderBody(form: ManualOrderForm, strategyUnit: QtyUnit | null = null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    strategy: form.strategy,
    exchange: form.exchange,
    order_type: form.order_type,
    side: form.side,
    symbol: form.symbol,
  };
  const closesAShare = unitOf(form, strategyUnit) === 'position_percent';
  if (form.qty.trim() !== '' && (!isClose(form.side) || closesAShare)) body['qty'] = numberOrText(form.qty);
  if (form.price.trim() !== '') body['price'] = numberOrText(form.price);
  if (form.memo !== '') body['memo'] = form.memo;
  if (form.qty_unit !== '') body['qty_unit'] = form.qty_unit;
  if (form.target_position.trim() !== '') body['target_position'] = numberOrText(form.target_position);
  if (form.leverage.trim() !== '') body['leverage'] = numberOrText(form.leverage);
  if (form.stop_loss.trim() !== '') body[form.stop_loss_input === 'percent' ? 'stop_loss_percent' : 'stop_loss'] = numberOrText(form.stop_loss);
  if (form.take_profit.trim() !== '') body[form.take_profit_input === 'percent' ? 'take_profit_percent' : 'take_profit'] = numberOrText(form.take_profit);
  if (form.reduce_only) body['reduce_only'] = true;
  if (form.signal_time.trim() !== '') body['signal_time'] = numberOrText(form.signal_time);
  if (form.max_lag.trim() !== '') body['max_lag'] = numberOrText(form.max_lag);
  return body;
}

/** The form's input an API field is typed in: a stop-loss percent is the stop-loss input in percent. */
export function formFieldOf(field: string | null | undefined, form: ManualOrderForm): keyof ManualOrderForm | null {
  if (!field) return null;
  const typed = field.replace(/_percent$/, '');
  if (typed !== field && (typed === 'stop_loss' || typed === 'take_profit')) return typed;
  return field in form ? (field as keyof ManualOrderForm) : null;
}

export type ManualOrderCheck = { ok: true; body: Record<string, unknown>; fields: OrderFields } | { ok: false; body: Record<string, unknown>; errors: ManualOrderErrors; first: FieldError };

/** Validates with the server's own schema (shared/order-request.ts): what passes here passes there. */
export function checkManualOrder(form: ManualOrderForm, strategyUnit: QtyUnit | null = null): ManualOrderCheck {
  const body = manualOrderBody(form, strategyUnit);
  const parsed = parseOrderFields(body);
  if (parsed.ok) return { ok: true, body, fields: parsed.value };
  const errors: ManualOrderErrors = {};
  for (const error of parsed.errors) errors[formFieldOf(error.field, form) ?? 'form'] ??= error.message;
  return { ok: false, body, errors, first: parsed.error };
}

export interface FieldNeeds {
  /** Whether qty is taken: Close closes the whole position unless its qty is a percent of it. */
  qty: boolean;
  price: 'required' | 'recommended' | 'optional';
  /** A spot market has no leverage, no stop held by the exchange and no position to reduce. */
  derivatives: boolean;
}

/**
 * Which fields a side, type and unit need. Limit takes a price; a dry-run Market order wants one too
 * (the simulated fill, and the reference for sizing and protection offline).
 */
export function fieldNeeds(form: Pick<ManualOrderForm, 'side' | 'order_type' | 'qty_unit'>, strategy: { dryRun: boolean; qtyUnit?: QtyUnit | null; marketType?: MarketType | null }): FieldNeeds {
  const qty = !isClose(form.side) || unitOf(form, strategy.qtyUnit ?? null) === 'position_percent';
  const limit = form.order_type.trim().toLowerCase() === 'limit';
  return { qty, price: limit ? 'required' : strategy.dryRun ? 'recommended' : 'optional', derivatives: strategy.marketType !== 'spot' };
}
