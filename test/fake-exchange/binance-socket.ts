// Binance's user data streams as ccxt 4.5.84's watchOrders reaches them:
// - spot: the WebSocket API (/ws-api/v3), `userDataStream.subscribe.signature` with an HMAC-signed
//   apiKey + timestamp; events then arrive on the same connection as {subscriptionId, event}.
// - USDⓈ-M futures: a listenKey from REST (POST /fapi/v1/listenKey, API key header only), then
//   /private/ws?listenKey=... (the older /ws/<listenKey> too); events arrive bare.

import { randomBytes } from 'node:crypto';
import { binanceMarketSession, marketStreamSection } from './binance-market-socket.js';
import { accountUpdateView, algoUpdateView, executionReportView, orderTradeUpdateView, outboundAccountPositionView } from './binance-views.js';
import { jsonReply, headerValue, type ParsedRequest, type Reply, type Route } from './protocol.js';
import { checkBinanceSocketParams, FUTURE_TOLERANCE_MS, type AuthFailure, type Credentials } from './signing.js';
import type { SocketContext, SocketProtocol, SocketSession } from './socket-server.js';
import type { AccountChange, OrderRecord, VenueState } from './state.js';

const WS_API_PATH = '/ws-api/v3';
const FUTURES_STREAM_PATH = '/private/ws';
const LEGACY_FUTURES_PREFIX = '/ws/';

/** The futures listen key. Binance keeps one per account: asking again returns it and extends it. */
export class ListenKeys {
  #key: string | null = null;

  issue(): string {
    this.#key ??= randomBytes(32).toString('hex');
    return this.#key;
  }

  valid(key: string | null): boolean {
    return key !== null && key === this.#key;
  }

  get current(): string | null {
    return this.#key;
  }

  revoke(): void {
    this.#key = null;
  }
}

/** Binance's two -1021 texts: a clock ahead of the server's by a second or more, or a timestamp older than the window. */
export function timestampMessage(f: { timestamp: number; serverTime: number }): string {
  return f.timestamp >= f.serverTime + FUTURE_TOLERANCE_MS
    ? "Timestamp for this request was 1000ms ahead of the server's time."
    : 'Timestamp for this request is outside of the recvWindow.';
}

