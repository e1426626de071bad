import { Router } from '@koa/router';
import Koa from 'koa';
import type { EngineServices } from '../services.js';
import { browserRequestGuard } from './browser-request-guard.js';
import { errorHandler } from './error-handler.js';
import { hostGuard } from './host-guard.js';
import { orderRoute } from './order-route.js';
import { OrderRateLimits } from './rate-limit.js';
import { ORDER_PATH, orderRefusalLimit } from './refusal-limit.js';
import { refusedSignal } from './signal-capture.js';
import { securityHeaders } from './security-headers.js';
import { serveRenderer } from './static-files.js';
import type { ApiError } from './api-error.js';
import type { ListenerKind } from './listener.js';
import { uiApiRouter } from './ui-api.js';
import { uiCandlesRouter } from './ui-candles-api.js';
import { uiExchangesRouter } from './ui-exchanges-api.js';
import { uiMarketsRouter } from './ui-markets-api.js';
import { uiAccountsRouter } from './ui-accounts-api.js';
import { uiFlattenRouter } from './ui-flatten-api.js';
import { uiOrderPreviewRouter } from './ui-order-preview-api.js';
import { uiOrdersCsvRouter } from './ui-orders-csv-api.js';
import { uiSignalsRouter } from './ui-signals-api.js';
import { requireUiSession, type UiSessions } from './ui-session.js';

/** What both listeners share: a key's rate limit holds whichever port its orders come through. */
interface OrderFace {
  services: EngineServices;
  limits: OrderRateLimits;
  logRefusal: (ctx: Koa.Context, error: ApiError) => void;
}

/**
 * The engine's HTTP faces, composed like Koa's own examples: error shape first, then the Host guard.
 * The main listener has two worlds: /v1/order (API keys only) and everything else (the UI session
 * only). The tunnel's listener has /v1/order alone (listener.ts).
 */
export function createApps(services: EngineServices, sessions: UiSessions): { local: Koa; tunnel: Koa } {
  const face: OrderFace = {
    services,
    limits: new OrderRateLimits(services.log),
    // The signal log's refusals: who and why, never the body as sent or its secrets.
    logRefusal: (ctx, error) => {
      const signal = refusedSignal(ctx, error, (apikey) => services.apiKeys.findActive(apikey));
      if (!signal) return;
      // A flood must not become a flood of writes: rate-limit refusals are counted, one entry per sender and window.
      if (error.code === 'rate_limited') services.signals.countRateLimited(signal);
      else services.signals.recordRefusal(signal);
    },
  };
  return { local: localApp(face, sessions), tunnel: tunnelApp(face) };
}

/** Everything up to and including the order route, the same on both listeners. */
function orderApp(face: OrderFace, listener: ListenerKind): Koa {
  const { services, limits } = face;
  const app = new Koa();
  app.proxy = false;
  const settings = () => services.settings.effective();
  const orders = new Router();
  orders.post(ORDER_PATH, browserRequestGuard(), orderRoute({ authenticator: services.authenticator, orders: services.orders, limits, signals: services.signals }));
  app.use(securityHeaders());
  app.use(errorHandler(services.log, face.logRefusal));
  app.use(orderRefusalLimit(limits, settings, listener));
  app.use(hostGuard(settings, listener));
  app.use(orders.routes());
  app.use(orders.allowedMethods());
  return app;
}

/** The public face: POST /v1/order, and for every other path a JSON 404 (never the UI, its link or /api). */
function tunnelApp(face: OrderFace): Koa {
  return orderApp(face, 'tunnel');
}

function localApp(face: OrderFace, sessions: UiSessions): Koa {
  const { services } = face;
  const app = orderApp(face, 'local');
  const api = uiApiRouter(services);
  const exchangesApi = uiExchangesRouter(services);
  const marketsApi = uiMarketsRouter(services);
  const candlesApi = uiCandlesRouter(services);
  const previewApi = uiOrderPreviewRouter(services);
  const signalsApi = uiSignalsRouter(services);
  const ordersCsvApi = uiOrdersCsvRouter(services);
  const accountsApi = uiAccountsRouter(services);
  const flattenApi = uiFlattenRouter(services);
  app.use(async (ctx, next) => {
    // /v1/* belongs to API keys alone; what the order router did not take is not found.
    if (ctx.path.startsWith('/v1/')) return;
    // The one-time token becomes the session cookie and the page's token; the URL is then cleaned of it.
    const token = ctx.query['token'];
    if (ctx.method === 'GET' && ctx.path === '/' && typeof token === 'string' && sessions.redeem(token)) {
      sessions.open(ctx);
      return;
    }
    await next();
  });
  app.use(requireUiSession(sessions));
  app.use(api.routes());
  app.use(api.allowedMethods());
  app.use(exchangesApi.routes());
  app.use(exchangesApi.allowedMethods());
  app.use(marketsApi.routes());
  app.use(marketsApi.allowedMethods());
  app.use(candlesApi.routes());
  app.use(candlesApi.allowedMethods());
  app.use(previewApi.routes());
  app.use(previewApi.allowedMethods());
  app.use(signalsApi.routes());
  app.use(signalsApi.allowedMethods());
  app.use(ordersCsvApi.routes());
  app.use(ordersCsvApi.allowedMethods());
  app.use(accountsApi.routes());
  app.use(accountsApi.allowedMethods());
  app.use(flattenApi.routes());
  app.use(flattenApi.allowedMethods());
  app.use(async (ctx) => {
    // What no /api router took is not found (JSON, from the error handler), never the UI's index.html.
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) return;
    await serveRenderer(ctx);
  });
  return app;
}
