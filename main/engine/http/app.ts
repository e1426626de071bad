import { Router } from '@koa/router';
import Koa from 'koa';
import { maskKey } from '../auth/api-keys.js';
import type { EngineServices } from '../services.js';
import { browserRequestGuard } from './browser-request-guard.js';
import { errorHandler } from './error-handler.js';
import { hostGuard } from './host-guard.js';
import { orderRoute } from './order-route.js';
import { OrderRateLimits } from './rate-limit.js';
import { isOrderPath, ORDER_PATH, orderRefusalLimit } from './refusal-limit.js';
import { securityHeaders } from './security-headers.js';
import { serveRenderer } from './static-files.js';
import { uiApiRouter } from './ui-api.js';
import { uiExchangesRouter } from './ui-exchanges-api.js';
import { uiMarketsRouter } from './ui-markets-api.js';
import { uiOrderPreviewRouter } from './ui-order-preview-api.js';
import { requireUiSession, type UiSessions } from './ui-session.js';

/**
 * The engine's HTTP face, composed like Koa's own examples: error shape first, then the Host guard,
 * then two worlds: /v1/order (API keys only) and everything else (the UI session only).
 */
export function createApp(services: EngineServices, sessions: UiSessions): Koa {
  const app = new Koa();
  app.proxy = false;
  const settings = () => services.settings.effective();

  const orders = new Router();
  const limits = new OrderRateLimits(services.log);
  orders.post(ORDER_PATH, browserRequestGuard(), orderRoute({ authenticator: services.authenticator, orders: services.orders, limits }));
  const api = uiApiRouter(services);
  const exchangesApi = uiExchangesRouter(services);
  const marketsApi = uiMarketsRouter(services);
  const previewApi = uiOrderPreviewRouter(services);

  // The audit log of refusals: who and why, never the body or its secrets.
  const auditRefusal = services.db.prepare<[string, string | null, string | null, number, string, string | null, string]>(
    'INSERT INTO rejected_requests (at, remote_address, apikey_masked, status, code, field, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  app.use(securityHeaders());
  app.use(
    errorHandler(services.log, (ctx, error) => {
      // A flood must not become a flood of durable writes: rate-limit refusals are counted in the log instead.
      if (!isOrderPath(ctx.path) || error.code === 'rate_limited') return;
      auditRefusal.run(new Date().toISOString(), ctx.req.socket.remoteAddress ?? null, typeof ctx.state['apikey'] === 'string' ? maskKey(ctx.state['apikey']) : null, error.status, error.code, error.field, error.message);
    }),
  );
  app.use(orderRefusalLimit(limits, settings));
  app.use(hostGuard(settings));
  app.use(orders.routes());
  app.use(orders.allowedMethods());
  app.use(async (ctx, next) => {
    // /v1/* belongs to API keys alone; what the order router did not take is not found.
    if (ctx.path.startsWith('/v1/')) return;
    // The one-time token becomes the session cookie; the URL is then cleaned of it.
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
  app.use(previewApi.routes());
  app.use(previewApi.allowedMethods());
  app.use(async (ctx) => {
    // What no /api router took is not found (JSON, from the error handler), never the UI's index.html.
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) return;
    await serveRenderer(ctx);
  });
  return app;
}
