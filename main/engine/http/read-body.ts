import type { Context } from 'koa';
import { ApiError } from './api-error.js';
import { firstDuplicateKey } from './json-duplicate-keys.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface JsonBody {
  value: unknown;
  /** text/plain holding JSON: what TradingView posts when an alert message looks like JSON. */
  sentAsText: boolean;
  /** The body exactly as sent (after UTF-8 decoding), for signatures that cover it. */
  text: string;
}

const ACCEPTED_TYPES = ['application/json', 'text/plain'];
/** JSON is UTF-8 (RFC 8259); ASCII is a subset of it. */
const ACCEPTED_CHARSETS = ['utf-8', 'utf8', 'us-ascii'];

/**
 * Reads a small JSON body by hand rather than through a general body parser: the order API takes
 * exactly two content types, a hard size limit, strict UTF-8, one copy of each key, and owes every
 * refusal a clear message.
 */
export async function readJsonBody(ctx: Context, limit = BODY_LIMIT_BYTES): Promise<JsonBody> {
  const type = checkContentHeaders(ctx);
  const declared = Number(ctx.get('Content-Length') || '0');
  if (declared > limit) {
    // Close rather than let Node drain a body that was never going to be read.
    ctx.set('Connection', 'close');
    throw tooLarge(limit);
  }

  const text = decodeUtf8(await readBytes(ctx, limit));
  if (text.trim() === '') throw new ApiError(400, 'invalid_body', 'body: expected a JSON object with the order fields, got an empty body');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'invalid_json', jsonProblem(text, error));
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate) {
    const [field] = duplicate.path;
    throw new ApiError(
      400,
      'duplicate_field',
      `${pathText(duplicate.path)}: sent more than once; expected each field once (JSON readers disagree on which copy counts)`,
      typeof field === 'string' ? field : null,
    );
  }
  return { value, sentAsText: type === 'text/plain', text };
}

/** The media type, once Content-Type and Content-Encoding are known to be ones this API reads. */
function checkContentHeaders(ctx: Context): string {
  const [mediaType = '', ...parameters] = ctx.get('Content-Type').split(';');
  const type = mediaType.trim().toLowerCase();
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type: expected application/json (or text/plain holding JSON, as TradingView sends), got ${type ? JSON.stringify(type) : 'none'}`);
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (name.trim().toLowerCase() === 'charset' && !ACCEPTED_CHARSETS.includes(charset)) {
      throw new ApiError(415, 'unsupported_media_type', `Content-Type: expected charset=utf-8, got charset=${JSON.stringify(charset)}`);
    }
  }
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new ApiError(415, 'unsupported_media_type', `Content-Encoding: expected none (an uncompressed body), got ${JSON.stringify(encoding)}`);
  }
  return type;
}

/**
 * The body's bytes, up to `limit`. Listens rather than iterating the stream: leaving a for-await loop
 * early destroys the request, and with it the socket the 413 should go out on.
 */
function readBytes(ctx: Context, limit: number): Promise<Buffer> {
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      req.pause();
      ctx.set('Connection', 'close');
      reject(tooLarge(limit));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    // The sender went away or was cut off mid-body (Node's requestTimeout). Nobody is left to read
    // the answer, but the refusal still reaches the signal log instead of counting as a server failure.
    const onGone = () => {
      stop();
      const timedOut = (req.socket.errored as NodeJS.ErrnoException | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      reject(
        timedOut
          ? new ApiError(408, 'request_timeout', 'body: did not arrive in time; send the whole request at once')
          : new ApiError(400, 'body_incomplete', 'body: the connection closed before the whole body arrived'),
      );
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_body', 'body: expected UTF-8 text');
  }
}

/**
 * What is wrong with a body JSON.parse refused. V8's own messages quote the text around the error,
 * which may hold an API key, so only the position and the kind of problem are kept.
 */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message.includes('Unexpected end of JSON input')) return 'body: expected valid JSON, but the body ends before the JSON does';
  const token = /^Unexpected token '(.)'/u.exec(message)?.[1];
  if (token !== undefined) return `body: expected valid JSON, got an unexpected character ${JSON.stringify(token)} (JSON has no NaN, Infinity, comments or single quotes)`;
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return 'body: expected valid JSON';
  const before = text.slice(0, Number(position)).split('\n');
  const reason = message.split(' at position')[0]?.replace(/ in JSON$/, '') ?? '';
  const why = reason && !reason.includes('"') ? `: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` : '';
  return `body: expected valid JSON; it breaks at line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}${why}`;
}

/** Where a key sits, as a message shows it: plain names as they are, other keys quoted and cut short. */
function pathText(path: (string | number)[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    const shown = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(part) ? part : JSON.stringify(part.length > 40 ? `${part.slice(0, 40)}…` : part);
    return text ? `${text}.${shown}` : shown;
  }, '');
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'body_too_large', `body: expected at most ${limit / 1024} KiB`);
}
