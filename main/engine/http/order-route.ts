import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { type OrderResponse, toReceipt } from '../../../shared/api-response.js';
import { parseOrderRequest } from '../../../shared/order-request.js';
import type { Authenticator } from '../auth/authenticate.js';
import { maskKey } from '../auth/api-keys.js';
import type { OrderService, PlacedOrder } from '../orders/order-service.js';
import { ApiError } from './api-error.js';
import type { OrderRateLimits } from './rate-limit.js';
import type { OrderRequestState } from './refusal-limit.js';
import { readJsonBody } from './read-body.js';
import { answeredSignal, noteSignalRequest, noteSignalSender } from './signal-capture.js';
import type { SignalLog } from '../store/signal-log.js';

/** The HTTP status of an order that failed after it was journaled, by its error code. */
const FAILED_ORDER_STATUS: Readonly<Record<string, number>> = {
  trading_paused: 503,
  exchange_timeout: 504,
  exchange_rate_limited: 429,
  internal_error: 500,
  // apisify's own refusals once the order ran in its queue (the shaping needed the position, balance or price)
  invalid_field: 400,
  missing_field: 400,
  price_required: 400,
  protection_not_allowed: 400,
  protection_wrong_side: 400,
  qty_above_limit: 403,
  notional_above_limit: 403,
  leverage_above_limit: 403,
  margin_mode_mismatch: 409,
};

/** POST /v1/order: parse, authenticate, then the one order pipeline (behind orderRefusalLimit, which sets its state). */
export function orderRoute(deps: { authenticator: Authenticator; orders: OrderService; limits: OrderRateLimits; signals: SignalLog }) {
  return async (ctx: Context): Promise<void> => {
    const state = ctx.state['order'] as OrderRequestState;
    const { settings } = state;
    const body = await readJsonBody(ctx);
    noteSignalRequest(ctx, body.value);
    const claimedKey = (body.value as { apikey?: unknown } | null)?.apikey;
    if (typeof claimedKey === 'string') ctx.state['apikey'] = claimedKey; // masked before the signal log keeps it
    const parsed = parseOrderRequest(body.value);
    if (!parsed.ok) throw new ApiError(400, parsed.error.code, parsed.error.message, parsed.error.field);
    const { fields, credentials } = parsed.value;

    const forwarded = (name: string) => (state.trustForwarded ? ctx.get(name) || undefined : undefined);
    const principal = await deps.authenticator.authenticate(credentials, {
      origin: { host: ctx.get('Host') || undefined, forwardedProto: forwarded('X-Forwarded-Proto'), forwardedHost: forwarded('X-Forwarded-Host') },
      clientAddress: state.clientAddress,
      listener: state.listener,
      trustForwarded: state.trustForwarded,
      body: body.text,
    });
    state.authenticated = true;
    noteSignalSender(ctx, principal);
    deps.limits.checkKey(principal.keyId, principal.label, { perSecond: settings.keyRatePerSecond, burst: settings.keyBurst });
    if (body.sentAsText && !principal.tradingview) {
      throw new ApiError(415, 'unsupported_media_type', 'Content-Type: text/plain is accepted only from TradingView keys; send application/json');
    }

    const request = journaledRequest(body.value as Record<string, unknown>);
    const placed = await deps.orders.place({ fields, principal, request, bodyDigest: principal.signed ? null : digestOf(body.value) });
    respond(ctx, placed, principal.tradingview && !principal.signed);
    recordAnswer(ctx, deps.signals);
  };
}

/** The answered order's entry in the signal log, written with the next batch: no commit of its own on the order's path. */
export function recordAnswer(ctx: Context, signals: SignalLog): void {
  const signal = answeredSignal(ctx);
  if (signal) signals.recordAccepted(signal);
}

/**
 * TradingView resends on any 5xx and gives up after 3 s, so once an unsigned TradingView request is
 * journaled its answer is always 2xx, with the order's status and error in the body.
 */
export function respond(ctx: Context, placed: PlacedOrder, neverFailHttp: boolean): void {
  const receipt = toReceipt(placed.order);
  let body: OrderResponse = placed.duplicate ? { ok: true, duplicate: true, order: receipt } : { ok: true, order: receipt };
  let status = placed.settled ? 200 : 202;
  const { status: orderStatus, error } = placed.order;
  if (!placed.duplicate && (orderStatus === 'rejected' || orderStatus === 'error' || orderStatus === 'not_sent') && error && !neverFailHttp) {
    status = FAILED_ORDER_STATUS[error.code] ?? (orderStatus === 'rejected' ? 422 : 502);
    body = { ok: false, error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) }, order: receipt };
  }
  ctx.status = status;
  ctx.body = body;
}

/** What the journal keeps of a request: everything but the signature, with the key masked. */
function journaledRequest(body: Record<string, unknown>): Record<string, unknown> {
  const { sign: _sign, apikey, ...rest } = body;
  return { ...rest, ...(typeof apikey === 'string' ? { apikey: maskKey(apikey) } : {}) };
}

/** Key order and spacing do not make a resend a new order. */
function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
