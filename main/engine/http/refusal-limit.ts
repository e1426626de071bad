import type { Middleware } from 'koa';
import { clientAddress } from '../auth/client-address.js';
import type { Settings } from '../store/settings.js';
import { ApiError } from './api-error.js';
import { type ListenerKind, trustsForwardedHeaders } from './listener.js';
import type { OrderRateLimits } from './rate-limit.js';

/** The order endpoint, as its router is given it. */
export const ORDER_PATH = '/v1/order';

/** Whether a request is for the order endpoint, matched as @koa/router matches by default: any case, a trailing slash or not. */
export function isOrderPath(path: string): boolean {
  return /^\/v1\/order\/?$/i.test(path);
}

/** What the order route is told by this middleware, and tells it back. */
export interface OrderRequestState {
  /** The settings as this request reads them: one read per request, shared with the route. */
  settings: Settings;
  /** Which of the engine's listeners the request reached. */
  listener: ListenerKind;
  /** Whether this request's forwarded headers are believed (the tunnel's listener, proxy headers trusted). */
  trustForwarded: boolean;
  /** Who sent the request, as far as the listener lets us believe forwarded headers. */
  clientAddress: string | null;
  /** Set once the request's key is authenticated: its failures from then on are its key's business. */
  authenticated?: boolean;
}

/**
 * For /v1/order, ahead of the Host guard: every request refused before its key is authenticated (the
 * Host, the method, the body, the fields, the key or signature) costs its client address a token, and
 * once the address has none left such a refusal is answered 429 instead, which the signal log only counts. So
 * a flood of junk neither fills the signal log nor, since authenticated orders cost no address
 * tokens, keeps the real orders that share its address (127.0.0.1 behind a tunnel) from going through.
 */
export function orderRefusalLimit(limits: OrderRateLimits, settings: () => Settings, listener: ListenerKind): Middleware {
  return async (ctx, next) => {
    if (!isOrderPath(ctx.path)) return next();
    const current = settings();
    const trustForwarded = trustsForwardedHeaders(listener, current);
    const state: OrderRequestState = {
      settings: current,
      listener,
      trustForwarded,
      clientAddress: clientAddress({ socketAddress: ctx.req.socket.remoteAddress, forwardedFor: ctx.get('X-Forwarded-For') || undefined }, trustForwarded),
    };
    ctx.state['order'] = state;
    const charge = () => limits.chargeRefusal(state.clientAddress ?? 'an unknown address', { perSecond: current.addressRatePerSecond, burst: current.addressBurst });
    try {
      await next();
    } catch (error) {
      if (state.authenticated !== true && refusedByUs(error)) charge();
      throw error;
    }
    // The router's own refusal of a wrong method is a bare status, not a throw.
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) charge();
  };
}

function refusedByUs(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 400 && error.status < 500 && error.code !== 'rate_limited';
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
