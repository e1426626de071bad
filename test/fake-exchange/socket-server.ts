// The websocket side, on the HTTP server's own port (as the exchanges' streams are reached through
// the same --base-url host): upgrades go to the venue's socket protocol, order changes in the books
// are pushed to the sessions subscribed to them, and tests can refuse or drop connections.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConditionalRecord } from './conditional-orders.js';
import type { MarketSpec } from './markets.js';
import type { AccountChange, OrderRecord, VenueState } from './state.js';
import type { WebsocketFailure, WebsocketStats } from './types.js';

export interface SocketPeer {
  send(message: unknown): void;
  /** The client is told the server went away (close code 1001). */
  close(): void;
}

export interface SocketSession {
  /** A JSON text frame from the client. */
  receive(message: Record<string, unknown>): void;
  /** True while the session gets order pushes. */
  readonly subscribed: boolean;
  /** What the session is subscribed to now (topics, streams), for tests to wait on. */
  channels(): string[];
  /** The message this session gets for an order change; undefined when it is not subscribed to it. */
  orderUpdate(order: OrderRecord): unknown;
  /** The messages this session gets for an order's fill on a trade topic of its own (Bybit's `execution`); none when not subscribed. */
  tradeUpdates?(order: OrderRecord): unknown[];
  /** The messages this session gets for a change of positions or balances (none when not subscribed). */
  accountUpdate?(change: AccountChange): unknown[];
  /** The messages this session gets for a market's new price or trade (ticker streams); none when not subscribed. */
  marketUpdate?(market: MarketSpec): unknown[];
  /** The messages this session gets for a conditional (algo) order's change. */
  conditionalUpdate?(order: ConditionalRecord): unknown[];
}

export interface SocketRefusal {
  status: number;
  body: string;
}

export interface SocketContext {
  peer: SocketPeer;
  /** The failure a test asked for, read when the client authenticates or connects. */
  failure: () => WebsocketFailure | null;
}

export interface SocketProtocol {
  /** How an upgrade request to `path` opens its session, or the HTTP answer that refuses it. */
  accept(path: string, query: URLSearchParams): ((context: SocketContext) => SocketSession) | SocketRefusal;
}

export interface Sockets {
  fail(kind: WebsocketFailure | null): void;
  drop(): void;
  stats(): WebsocketStats;
  orderPushes(orderId: string): number;
  close(): void;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' };

function refuse(socket: Duplex, refusal: SocketRefusal): void {
  const body = Buffer.from(refusal.body);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${REASONS[refusal.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${refusal.body}`,
  );
}

/**
 * `oneWayMs`: how long a message takes each way. A push leaves that long after the change it tells
 * of (its text is taken at the change), and a client's message is read that long after it came.
 */
export function attachSockets(server: Server, protocol: SocketProtocol, state: VenueState, oneWayMs = 0): Sockets {
  const wss = new WebSocketServer({ noServer: true });
  const inFlight = new Set<NodeJS.Timeout>();
  const open = new Map<WebSocket, SocketSession>();
  const pushesByOrder = new Map<string, number>();
  let failure: WebsocketFailure | null = null;
  let connections = 0;
  let refused = 0;
  let pushes = 0;
  let accountPushes = 0;
  let tickerPushes = 0;

  /** Runs `fn` after the one-way delay (at once without one); timers with one delay keep their order. */
  const afterOneWay = (fn: () => void): void => {
    if (oneWayMs === 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      inFlight.delete(timer);
      fn();
    }, oneWayMs);
    inFlight.add(timer);
  };

  const send = (client: WebSocket, message: unknown): void => {
    if (client.readyState !== 1) return;
    const text = JSON.stringify(message);
    afterOneWay(() => {
      if (client.readyState === 1) client.send(text);
    });
  };

  const dropAll = (): void => {
    for (const client of open.keys()) client.close(1001, 'going away');
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const opening = failure === 'refuse' ? { status: 503, body: 'websockets refused by the test' } : protocol.accept(url.pathname, url.searchParams);
    if (typeof opening !== 'function') {
      refused += 1;
      refuse(socket, opening);
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      const session = opening({
        peer: { send: (message) => send(client, message), close: () => client.close(1001, 'going away') },
        failure: () => failure,
      });
      connections += 1;
      open.set(client, session);
      client.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(data.toString('utf8'));
        } catch {
          client.close(1003, 'not JSON');
          return;
        }
        if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
          const received = message as Record<string, unknown>;
          afterOneWay(() => {
            if (client.readyState === 1) session.receive(received);
          });
        }
      });
      client.on('close', () => open.delete(client));
      client.on('error', () => open.delete(client));
    });
  });

  const stopListening = state.onOrderChange((order) => {
    if (failure === 'silent') return;
    for (const [client, session] of open) {
      const update = session.orderUpdate(order);
      if (update !== undefined) {
        send(client, update);
        pushes += 1;
        pushesByOrder.set(order.orderId, (pushesByOrder.get(order.orderId) ?? 0) + 1);
      }
      for (const trade of session.tradeUpdates?.(order) ?? []) send(client, trade);
    }
  });

  const stopAccountListening = state.onAccountChange((change) => {
    if (failure === 'silent') return;
    for (const [client, session] of open) {
      for (const update of session.accountUpdate?.(change) ?? []) {
        send(client, update);
        accountPushes += 1;
      }
    }
  });

  const stopConditionalListening = state.conditionals.onChange((order) => {
    if (failure === 'silent') return;
    for (const [client, session] of open) {
      for (const update of session.conditionalUpdate?.(order) ?? []) {
        send(client, update);
        pushes += 1;
        pushesByOrder.set(order.id, (pushesByOrder.get(order.id) ?? 0) + 1);
      }
    }
  });

  const stopMarketListening = state.onMarketChange((market) => {
    if (failure === 'silent') return;
    for (const [client, session] of open) {
      for (const update of session.marketUpdate?.(market) ?? []) {
        send(client, update);
        tickerPushes += 1;
      }
    }
  });

  return {
    fail(kind) {
      failure = kind;
      if (kind === 'refuse' || kind === 'auth') dropAll();
    },
    drop: dropAll,
    stats: () => ({
      connections,
      refused,
      subscribed: [...open.values()].filter((s) => s.subscribed).length,
      pushes,
      accountPushes,
      tickerPushes,
      channels: [...open.values()].flatMap((s) => s.channels()).sort(),
    }),
    orderPushes: (orderId) => pushesByOrder.get(orderId) ?? 0,
    close() {
      stopListening();
      stopAccountListening();
      stopMarketListening();
      stopConditionalListening();
      for (const timer of inFlight) clearTimeout(timer);
      inFlight.clear();
      for (const client of open.keys()) client.terminate();
      open.clear();
      wss.close();
    },
  };
}
