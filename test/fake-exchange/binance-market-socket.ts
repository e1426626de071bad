// Binance's market streams as ccxt's watchTicker reaches them after the app's redirect: spot on
// /ws/<n> (stream.binance.com), USDⓈ-M on /market/ws/<n> (fstream.binance.com, which ccxt
// 4.5.84 splits by category: /public for book and trades, /market for the rest). A client
// `SUBSCRIBE`s to `<symbol>@miniTicker` (ccxt's default) or `<symbol>@ticker` ({"result":null,"id":n}
// answers), then gets the bare 24hrMiniTicker / 24hrTicker event on every change. Binance pushes tickers on a timer (every second on spot), so
// the first one comes soon after a subscribe whatever happens: the fake sends it at once.

import { miniTickerStreamEvent, tickerStreamEvent } from './binance-views.js';
import type { SocketContext, SocketSession } from './socket-server.js';
import type { VenueState } from './state.js';

export type MarketStreamSection = 'spot' | 'linear';

const SPOT_STREAM = /^\/(ws|stream)(\/\d+)?$/;
const FUTURES_STREAM = /^\/(market|public)\/(ws|stream)(\/\d+)?$/;

/** Which section's market streams a path reaches, if any. */
export function marketStreamSection(path: string): MarketStreamSection | undefined {
  if (SPOT_STREAM.test(path)) return 'spot';
  if (FUTURES_STREAM.test(path)) return 'linear';
  return undefined;
}

/** The ticker streams, by the name after the symbol, and the event each pushes. */
const TICKER_STREAMS = new Map([
  ['ticker', tickerStreamEvent],
  ['miniTicker', miniTickerStreamEvent],
]);

export function binanceMarketSession(state: VenueState, section: MarketStreamSection, { peer }: SocketContext): SocketSession {
  const streams = new Set<string>();

  /** The event a stream pushes about a market now; undefined for a stream the fake does not serve. */
  const eventOf = (stream: string): Record<string, unknown> | undefined => {
    const at = stream.indexOf('@');
    const view = TICKER_STREAMS.get(stream.slice(at + 1));
    const market = at > 0 ? state.market(stream.slice(0, at).toUpperCase(), section) : undefined;
    return view === undefined || market === undefined ? undefined : view(state, market);
  };

  return {
    subscribed: false,
    channels: () => [...streams],
    receive(message) {
      const id = message['id'] ?? null;
      const method = message['method'];
      const params = Array.isArray(message['params']) ? message['params'].filter((p): p is string => typeof p === 'string') : [];
      if (method === 'SUBSCRIBE') {
        const added = params.filter((stream) => !streams.has(stream));
        for (const stream of params) streams.add(stream);
        peer.send({ result: null, id });
        for (const stream of added) {
          const event = eventOf(stream);
          if (event !== undefined) peer.send(event);
        }
      } else if (method === 'UNSUBSCRIBE') {
        for (const stream of params) streams.delete(stream);
        peer.send({ result: null, id });
      } else if (method === 'LIST_SUBSCRIPTIONS') {
        peer.send({ result: [...streams], id });
      } else {
        peer.send({ error: { code: 2, msg: `Invalid request: unknown variant \`${String(method)}\`` }, id });
      }
    },
    orderUpdate: () => undefined,
    marketUpdate(market) {
      if (market.kind !== section) return [];
      const prefix = market.id.toLowerCase() + '@';
      return [...streams].filter((stream) => stream.startsWith(prefix)).flatMap((stream) => eventOf(stream) ?? []);
    },
  };
}
