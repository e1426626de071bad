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
      // The routers' allowedMethods() answer a known path with the wrong method (405, or 501 for a
      // method they do not know) by a bare status and the Allow header: give it the error shape.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) throw methodNotAllowed(ctx.method, ctx.path, ctx.response.get('Allow'));
    } catch (thrown) {
      let error: ApiError;
      if (thrown instanceof ApiError) {
        error = thrown;
      } else {
        const status = (thrown as { status?: unknown }).status;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          // Koa's own refusals (e.g. 405 from the router) keep their status.
          error = status === 405 ? methodNotAllowed(ctx.method, ctx.path, ctx.response.get('Allow')) : new ApiError(status, 'bad_request', (thrown as Error).message);
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

function methodNotAllowed(method: string, path: string, allow: string): ApiError {
  const expected = allow ? `expected ${allow.split(/,\s*/).join(' or ')}` : 'this method is not used here';
  return new ApiError(405, 'method_not_allowed', `${method} ${path}: ${expected}`, null, allow ? { Allow: allow } : {});
}
