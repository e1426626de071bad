import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '../../../shared/order-view.js';
import { apiKeyInputSchema, firstProblem, settingsChangesSchema, strategyChangesSchema, strategyInputSchema } from '../../../shared/ui-schemas.js';
import type { EngineServices } from '../services.js';
import { type MarketType, type Strategy, StrategyNameTaken } from '../store/strategies.js';
import { ApiError } from './api-error.js';
import { respond } from './order-route.js';
import { readJsonBody } from './read-body.js';
import { streamEvents } from './sse.js';
import { readOrderFields } from './ui-order-body.js';

async function validBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.output<S>> {
  const body = await readJsonBody(ctx);
  const result = schema.safeParse(body.value);
  if (!result.success) {
    const problem = firstProblem(result.error);
    throw new ApiError(400, 'invalid_field', problem.message, problem.field);
  }
  return result.data;
}

function queryText(ctx: Context, key: string): string | undefined {
  const value = ctx.query[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A positive whole number in the query, or null when absent; anything else is a 400 naming it. */
function wholeNumberQuery(ctx: Context, key: string): number | null {
  const text = queryText(ctx, key);
  if (text === undefined) return null;
  const value = Number(text);
  if (!/^\d{1,15}$/.test(text) || value < 1) throw new ApiError(400, 'invalid_field', `${key}: expected a whole number of at least 1, got ${JSON.stringify(text.slice(0, 40))}`, key);
  return value;
}

/** What a manual order's preview showed, which its confirm repeats in the query; required. */
function previewedOf(ctx: Context): { dryRun: boolean; marketType: MarketType } {
  const dryRun = queryText(ctx, 'dry_run');
  const marketType = queryText(ctx, 'market_type');
  if ((dryRun !== 'true' && dryRun !== 'false') || (marketType !== 'swap' && marketType !== 'spot')) {
    throw new ApiError(400, 'preview_required', 'a manual order is confirmed from its preview: send ?dry_run=true|false&market_type=swap|spot as the preview showed them');
  }
  return { dryRun: dryRun === 'true', marketType };
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
    const status = queryText(ctx, 'status');
    if (status !== undefined && !ORDER_STATUSES.includes(status as OrderStatus)) {
      throw new ApiError(400, 'invalid_field', `status: expected one of ${ORDER_STATUSES.join(', ')}`, 'status');
    }
    const limit = wholeNumberQuery(ctx, 'limit') ?? 100;
    const before = wholeNumberQuery(ctx, 'before');
    ctx.body = services.journal.list({
      limit,
      ...(before !== null ? { beforeId: before } : {}),
      ...(queryText(ctx, 'strategy') ? { strategy: queryText(ctx, 'strategy') } : {}),
      ...(queryText(ctx, 'exchange') ? { exchange: queryText(ctx, 'exchange') } : {}),
      ...(status ? { status: status as OrderStatus } : {}),
      ...(queryText(ctx, 'text') ? { text: queryText(ctx, 'text') } : {}),
    });
  });

  router.get('/orders/:id', (ctx) => {
    const order = services.journal.get(Number(ctx.params['id']));
    if (!order) throw new ApiError(404, 'not_found', `no order with id ${ctx.params['id']}`);
    ctx.body = order;
  });

  // The manual order form: the same schema and the same pipeline as POST /v1/order. The confirm says
  // what its preview showed (?dry_run=&market_type=): a strategy switched since (dry-run to live, swap
  // to spot) refuses it rather than send what the user did not see.
  router.post('/orders', async (ctx) => {
    const previewed = previewedOf(ctx);
    const { fields, request } = await readOrderFields(ctx);
    const placed = await services.orders.place({ fields, principal: { kind: 'ui' }, request, bodyDigest: null, previewed });
    respond(ctx, placed, false);
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
