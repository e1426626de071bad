import { Router } from '@koa/router';
import { ACCOUNT_NAME_HINT, type AccountRef, DEFAULT_ACCOUNT, isAccountName } from '../../../shared/account-names.js';
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

/** `?account=main`: which of the exchange's accounts; absent, `default`. */
function accountParam(exchange: ExchangeName, value: unknown): AccountRef {
  if (value === undefined || value === '') return { exchange, account: DEFAULT_ACCOUNT };
  if (typeof value !== 'string' || !isAccountName(value)) throw new ApiError(400, 'invalid_field', `account: expected ${ACCOUNT_NAME_HINT}`, 'account');
  return { exchange, account: value };
}

/** /api/exchanges and /api/orders/:id/cancel: exchange accounts for the renderer. A stored secret is never sent back. */
export function uiExchangesRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/exchanges', (ctx) => {
    ctx.body = services.exchanges.list();
  });

  router.put('/exchanges/:name', async (ctx) => {
    const ref = accountParam(exchangeParam(ctx.params['name']), ctx.query['account']);
    const parsed = exchangeCredentialsSchema.safeParse((await readJsonBody(ctx)).value);
    if (!parsed.success) {
      const problem = firstProblem(parsed.error);
      throw new ApiError(400, 'invalid_field', problem.message, problem.field);
    }
    const { apiKey, secret, baseUrl } = parsed.data;
    ctx.body = await services.exchanges.set(ref, { apiKey, secret }, baseUrl ?? null);
  });

  router.delete('/exchanges/:name', async (ctx) => {
    const ref = accountParam(exchangeParam(ctx.params['name']), ctx.query['account']);
    if (!(await services.exchanges.remove(ref))) throw new ApiError(404, 'not_found', `no ${ref.exchange} account named ${ref.account}`);
    ctx.body = { ok: true };
  });

  router.post('/exchanges/:name/test', async (ctx) => {
    ctx.body = await services.ccxt.test(accountParam(exchangeParam(ctx.params['name']), ctx.query['account']));
  });

  router.post('/orders/:id/cancel', async (ctx) => {
    ctx.body = await services.orders.cancel(Number(ctx.params['id']));
  });

  return router;
}