function socketAuthError(failure: AuthFailure): { code: number; msg: string } {
  switch (failure.kind) {
    case 'missing_key':
    case 'bad_key':
      return { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
    case 'missing_signature':
    case 'bad_signature':
      return { code: -1022, msg: 'Signature for this request is not valid.' };
    case 'missing_timestamp':
    case 'recv_window_too_large':
      return { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
    case 'timestamp_outside_window':
      return { code: -1021, msg: timestampMessage(failure) };
  }
}

function webSocketApiSession(state: VenueState, creds: Credentials, { peer, failure }: SocketContext): SocketSession {
  let subscriptionId: number | null = null;
  let nextSubscriptionId = 0;

  const ok = (id: unknown, result: unknown): void => peer.send({ id, status: 200, result, rateLimits: [] });
  const error = (id: unknown, status: number, body: { code: number; msg: string }): void => peer.send({ id, status, error: body });

  return {
    get subscribed() {
      return subscriptionId !== null;
    },
    channels: () => (subscriptionId === null ? [] : ['userData']),
    receive(message) {
      const id = message['id'];
      const method = message['method'];
      const params = typeof message['params'] === 'object' && message['params'] !== null ? (message['params'] as Record<string, unknown>) : {};
      if (method === 'ping') {
        ok(id, {});
      } else if (method === 'userDataStream.subscribe.signature') {
        const refused = failure() === 'auth' ? ({ kind: 'bad_key' } as const) : checkBinanceSocketParams(params, creds, state.now());
        if (refused !== undefined) {
          error(id, refused.kind === 'bad_key' || refused.kind === 'missing_key' ? 401 : 400, socketAuthError(refused));
          return;
        }
        subscriptionId = nextSubscriptionId++;
        ok(id, { subscriptionId });
      } else if (method === 'userDataStream.unsubscribe') {
        subscriptionId = null;
        ok(id, {});
      } else {
        error(id, 400, { code: -1000, msg: `Unknown method: ${String(method)}` });
      }
    },
    orderUpdate(order: OrderRecord) {
      if (subscriptionId === null || order.market.kind !== 'spot') return undefined;
      return { subscriptionId, event: executionReportView(order, `web_${randomBytes(10).toString('hex')}`, state.now()) };
    },
    accountUpdate(change: AccountChange) {
      const event = subscriptionId === null ? undefined : outboundAccountPositionView(state, change);
      return event === undefined ? [] : [{ subscriptionId, event }];
    },
  };
}

/** A listen key whose account refuses the stream (the test's 'auth' failure): closed as soon as it opens. */
function refusedStreamSession({ peer }: SocketContext): SocketSession {
  peer.close();
  return { subscribed: false, channels: () => [], receive: () => undefined, orderUpdate: () => undefined };
}

function futuresStreamSession(state: VenueState, { peer }: SocketContext): SocketSession {
  return {
    subscribed: true,
    channels: () => ['userData'],
    receive(message) {
      // the stream takes SUBSCRIBE and the like for market data; a user stream has nothing to add
      peer.send({ result: null, id: message['id'] ?? null });
    },
    orderUpdate(order: OrderRecord) {
      return order.market.kind === 'linear' ? orderTradeUpdateView(order, state.now()) : undefined;
    },
    accountUpdate(change: AccountChange) {
      const update = accountUpdateView(state, change);
      return update === undefined ? [] : [update];
    },
    conditionalUpdate(order) {
      return order.market.kind === 'linear' ? [algoUpdateView(order, state.now())] : [];
    },
  };
}

export function binanceSockets(state: VenueState, creds: Credentials, listenKeys: ListenKeys): SocketProtocol {
  return {
    accept(path, query) {
      if (path === WS_API_PATH) return (context) => webSocketApiSession(state, creds, context);
      const legacyKey = path.startsWith(LEGACY_FUTURES_PREFIX) ? path.slice(LEGACY_FUTURES_PREFIX.length) : undefined;
      // /ws/<n> is a spot market stream; /ws/<listen key> the older futures user data stream
      const section = legacyKey !== undefined && listenKeys.valid(legacyKey) ? undefined : marketStreamSection(path);
      if (section !== undefined) return (context) => binanceMarketSession(state, section, context);
      const listenKey = path === FUTURES_STREAM_PATH ? query.get('listenKey') : legacyKey;
      if (listenKey === undefined) return { status: 404, body: `no stream at ${path}` };
      if (!listenKeys.valid(listenKey)) return { status: 400, body: 'This listenKey does not exist.' };
      return (context) => (context.failure() === 'auth' ? refusedStreamSession(context) : futuresStreamSession(state, context));
    },
  };
}

/** POST/PUT/DELETE /fapi/v1/listenKey: the API key header alone, no signature (Binance's USER_STREAM security). */
export function listenKeyRoutes(creds: Credentials, listenKeys: ListenKeys): Route[] {
  const withKey = (handler: () => Reply) => (req: ParsedRequest): Reply => {
    if (headerValue(req.headers, 'x-mbx-apikey') !== creds.apiKey) return jsonReply(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    return handler();
  };
  const keepAlive = (): Reply => (listenKeys.current === null ? jsonReply(400, { code: -1125, msg: 'This listenKey does not exist.' }) : jsonReply(200, {}));
  return [
    { method: 'POST', path: '/fapi/v1/listenKey', signed: false, handle: withKey(() => jsonReply(200, { listenKey: listenKeys.issue() })) },
    { method: 'PUT', path: '/fapi/v1/listenKey', signed: false, handle: withKey(keepAlive) },
    {
      method: 'DELETE',
      path: '/fapi/v1/listenKey',
      signed: false,
      handle: withKey(() => {
        listenKeys.revoke();
        return jsonReply(200, {});
      }),
    },
  ];
}
