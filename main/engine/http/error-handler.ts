import type { Middleware } from 'koa';
import type { Logger } from '../log.js';
import { ApiError } from './api-error.js';

/**
 * First in the chain: every failure leaves as the API's error shape. Unknown errors are logged by
 * name and message only (never the request) and answered without their internals.
 */
export function errorHandler(log: Logger, onRefused?: (ctx: Parameters<Middleware>[0], error: ApiError) => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError(404, 'not_found', `no such endpoint: ${ctx.method} ${ctx.path}`);
    } catch (thrown) {
      let error: ApiError;
      if (thrown instanceof ApiError) {
        error = thrown;
      } else {
        const status = (thrown as { status?: unknown }).status;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          // Koa's own refusals (e.g. 405 from the router) keep their status.
          error = new ApiError(status, status === 405 ? 'method_not_allowed' : 'bad_request', (thrown as Error).message);
        } else {
          log.error('request failed', { method: ctx.method, path: ctx.path, error: (thrown as Error)?.name ?? 'Error', detail: (thrown as Error)?.message ?? String(thrown) });
          error = new ApiError(500, 'internal_error', 'apisify failed to handle this request; see the app log');
        }
      }
      ctx.status = error.status;
      ctx.set(error.headers);
      ctx.body = error.toBody();
      onRefused?.(ctx, error);
    }
  };
}
