import type { Context, Middleware } from 'koa';
import { ApiError } from './api-error.js';

/**
 * The fetch-metadata header a request carries that only a browser sends, or null. Browsers add
 * Sec-Fetch-Site, -Mode and -Dest to every request and scripts cannot remove them. Node's own fetch
 * (undici) sends `Sec-Fetch-Mode: cors` and nothing else of the kind, so that one value alone is a
 * program's, and the README's TypeScript sample keeps working.
 */
function browserFetchMetadata(ctx: Context): string | null {
  for (const name of ['Sec-Fetch-Site', 'Sec-Fetch-Dest', 'Sec-Fetch-User']) if (ctx.get(name) !== '') return name;
  const mode = ctx.get('Sec-Fetch-Mode');
  return mode !== '' && mode.trim().toLowerCase() !== 'cors' ? 'Sec-Fetch-Mode' : null;
}

/**
 * For /v1/order: any web page open in the user's browser can post to 127.0.0.1 without CORS
 * permission (a no-cors fetch with a text/plain body, sendBeacon, a form with enctype=text/plain),
 * and a TradingView key alone places an order. Neither TradingView's webhook sender nor a bot is a
 * browser, so a request that carries a browser's own headers is refused before its body is read.
 * Browsers send Origin with every POST, which also covers plain http to a LAN address, where they
 * leave out the Sec-Fetch-* headers.
 */
export function browserRequestGuard(): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (origin && origin !== `${ctx.protocol}://${ctx.get('Host')}`) {
      throw new ApiError(403, 'browser_request', `Origin: ${JSON.stringify(origin)}: /v1/order takes orders from bots and TradingView, not from web pages; send it from a program, without an Origin header`);
    }
    const fetchMetadata = browserFetchMetadata(ctx);
    if (fetchMetadata) {
      throw new ApiError(403, 'browser_request', `${fetchMetadata}: this request came from a web browser, and /v1/order takes orders from bots and TradingView only; send it from a program`);
    }
    await next();
  };
}
