// startFakeExchange: wires a venue's books, REST routes and websocket streams to one HTTP server
// and gives tests the handles to steer it (prices, balances, positions, failures) and to inspect
// what it saw.

import { binanceProtocol } from './binance-routes.js';
import { binanceSockets, ListenKeys } from './binance-socket.js';
import { bybitProtocol } from './bybit-routes.js';
import { bybitSockets } from './bybit-socket.js';
import type { MarketSpec } from './markets.js';
import { binanceLimiter } from './binance-limits.js';
import { bybitLimiter } from './bybit-limits.js';
import { startHttpServer } from './server.js';
import { FakeClock } from './clock.js';
import { attachSockets } from './socket-server.js';
import { toFakeOrder, toFakePosition, VenueState, type PositionSide } from './state.js';
import type { Account, FakeExchange, MarketKind, StartOptions } from './types.js';

export async function startFakeExchange(opts: StartOptions): Promise<FakeExchange> {
  const roundTripMs = opts.roundTripMs ?? 0;
  if (!Number.isFinite(roundTripMs) || roundTripMs < 0) throw new Error(`roundTripMs must be a finite number of ms >= 0, got ${roundTripMs}`);
  const clock = new FakeClock();
  clock.offsetMs = opts.clockOffsetMs ?? 0;
  const state = new VenueState(opts.venue, { clock, extraMarkets: opts.extraMarkets, fees: opts.fees });
  const creds = { apiKey: opts.apiKey, secret: opts.secret };
  const listenKeys = new ListenKeys();
  const protocol = opts.venue === 'bybit' ? bybitProtocol(state, creds) : binanceProtocol(state, creds, listenKeys);
  const limiter = opts.rateLimits === 'published' ? (opts.venue === 'bybit' ? bybitLimiter(clock) : binanceLimiter(clock)) : undefined;
  const http = await startHttpServer(protocol, { port: opts.port, limiter, roundTripMs });
  const sockets = attachSockets(http.server, opts.venue === 'bybit' ? bybitSockets(state, creds) : binanceSockets(state, creds, listenKeys), state, roundTripMs / 2);

  const marketsFor = (symbolId: string, kind?: MarketKind): MarketSpec[] => {
    const found = state.marketsById(symbolId, kind);
    if (found.length === 0) throw new Error(`${opts.venue} fake has no ${kind ?? ''} market ${symbolId}`);
    return found;
  };

  // Bybit has one unified wallet: asking for its "spot" or "futures" wallet means that one.
  const accountsFor = (account?: Account): Account[] => {
    if (account === undefined) return state.accounts;
    if (opts.venue === 'bybit') return ['unified'];
    if (!state.accounts.includes(account)) throw new Error(`binance fake has no ${account} account`);
    return [account];
  };

  return {
    venue: opts.venue,
    url: http.url,

    setPrice(symbolId, price, kind) {
      for (const market of marketsFor(symbolId, kind)) state.setPrice(market, price);
    },

    getPrice(symbolId, kind) {
      const [market] = marketsFor(symbolId, kind);
      if (market === undefined) throw new Error(`no market ${symbolId}`);
      return state.price(market);
    },

    setBalance(coin, amount, account) {
      for (const a of accountsFor(account)) state.adjustWallet(a, coin, amount);
    },

    getBalance(coin, account) {
      const [a] = accountsFor(account);
      if (a === undefined) throw new Error('no account');
      return state.wallet(a, coin);
    },

    setPosition(symbolId, signedQty, positionOpts = {}) {
      const contracts = marketsFor(symbolId, positionOpts.kind).filter((m) => m.kind !== 'spot');
      const [market] = contracts;
      if (market === undefined || contracts.length > 1) throw new Error(`no single contract market ${symbolId}`);
      const entry = positionOpts.entryPrice ?? state.price(market);
      if (!state.hedgeMode) {
        state.setPosition(market, 'both', signedQty, entry);
        return;
      }
      const leg: PositionSide | undefined = positionOpts.positionSide ?? (signedQty > 0 ? 'long' : signedQty < 0 ? 'short' : undefined);
      if (leg === undefined) {
        state.setPosition(market, 'long', 0, 0);
        state.setPosition(market, 'short', 0, 0);
        return;
      }
      if ((leg === 'long' && signedQty < 0) || (leg === 'short' && signedQty > 0)) {
        throw new Error(`a ${leg} leg cannot hold ${signedQty}`);
      }
      state.setPosition(market, leg, signedQty, entry);
    },

    positions() {
      return state.openPositions().map((p) => toFakePosition(state, p));
    },

    setHedgeMode(on) {
      if (on !== state.hedgeMode && state.openPositions().length > 0) {
        throw new Error('close positions before switching the position mode');
      }
      state.hedgeMode = on;
    },

    failNext(kind, failureOpts) {
      http.failures.add(kind, failureOpts);
    },

    setCredentials(apiKey, secret) {
      // the routes and streams hold this object: they check the new key from the next request on
      creds.apiKey = apiKey;
      creds.secret = secret;
    },

    setClockOffset(ms) {
      if (!Number.isFinite(ms)) throw new Error(`a clock offset must be a finite number of ms, got ${ms}`);
      clock.offsetMs = ms;
    },

    setTriggerLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`a trigger latency must be a finite number of ms >= 0, got ${ms}`);
      state.conditionals.triggerLatencyMs = ms;
    },

    createdOrders() {
      return state.orders.map(toFakeOrder);
    },

    requestCount(path) {
      return http.requestCount(path);
    },

    requests(path) {
      return http.requests(path);
    },

    rateLimitRefusals() {
      return http.rateLimitRefusals();
    },

    cancelOrder(orderId) {
      const order = state.findOrder({ orderId });
      if (order === undefined) throw new Error(`${opts.venue} fake has no order ${orderId}`);
      return toFakeOrder(state.cancelOrder({ orderId }, order.market));
    },

    failWebsockets(kind) {
      sockets.fail(kind);
    },

    dropWebsockets() {
      sockets.drop();
    },

    websocketStats() {
      return sockets.stats();
    },

    orderPushes(orderId) {
      return sockets.orderPushes(orderId);
    },

    close() {
      // upgraded connections are no longer the HTTP server's: end them first, or close() waits for them
      sockets.close();
      return http.close();
    },
  };
}
