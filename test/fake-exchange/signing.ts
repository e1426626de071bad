// Request authentication as each exchange documents it. Pure functions: the venue protocol
// turns a failure into that exchange's error code.
//
// Bybit v5: X-BAPI-SIGN = hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + payload),
//   payload = the raw query string (GET) or the raw JSON body (POST);
//   accepted when serverTime - recvWindow <= timestamp < serverTime + 1000.
// Binance: signature = hex HMAC-SHA256(secret, totalParams), totalParams = query string
//   concatenated with the body, both without the signature parameter;
//   accepted when timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow (max 60 000).

import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type ParsedRequest } from './protocol.js';

export interface Credentials {
  apiKey: string;
  secret: string;
}

export type AuthFailure =
  | { kind: 'missing_key' }
  | { kind: 'bad_key' }
  | { kind: 'missing_timestamp' }
  | { kind: 'recv_window_too_large'; recvWindow: number }
  | { kind: 'timestamp_outside_window'; timestamp: number; serverTime: number; recvWindow: number }
  | { kind: 'missing_signature' }
  | { kind: 'bad_signature'; payload: string };

/** Clock tolerance both exchanges give a timestamp from the future. */
export const FUTURE_TOLERANCE_MS = 1000;

export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

function integer(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function checkBybit(req: ParsedRequest, creds: Credentials, serverTime: number): AuthFailure | undefined {
  const apiKey = headerValue(req.headers, 'x-bapi-api-key');
  if (apiKey === undefined || apiKey === '') return { kind: 'missing_key' };
  if (apiKey !== creds.apiKey) return { kind: 'bad_key' };
  const timestampRaw = headerValue(req.headers, 'x-bapi-timestamp');
  const timestamp = integer(timestampRaw);
  if (timestampRaw === undefined || timestamp === undefined) return { kind: 'missing_timestamp' };
  const recvWindowRaw = headerValue(req.headers, 'x-bapi-recv-window') ?? '5000';
  const recvWindow = integer(recvWindowRaw) ?? 5000;
  if (timestamp < serverTime - recvWindow || timestamp >= serverTime + FUTURE_TOLERANCE_MS) {
    return { kind: 'timestamp_outside_window', timestamp, serverTime, recvWindow };
  }
  const signature = headerValue(req.headers, 'x-bapi-sign');
  if (signature === undefined || signature === '') return { kind: 'missing_signature' };
  const payload = timestampRaw + apiKey + recvWindowRaw + (req.method === 'GET' ? req.rawQuery : req.rawBody);
  if (!sameSignature(hmacSha256Hex(creds.secret, payload), signature)) return { kind: 'bad_signature', payload };
  return undefined;
}

/** Removes the signature parameter from a raw parameter string. */
function withoutSignature(raw: string): { rest: string; signature: string | undefined } {
  if (raw === '') return { rest: '', signature: undefined };
  let signature: string | undefined;
  const kept: string[] = [];
  for (const pair of raw.split('&')) {
    if (pair.startsWith('signature=')) signature = decodeURIComponent(pair.slice('signature='.length));
    else kept.push(pair);
  }
  return { rest: kept.join('&'), signature };
}

export function checkBinance(req: ParsedRequest, creds: Credentials, serverTime: number): AuthFailure | undefined {
  const apiKey = headerValue(req.headers, 'x-mbx-apikey');
  if (apiKey === undefined || apiKey === '') return { kind: 'missing_key' };
  if (apiKey !== creds.apiKey) return { kind: 'bad_key' };
  const query = withoutSignature(req.rawQuery);
  const body = withoutSignature(req.rawBody);
  const signature = query.signature ?? body.signature;
  if (signature === undefined || signature === '') return { kind: 'missing_signature' };
  const payload = query.rest + body.rest;
  if (!sameSignature(hmacSha256Hex(creds.secret, payload), signature)) return { kind: 'bad_signature', payload };
  const params = new URLSearchParams(payload);
  const timestamp = integer(params.get('timestamp') ?? undefined);
  if (timestamp === undefined) return { kind: 'missing_timestamp' };
  const recvWindow = integer(params.get('recvWindow') ?? undefined) ?? 5000;
  if (recvWindow > 60_000) return { kind: 'recv_window_too_large', recvWindow };
  if (timestamp >= serverTime + FUTURE_TOLERANCE_MS || serverTime - timestamp > recvWindow) {
    return { kind: 'timestamp_outside_window', timestamp, serverTime, recvWindow };
  }
  return undefined;
}

// Websocket authentication.
// Bybit v5 private stream: {"op":"auth","args":[apiKey, expires, signature]}, signature =
//   hex HMAC-SHA256(secret, 'GET/realtime' + expires); refused once `expires` has passed.
// Binance WebSocket API (userDataStream.subscribe.signature and other signed methods): params carry
//   apiKey and timestamp; signature = hex HMAC-SHA256(secret, every other param as key=value, sorted
//   by key, joined with '&'); the same timestamp window as REST.

export function checkBybitSocketAuth(args: unknown, creds: Credentials, serverTime: number): AuthFailure | undefined {
  const [apiKey, expiresRaw, signature] = Array.isArray(args) ? args.map((a) => (typeof a === 'string' || typeof a === 'number' ? String(a) : undefined)) : [];
  if (apiKey === undefined || apiKey === '') return { kind: 'missing_key' };
  if (apiKey !== creds.apiKey) return { kind: 'bad_key' };
  const expires = integer(expiresRaw);
  if (expiresRaw === undefined || expires === undefined) return { kind: 'missing_timestamp' };
  if (expires <= serverTime) return { kind: 'timestamp_outside_window', timestamp: expires, serverTime, recvWindow: 0 };
  if (signature === undefined || signature === '') return { kind: 'missing_signature' };
  const payload = `GET/realtime${expiresRaw}`;
  if (!sameSignature(hmacSha256Hex(creds.secret, payload), signature)) return { kind: 'bad_signature', payload };
  return undefined;
}

export function checkBinanceSocketParams(params: Record<string, unknown>, creds: Credentials, serverTime: number): AuthFailure | undefined {
  const text = (key: string): string | undefined => {
    const value = params[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const apiKey = text('apiKey');
  if (apiKey === undefined || apiKey === '') return { kind: 'missing_key' };
  if (apiKey !== creds.apiKey) return { kind: 'bad_key' };
  const signature = text('signature');
  if (signature === undefined || signature === '') return { kind: 'missing_signature' };
  const payload = Object.keys(params)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${text(key) ?? ''}`)
    .join('&');
  if (!sameSignature(hmacSha256Hex(creds.secret, payload), signature)) return { kind: 'bad_signature', payload };
  const timestamp = integer(text('timestamp'));
  if (timestamp === undefined) return { kind: 'missing_timestamp' };
  const recvWindow = integer(text('recvWindow')) ?? 5000;
  if (recvWindow > 60_000) return { kind: 'recv_window_too_large', recvWindow };
  if (timestamp >= serverTime + FUTURE_TOLERANCE_MS || serverTime - timestamp > recvWindow) {
    return { kind: 'timestamp_outside_window', timestamp, serverTime, recvWindow };
  }
  return undefined;
}
