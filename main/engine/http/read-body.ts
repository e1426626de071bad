import type { Context } from 'koa';
import { ApiError } from './api-error.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface JsonBody {
  value: unknown;
  /** text/plain holding JSON: what TradingView posts when an alert message looks like JSON. */
  sentAsText: boolean;
}

/**
 * Reads a small JSON body by hand rather than through a general body parser: the order API takes
 * exactly two content types, a hard size limit, strict UTF-8, and owes every refusal a clear message.
 */
export async function readJsonBody(ctx: Context, limit = BODY_LIMIT_BYTES): Promise<JsonBody> {
  const type = (ctx.get('Content-Type').split(';')[0] ?? '').trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/plain') {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type: expected application/json (or text/plain holding JSON, as TradingView sends), got ${type ? JSON.stringify(type) : 'none'}`);
  }
  const declared = Number(ctx.get('Content-Length') || '0');
  if (declared > limit) throw tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.set('Connection', 'close');
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError(400, 'invalid_body', 'body: expected UTF-8 text');
  }
  if (text.trim() === '') throw new ApiError(400, 'invalid_body', 'body: expected a JSON object with the order fields, got an empty body');
  try {
    return { value: JSON.parse(text) as unknown, sentAsText: type === 'text/plain' };
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `body: expected valid JSON (${(error as Error).message})`);
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'body_too_large', `body: expected at most ${limit / 1024} KiB`);
}
