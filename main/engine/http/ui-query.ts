import type { Context } from 'koa';
import { ORDER_STATUSES, type OrderStatus } from '../../../shared/order-view.js';
import { isSignalOutcome, SIGNAL_OUTCOMES } from '../../../shared/signal-view.js';
import type { OrderQuery } from '../store/journal.js';
import type { SignalQuery } from '../store/signal-log.js';
import { ApiError } from './api-error.js';

/** The UI API's query parameters, read one way for its lists and their CSV exports. */

export function queryText(ctx: Context, key: string): string | undefined {
  const value = ctx.query[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A positive whole number in the query, or null when absent; anything else is a 400 naming it. */
export function wholeNumberQuery(ctx: Context, key: string): number | null {
  const text = queryText(ctx, key);
  if (text === undefined) return null;
  const value = Number(text);
  if (!/^\d{1,15}$/.test(text) || value < 1) throw new ApiError(400, 'invalid_field', `${key}: expected a whole number of at least 1, got ${JSON.stringify(text.slice(0, 40))}`, key);
  return value;
}

/** GET /api/orders' filters (strategy, exchange, status, text), without the page. */
export function orderFilterOf(ctx: Context): Omit<OrderQuery, 'limit' | 'beforeId'> {
  const status = queryText(ctx, 'status');
  if (status !== undefined && !ORDER_STATUSES.includes(status as OrderStatus)) {
    throw new ApiError(400, 'invalid_field', `status: expected one of ${ORDER_STATUSES.join(', ')}`, 'status');
  }
  const strategy = queryText(ctx, 'strategy');
  const exchange = queryText(ctx, 'exchange');
  const text = queryText(ctx, 'text');
  return { ...(strategy ? { strategy } : {}), ...(exchange ? { exchange } : {}), ...(status ? { status: status as OrderStatus } : {}), ...(text ? { text } : {}) };
}

/** GET /api/signals' filters (outcome, strategy), without the page. */
export function signalFilterOf(ctx: Context): Omit<SignalQuery, 'limit' | 'beforeId'> {
  const outcome = queryText(ctx, 'outcome');
  if (outcome !== undefined && !isSignalOutcome(outcome)) throw new ApiError(400, 'invalid_field', `outcome: expected one of ${SIGNAL_OUTCOMES.join(', ')}`, 'outcome');
  const strategy = queryText(ctx, 'strategy');
  return { ...(outcome ? { outcome } : {}), ...(strategy ? { strategy } : {}) };
}

/** ?limit= (default 100, at most 1000 as the stores cap it) and ?before= (an id: the page below it). */
export function pageOf(ctx: Context): { limit: number; beforeId?: number } {
  const limit = wholeNumberQuery(ctx, 'limit') ?? 100;
  const before = wholeNumberQuery(ctx, 'before');
  return { limit, ...(before !== null ? { beforeId: before } : {}) };
}
