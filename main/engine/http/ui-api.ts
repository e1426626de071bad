import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { isAccountName } from '../../../shared/account-names.js';
import { apiKeyInputSchema, firstProblem, settingsChangesSchema, strategyChangesSchema, strategyInputSchema } from '../../../shared/ui-schemas.js';
import type { EngineServices } from '../services.js';
import { type MarketType, type Strategy, StrategyNameTaken } from '../store/strategies.js';
import { ApiError } from './api-error.js';
import { recordAnswer, respond } from './order-route.js';
import { readJsonBody } from './read-body.js';
import { streamEvents } from './sse.js';
import { readOrderFields } from './ui-order-body.js';
import { orderFilterOf, pageOf, queryText } from './ui-query.js';
import { noteSignalRequest } from './signal-capture.js';

async function validBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.output<S>> {
  const body = await readJsonBody(ctx);
  const result = schema.safeParse(body.value);
  if (!result.success) {
    const problem = firstProblem(result.error);
    throw new ApiError(400, 'invalid_field', problem.message, problem.field);
  }
  return result.data;
}

/** What a manual order's preview showed, which its confirm repeats in the query; required. */
function previewedOf(ctx: Context): { dryRun: boolean; marketType: MarketType; account: string } {
  const dryRun = queryText(ctx, 'dry_run');
  const marketType = queryText(ctx, 'market_type');
  const account = queryText(ctx, 'account');
  if ((dryRun !== 'true' && dryRun !== 'false') || (marketType !== 'swap' && marketType !== 'spot') || account === undefined || !isAccountName(account)) {
    throw new ApiError(400, 'preview_required', 'a manual order is confirmed from its preview: send ?dry_run=true|false&market_type=swap|spot&account=<name> as the preview showed them');
  }
  return { dryRun: dryRun === 'true', marketType, account };
}

/** A name another strategy holds (in any case) is a 409 naming the field. */
function savingStrategy(save: () => Strategy | null): Strategy | null {
  try {
    return save();
  } catch (error) {
    if (error instanceof StrategyNameTaken) throw new ApiError(409, 'already_exists', `name: ${error.message}`, 'name');
    throw error;
  }
}

/** /api/*: the renderer's own API, behind the UI session (see ui-session.ts). */
export function uiApiRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/status', (ctx) => {
    ctx.body = services.status();
  });

  router.get('/events', (ctx) => streamEvents(ctx, services.events, services.status()));

  router.get('/orders', (ctx) => {
    ctx.body = services.journal.list({ ...orderFilterOf(ctx), ...pageOf(ctx) });
  });

  router.get('/orders/:id', (ctx) => {
    const order = services.journal.get(Number(ctx.params['id']));
    if (!order) throw new ApiError(404, 'not_found', `no order with id ${ctx.params['id']}`);
    ctx.body = order;
  });

  // The manual order form: the same schema and the same pipeline as POST /v1/order. The confirm says
  // what its preview showed (?dry_run=&market_type=&account=): a strategy switched since (dry-run to
  // live, swap to spot, another default account) refuses it rather than send what the user did not see.
  router.post('/orders', async (ctx) => {
    const previewed = previewedOf(ctx);
    const { fields, request } = await readOrderFields(ctx, (body) => noteSignalRequest(ctx, body, true));
    const placed = await services.orders.place({ fields, principal: { kind: 'ui' }, request, bodyDigest: null, previewed });
    respond(ctx, placed, false);
    recordAnswer(ctx, services.signals);
  });

  router.get('/strategies', (ctx) => {
    ctx.body = services.strategyOverview();
  });

  router.post('/strategies', async (ctx) => {
    const input = await validBody(ctx, strategyInputSchema);
    const added = savingStrategy(() => services.strategies.add(input));
    ctx.status = 201;
    ctx.body = added;
    services.events.emit({ type: 'config', what: 'strategies' });
  });

  router.patch('/strategies/:name', async (ctx) => {
    const changes = await validBody(ctx, strategyChangesSchema);
    const updated = savingStrategy(() => services.strategies.update(String(ctx.params['name']), changes));
    if (!updated) throw new ApiError(404, 'not_found', `no strategy named ${ctx.params['name']}`);
    ctx.body = updated;
    services.events.emit({ type: 'config', what: 'strategies' });
  });

  // History stays: the journal keeps its orders under the name. Refused while any of them may change.
  router.delete('/strategies/:name', (ctx) => {
    const name = String(ctx.params['name']);
    const removal = services.strategies.remove(name);
    if ('refused' in removal) {
      if (removal.refused === 'not_found') throw new ApiError(404, 'not_found', `no strategy named ${name}`);
      throw new ApiError(409, 'orders_under_way', `strategy ${name} has orders under way (${removal.orderIds.map((id) => `#${id}`).join(', ')}); remove it once they are filled, cancelled or settled`);
    }
    ctx.body = removal.removed;
    services.events.emit({ type: 'config', what: 'strategies' });
  });

  router.get('/keys', (ctx) => {
    ctx.body = services.apiKeys.list();
  });

  // The only answer that ever carries a secret: once, to the session that created the key.
  router.post('/keys', async (ctx) => {
    const input = await validBody(ctx, apiKeyInputSchema);
    ctx.status = 201;
    ctx.body = await services.apiKeys.create(input);
    services.events.emit({ type: 'config', what: 'keys' });
  });

  router.delete('/keys/:id', (ctx) => {
    const revoked = services.apiKeys.revokeById(Number(ctx.params['id']));
    if (!revoked) throw new ApiError(404, 'not_found', `no active API key with id ${ctx.params['id']}`);
    ctx.body = revoked;
    services.events.emit({ type: 'config', what: 'keys' });
  });

  router.get('/settings', (ctx) => {
    ctx.body = services.settings.get();
  });

  router.patch('/settings', async (ctx) => {
    const changes = await validBody(ctx, settingsChangesSchema);
    ctx.body = services.settings.update(changes);
    services.events.emit({ type: 'config', what: 'settings' });
    services.publishStatus();
  });

  router.post('/pause', async (ctx) => {
    const body = await readJsonBody(ctx);
    const paused = (body.value as { paused?: unknown } | null)?.paused;
    if (typeof paused !== 'boolean') throw new ApiError(400, 'invalid_field', 'paused: expected true or false', 'paused');
    services.setPaused(paused);
    ctx.body = services.status();
  });

  return router;
}
