import { Router } from '@koa/router';
import type { Context } from 'koa';
import { ACCOUNT_NAME_HINT, DEFAULT_ACCOUNT, isAccountName } from '../../../shared/account-names.js';
import { EXCHANGE_NAMES, isExchangeName } from '../../../shared/exchange-names.js';
import type { EngineServices } from '../services.js';
import { ApiError } from './api-error.js';

function queryText(ctx: Context, key: string): string | undefined {
  const value = ctx.query[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `?dry_run=only`: the dry runs' simulated accounts alone (what a dry-run order changed), nothing read from an exchange. */
function dryRunOnly(ctx: Context): boolean {
  const value = queryText(ctx, 'dry_run');
  if (value === undefined) return false;
  if (value === 'only') return true;
  throw new ApiError(400, 'invalid_field', 'dry_run: expected only (the dry runs alone, nothing read from an exchange), or leave it out', 'dry_run');
}

/**
 * GET /api/positions, /api/balances[?dry_run=only]: every account's open positions and balances (one
 * read now, then pushed as `positions` and `balances` events); GET /api/pnl[?strategy=]: PnL per strategy;
 * GET /api/pnl/curve?strategy= or ?exchange=&account=: a cumulative net PnL curve.
 */
export function uiAccountsRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/positions', async (ctx) => {
    ctx.body = dryRunOnly(ctx) ? services.accountViews.dryRunPositions() : await services.accountViews.positions();
  });

  router.get('/balances', async (ctx) => {
    ctx.body = dryRunOnly(ctx) ? services.accountViews.dryRunBalances() : await services.accountViews.balances();
  });

  router.get('/pnl', async (ctx) => {
    const strategy = queryText(ctx, 'strategy');
    if (strategy !== undefined && !services.strategies.find(strategy) && !(await services.pnl.traded(strategy))) {
      throw new ApiError(404, 'unknown_strategy', `strategy: no strategy named ${JSON.stringify(strategy)} and no fills under that name`, 'strategy');
    }
    ctx.body = await services.pnl.report(strategy === undefined ? {} : { strategy });
  });

  router.get('/pnl/curve', async (ctx) => {
    const strategy = queryText(ctx, 'strategy');
    if (strategy !== undefined) {
      ctx.body = { curves: await services.pnl.curves({ strategy }) };
      return;
    }
    const exchange = (queryText(ctx, 'exchange') ?? '').toLowerCase();
    if (!isExchangeName(exchange)) throw new ApiError(400, 'invalid_field', `exchange: expected one of ${EXCHANGE_NAMES.join(', ')} (or ?strategy=NAME)`, 'exchange');
    const account = queryText(ctx, 'account') ?? DEFAULT_ACCOUNT;
    if (!isAccountName(account)) throw new ApiError(400, 'invalid_field', `account: expected ${ACCOUNT_NAME_HINT}`, 'account');
    ctx.body = { curves: await services.pnl.curves({ exchange, account }) };
  });

  return router;
}
