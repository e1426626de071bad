import type { Context } from 'koa';
import { type OrderFields, parseOrderFields } from '../../../shared/order-request.js';
import { ApiError } from './api-error.js';
import { readJsonBody } from './read-body.js';

/** The manual form's order, read and checked with the same schema as POST /v1/order (shared/order-request.ts). */
export async function readOrderFields(ctx: Context, onRead?: (body: unknown) => void): Promise<{ fields: OrderFields; request: Record<string, unknown> }> {
  const body = await readJsonBody(ctx);
  onRead?.(body.value);
  const parsed = parseOrderFields(body.value);
  if (!parsed.ok) throw new ApiError(400, parsed.error.code, parsed.error.message, parsed.error.field);
  return { fields: parsed.value, request: body.value as Record<string, unknown> };
}
