// Bybit v5's public streams (/v5/public/spot, /v5/public/linear, /v5/public/inverse) as ccxt's
// watchTicker uses them: `subscribe` to `tickers.<SYMBOL>`, answered, then a snapshot of the ticker;
// after that each change is pushed, as a delta of the fields that changed on contract markets and
// as a whole snapshot on spot (Bybit's spot tickers are snapshots only). `ping` is answered.

import { randomUUID } from 'node:crypto';
import { tickerStreamView } from './bybit-views.js';
import type { MarketSpec } from './markets.js';
import type { SocketContext, SocketSession } from './socket-server.js';
import type { VenueState } from './state.js';
import type { MarketKind } from './types.js';

export const PUBLIC_PATHS: ReadonlyMap<string, MarketKind> = new Map([
  ['/v5/public/spot', 'spot'],
  ['/v5/public/linear', 'linear'],
  ['/v5/public/inverse', 'inverse'],
]);

const TICKERS = 'tickers.';

export function bybitMarketSession(state: VenueState, kind: MarketKind, { peer }: SocketContext): SocketSession {
  const connId = randomUUID();
  /** What each subscribed topic last sent, so that a delta carries only what changed. */
  const sent = new Map<string, Record<string, string>>();
  let sequence = 1;

  const answer = (op: string, reqId: unknown, success: boolean, retMsg: string): void => {
    peer.send({ success, ret_msg: retMsg, conn_id: connId, ...(reqId === undefined ? {} : { req_id: reqId }), op });
  };

  const tickerMessage = (market: MarketSpec, full: boolean): Record<string, unknown> | undefined => {
    const topic = TICKERS + market.id;
    const view = tickerStreamView(state, market);
    const before = sent.get(topic);
    sent.set(topic, view);
    if (full || before === undefined || kind === 'spot') return { topic, type: 'snapshot', data: view, cs: sequence++, ts: state.now() };
    const changed = Object.entries(view).filter(([field, value]) => field !== 'symbol' && before[field] !== value);
    if (changed.length === 0) return undefined;
    return { topic, type: 'delta', data: { symbol: market.id, ...Object.fromEntries(changed) }, cs: sequence++, ts: state.now() };
  };

  return {
    subscribed: false,
    channels: () => [...sent.keys()],
    receive(message) {
      const op = message['op'];
      const reqId = message['req_id'];
      if (op === 'ping') {
        answer('ping', reqId, true, 'pong');
        return;
      }
      if (op !== 'subscribe' && op !== 'unsubscribe') {
        answer(typeof op === 'string' ? op : '', reqId, false, 'error:invalid op');
        return;
      }
      const args = Array.isArray(message['args']) ? message['args'].filter((a): a is string => typeof a === 'string') : [];
      const markets = args.map((topic) => (topic.startsWith(TICKERS) ? state.market(topic.slice(TICKERS.length), kind) : undefined));
      const unknown = args.filter((_, i) => markets[i] === undefined);
      if (unknown.length > 0) {
        answer(op, reqId, false, `Invalid symbol :[${unknown.join(',')}]`);
        return;
      }
      answer(op, reqId, true, op);
      for (const market of markets) {
        if (market === undefined) continue;
        if (op === 'unsubscribe') {
          sent.delete(TICKERS + market.id);
        } else if (!sent.has(TICKERS + market.id)) {
          const snapshot = tickerMessage(market, true);
          if (snapshot !== undefined) peer.send(snapshot);
        }
      }
    },
    orderUpdate: () => undefined,
    marketUpdate(market) {
      if (market.kind !== kind || !sent.has(TICKERS + market.id)) return [];
      const message = tickerMessage(market, false);
      return message === undefined ? [] : [message];
    },
  };
}
