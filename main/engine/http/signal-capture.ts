import type { Context } from 'koa';
import type { OrderResponse } from '../../../shared/api-response.js';
import type { ApiKeyRecord } from '../../../shared/api-types.js';
import type { OrderSource } from '../../../shared/order-view.js';
import { maskKey } from '../auth/api-keys.js';
import type { Principal } from '../auth/authenticate.js';
import type { NewSignal } from '../store/signal-log.js';
import type { ApiError } from './api-error.js';
import { isOrderPath, type OrderRequestState } from './refusal-limit.js';

/**
 * What the signal log learns of a request on its way through the order routes, kept in ctx.state
 * until it is answered: when it came, the order fields it named, and who sent it once that is known.
 * Only the order's own fields are kept, each capped; never the signature, the key (masked instead),
 * the memo or anything else the body carried.
 */
interface SignalNote {
  receivedAt: string;
  fields: SignalFields;
  /** Known once the key is authenticated, or at once for the manual form. */
  sender: { source: OrderSource; keyLabel: string | null } | null;
}

type SignalFields = Pick<NewSignal, 'strategy' | 'exchange' | 'symbol' | 'side' | 'orderType' | 'qty' | 'price'>;

const NOTE = 'signal';
/** Longer than any strategy name or symbol apisify takes (64): enough to see what was sent. */
const FIELD_MAX = 80;
const MESSAGE_MAX = 500;
const BODY_FIELDS: Readonly<Record<keyof SignalFields, string>> = {
  strategy: 'strategy',
  exchange: 'exchange',
  symbol: 'symbol',
  side: 'side',
  orderType: 'order_type',
  qty: 'qty',
  price: 'price',
};

function capped(text: string | null, max: number): string | null {
  if (text === null) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The order fields of a body as sent, as text. A value that holds the body's own key or signature
 * (pasted into the wrong field) is dropped: the log must never keep a credential.
 */
function fieldsOf(body: unknown): SignalFields {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const credentials = [record['apikey'], record['sign']].filter((value): value is string => typeof value === 'string' && value.length >= 8);
  const fields = {} as SignalFields;
  for (const [name, key] of Object.entries(BODY_FIELDS) as [keyof SignalFields, string][]) {
    const value = record[key];
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    fields[name] = text === null || credentials.some((credential) => text.includes(credential)) ? null : capped(text, FIELD_MAX);
  }
  return fields;
}

/** The order route read a body: note what it asked for. `manual`: the UI's confirm, whose sender is the UI's user. */
export function noteSignalRequest(ctx: Context, body: unknown, manual = false): void {
  const note: SignalNote = { receivedAt: new Date().toISOString(), fields: fieldsOf(body), sender: manual ? { source: 'manual', keyLabel: null } : null };
  ctx.state[NOTE] = note;
}

/** The request's key is authenticated: from here on its entry names the key's label and how it was sent. */
export function noteSignalSender(ctx: Context, principal: Principal & { kind: 'api-key' }): void {
  const note = ctx.state[NOTE] as SignalNote | undefined;
  if (note) note.sender = { source: principal.signed ? 'api' : 'tradingview', keyLabel: principal.label };
}

function addressOf(ctx: Context): string | null {
  return (ctx.state['order'] as OrderRequestState | undefined)?.clientAddress ?? null;
}

function maskedKeyOf(ctx: Context): string | null {
  const claimed = ctx.state['apikey'];
  return typeof claimed === 'string' ? maskKey(claimed) : null;
}

/** The entry for an answered order (ctx.status and ctx.body as order-route's respond() set them), or null if there is none. */
export function answeredSignal(ctx: Context): (NewSignal & { orderId: number }) | null {
  const note = ctx.state[NOTE] as SignalNote | undefined;
  const answer = ctx.body as OrderResponse | undefined;
  const order = answer?.order;
  if (!note || !order) return null;
  return {
    at: note.receivedAt,
    source: note.sender?.source ?? null,
    keyLabel: note.sender?.keyLabel ?? null,
    apikeyMasked: maskedKeyOf(ctx),
    clientAddress: addressOf(ctx),
    strategy: order.strategy,
    exchange: order.exchange,
    symbol: order.symbol,
    side: order.side,
    orderType: order.order_type,
    qty: order.qty,
    price: order.price,
    status: ctx.status,
    code: answer.ok ? (answer.duplicate ? 'duplicate' : order.status) : answer.error.code,
    field: answer.ok ? null : (answer.error.field ?? null),
    message: capped(answer.ok ? order.plan : answer.error.message, MESSAGE_MAX),
    orderId: order.id,
  };
}

/**
 * The entry for a refused request, or null when it is not one the log keeps: only the order endpoint's
 * refusals, and the manual confirm's once its route read the order (a request without the UI's
 * session is not the user's). `keyOf` finds the claimed key, for its label when the refusal came
 * before authentication (a bad signature from a real key, say).
 */
export function refusedSignal(ctx: Context, error: ApiError, keyOf: (apikey: string) => ApiKeyRecord | null): NewSignal | null {
  const note = ctx.state[NOTE] as SignalNote | undefined;
  if (!isOrderPath(ctx.path) && !note?.sender) return null;
  const claimed = ctx.state['apikey'];
  const key = !note?.sender && typeof claimed === 'string' ? keyOf(claimed) : null;
  const sender: SignalNote['sender'] = note?.sender ?? (key ? { source: key.tradingview ? 'tradingview' : 'api', keyLabel: key.label } : null);
  const fields = note?.fields ?? { strategy: null, exchange: null, symbol: null, side: null, orderType: null, qty: null, price: null };
  return {
    at: note?.receivedAt ?? new Date().toISOString(),
    source: sender?.source ?? null,
    keyLabel: sender?.keyLabel ?? null,
    apikeyMasked: maskedKeyOf(ctx),
    clientAddress: addressOf(ctx) ?? ctx.req.socket.remoteAddress ?? null,
    ...fields,
    status: error.status,
    code: error.code,
    field: error.field,
    message: capped(error.message, MESSAGE_MAX),
    orderId: null,
  };
}
