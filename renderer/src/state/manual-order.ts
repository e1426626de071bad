import { type FieldError, type OrderFields, parseOrderFields } from '../../../shared/order-request.js';

/** The manual order form as typed: every field text, as the API's own field names. */
export interface ManualOrderForm {
  strategy: string;
  exchange: string;
  symbol: string;
  side: string;
  order_type: string;
  qty: string;
  price: string;
  memo: string;
}

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
};

/** A number typed as text goes as a JSON number when it survives the trip exactly, else as the text itself. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) && String(value) === trimmed ? value : trimmed;
}

function isClose(side: string): boolean {
  const key = side.trim().toLowerCase();
  return key === 'close' || key === '0';
}

/** The body of POST /api/orders: the API's fields, empty optional ones left out (and qty for Close, which ignores it). */
export function manualOrderBody(form: ManualOrderForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    strategy: form.strategy,
    exchange: form.exchange,
    order_type: form.order_type,
    side: form.side,
    symbol: form.symbol,
  };
  if (form.qty.trim() !== '' && !isClose(form.side)) body['qty'] = numberOrText(form.qty);
  if (form.price.trim() !== '') body['price'] = numberOrText(form.price);
  if (form.memo !== '') body['memo'] = form.memo;
  return body;
}

export type ManualOrderCheck =
  | { ok: true; body: Record<string, unknown>; fields: OrderFields }
  | { ok: false; body: Record<string, unknown>; errors: Partial<Record<keyof ManualOrderForm | 'form', string>>; first: FieldError };

/** Validates with the server's own schema (shared/order-request.ts): what passes here passes there. */
export function checkManualOrder(form: ManualOrderForm): ManualOrderCheck {
  const body = manualOrderBody(form);
  const parsed = parseOrderFields(body);
  if (parsed.ok) return { ok: true, body, fields: parsed.value };
  const errors: Partial<Record<keyof ManualOrderForm | 'form', string>> = {};
  for (const error of parsed.errors) {
    const key = error.field && error.field in form ? (error.field as keyof ManualOrderForm) : 'form';
    errors[key] ??= error.message;
  }
  return { ok: false, body, errors, first: parsed.error };
}

/** Close takes no qty; everything else does. Limit takes a price; a dry-run Market order wants one too. */
export function fieldNeeds(form: Pick<ManualOrderForm, 'side' | 'order_type'>, dryRun: boolean): { qty: boolean; price: 'required' | 'recommended' | 'optional' } {
  const qty = !isClose(form.side);
  const limit = form.order_type.trim().toLowerCase() === 'limit';
  return { qty, price: limit ? 'required' : dryRun ? 'recommended' : 'optional' };
}
