import { Router } from '@koa/router';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../../shared/exchange-names.js';
import { exchangeCredentialsSchema, firstProblem } from '../../../shared/ui-schemas.js';
import type { EngineServices } from '../services.js';
import { ApiError } from './api-error.js';
import { readJsonBody } from './read-body.js';

function exchangeParam(value: string | undefined): ExchangeName {
  const name = (value ?? '').toLowerCase();
  if (!isExchangeName(name)) throw new ApiError(404, 'not_found', `exchange: expected one of ${EXCHANGE_NAMES.join(', ')}`, 'exchange');
  return name;
}

/** /api/exchanges and /api/orders/:id/cancel: exchange accounts for the renderer. A stored secret is never sent back. */
export function uiExchangesRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/exchanges', (ctx) => {
    ctx.body = services.exchanges.list();
  });

  router.put('/exchanges/:name', async (ctx) => {
    const exchange = exchangeParam(ctx.params['name']);
    const parsed = exchangeCredentialsSchema.safeParse((await readJsonBody(ctx)).value);
    if (!parsed.success) {
      const problem = firstProblem(parsed.error);
      throw new ApiError(400, 'invalid_field', problem.message, problem.field);
    }
    const { apiKey, secret, baseUrl } = parsed.data;
    ctx.body = await services.exchanges.set(exchange, { apiKey, secret }, baseUrl ?? null);
    services.ccxt.health.forget(exchange); // new credentials: what the old ones met says nothing
    services.events.emit({ type: 'config', what: 'exchanges' });
  });

  router.delete('/exchanges/:name', async (ctx) => {
    const exchange = exchangeParam(ctx.params['name']);
    if (!(await services.exchanges.remove(exchange))) throw new ApiError(404, 'not_found', `no account for ${exchange}`);
    services.ccxt.health.forget(exchange);
    ctx.body = { ok: true };
    services.events.emit({ type: 'config', what: 'exchanges' });
  });

  router.post('/exchanges/:name/test', async (ctx) => {
    ctx.body = await services.ccxt.test(exchangeParam(ctx.params['name']));
  });

  router.post('/orders/:id/cancel', async (ctx) => {
    ctx.body = await services.orders.cancel(Number(ctx.params['id']));
  });

  return router;
}
