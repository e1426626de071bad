import type { Exchange } from 'ccxt';

const WEBSOCKET_URL = /^wss?:\/\/[^/?#]+(.*)$/;

/** The websocket root for a base URL override: the same host and path prefix, ws for http and wss for https. */
export function websocketRoot(base: string): string {
  const root = base.replace(/\/+$/, '');
  if (root.startsWith('https://')) return `wss://${root.slice('https://'.length)}`;
  if (root.startsWith('http://')) return `ws://${root.slice('http://'.length)}`;
  throw new Error(`a base URL must be http(s), got ${base}`);
}

/** Every URL in ccxt's (nested) table of websocket URLs, sent to `root` with the exchange's own path and query. */
function redirected(table: unknown, root: string): unknown {
  if (typeof table === 'string') {
    // ccxt's URLs may hold placeholders such as {hostname}, which URL() refuses: match the text instead
    const match = WEBSOCKET_URL.exec(table);
    return match ? root + (match[1] ?? '') : table;
  }
  if (table && typeof table === 'object' && !Array.isArray(table)) {
    return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, redirected(value, root)]));
  }
  return table;
}

/**
 * Points the instance's websocket URLs (urls.api.ws, after any testnet/demo switch) at a base URL
 * override, as the REST side is redirected at the fetch layer: the paths stay the exchange's own
 * (/v5/private, /ws-api/v3, /private/ws), so one proxy or fake serves both on one host.
 * ws URLs carry no error mapping, so rewriting them loses nothing (unlike urls.api's REST entries).
 */
export function redirectWebsockets(exchange: Exchange, base: string): void {
  const api = exchange.urls.api;
  if (!api || typeof api !== 'object' || !('ws' in api)) return;
  exchange.urls.api = { ...api, ws: redirected(api['ws'], websocketRoot(base)) as typeof api[string] };
}
