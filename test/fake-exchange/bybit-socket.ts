// Bybit v5's private stream (/v5/private) as ccxt's watchOrders, watchPositions, watchMyTrades and
// watchBalance use it: `auth` with an HMAC signature, `subscribe` to `order`, `position`,
// `execution`, `wallet`, `ping`. Order changes are pushed as `order` topic messages whose rows are the
// REST order rows plus `category`; each fill as an `execution` row (the execution/list row plus
// `category`, as Bybit's docs show it); position changes as `position` rows (position/list rows plus
// `category`); wallet changes as the unified account's wallet-balance entry with the coins that changed.

import { randomUUID } from 'node:crypto';
import { bybitMarketSession, PUBLIC_PATHS } from './bybit-market-socket.js';
import { executionView, orderView, positionPushView, walletAccountView } from './bybit-views.js';
import { checkBybitSocketAuth, type Credentials } from './signing.js';
import type { SocketContext, SocketProtocol, SocketSession } from './socket-server.js';
import type { AccountChange, OrderRecord, VenueState } from './state.js';

const PRIVATE_PATH = '/v5/private';

function bybitSession(state: VenueState, creds: Credentials, { peer, failure }: SocketContext): SocketSession {
  const connId = randomUUID();
  const topics = new Set<string>();
  let authenticated = false;
  /** Fills already pushed on `execution`: an order announced again after its fill is not a new one. */
  const executed = new Set<string>();

  const answer = (op: string, reqId: unknown, success: boolean, retMsg = ''): void => {
    peer.send({ success, ret_msg: retMsg, conn_id: connId, ...(reqId === undefined ? {} : { req_id: reqId }), op });
  };

  return {
    get subscribed() {
      return authenticated && topics.has('order');
    },
    channels: () => (authenticated ? [...topics] : []),
    receive(message) {
      const op = message['op'];
      const reqId = message['req_id'];
      if (op === 'ping') {
        answer('ping', reqId, true, 'pong');
      } else if (op === 'auth') {
        const refused = failure() === 'auth' ? 'bad_key' : checkBybitSocketAuth(message['args'], creds, state.now())?.kind;
        authenticated = refused === undefined;
        // Bybit names no reason on the private stream; ccxt reads `request.op` to call it an AuthenticationError
        if (authenticated) answer('auth', reqId, true);
        else peer.send({ success: false, ret_msg: 'Request not authorized', conn_id: connId, op: 'auth', request: { op: 'auth', args: message['args'] } });
      } else if (op === 'subscribe' || op === 'unsubscribe') {
        if (!authenticated) {
          answer(op, reqId, false, 'Request not authorized');
          return;
        }
        const args = Array.isArray(message['args']) ? message['args'].filter((a): a is string => typeof a === 'string') : [];
        for (const topic of args) {
          if (op === 'subscribe') topics.add(topic);
          else topics.delete(topic);
        }
        answer(op, reqId, true);
      } else {
        answer(typeof op === 'string' ? op : '', reqId, false, `error:invalid op`);
      }
    },
    orderUpdate(order: OrderRecord) {
      if (!authenticated || !topics.has('order')) return undefined;
      return { id: randomUUID(), topic: 'order', creationTime: state.now(), data: [{ ...orderView(state, order), category: order.market.kind }] };
    },
    tradeUpdates(order: OrderRecord) {
      const trade = order.trade;
      if (!authenticated || !topics.has('execution') || trade === undefined || executed.has(trade.id)) return [];
      executed.add(trade.id);
      return [{ id: randomUUID(), topic: 'execution', creationTime: state.now(), data: [{ category: order.market.kind, ...executionView(state, trade) }] }];
    },
    accountUpdate(change: AccountChange) {
      if (!authenticated) return [];
      const messages: unknown[] = [];
      if (topics.has('position') && change.positions.length > 0) {
        messages.push({ id: randomUUID(), topic: 'position', creationTime: state.now(), data: change.positions.map((p) => positionPushView(state, p)) });
      }
      const coins = [...new Set(change.coins.map((c) => c.coin))];
      if (topics.has('wallet') && coins.length > 0) {
        messages.push({ id: randomUUID(), topic: 'wallet', creationTime: state.now(), data: [walletAccountView(state, coins)] });
      }
      return messages;
    },
  };
}

export function bybitSockets(state: VenueState, creds: Credentials): SocketProtocol {
  return {
    accept(path) {
      const publicKind = PUBLIC_PATHS.get(path);
      if (publicKind !== undefined) return (context) => bybitMarketSession(state, publicKind, context);
      if (path !== PRIVATE_PATH) return { status: 404, body: `no stream at ${path}` };
      return (context) => bybitSession(state, creds, context);
    },
  };
}
