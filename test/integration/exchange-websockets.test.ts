// Open Limit orders followed over the exchanges' websockets: real ccxt pro against the fake
// exchange's streams, through POST /v1/order, the journal and the order events. A push settles an
// order without any REST lookup of it; with the stream refused, polling does; a push that never came
// is caught by the slow reconciliation; a stopping `apisify serve` leaves no socket or timer behind.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { createCcxtExchange } from '../../main/engine/exchanges/ccxt/ccxt-exchange.js';
import { CcxtVenue } from '../../main/engine/exchanges/ccxt/ccxt-venue.js';
import { ExchangeHealth } from '../../main/engine/exchanges/exchange-health.js';
import type { Venue } from '../../main/engine/exchanges/venue.js';
import { LiveAccounts } from '../../main/engine/accounts/live-accounts.js';
import { OrderFollower } from '../../main/engine/orders/order-follower.js';
import { openDatabase } from '../../main/engine/store/database.js';
import { Journal } from '../../main/engine/store/journal.js';
import { startFakeExchange, type FakeExchange, type MarketKind, type WebsocketFailure } from '../fake-exchange/index.js';
import { apisify, createKey, startServer, tempDataDir } from '../support/apisify-process.js';
import { silentLog, startTestEngine, type TestEngine } from '../support/engine.js';
import { postSignedOrder, type OrderCall } from '../support/signed-order.js';
import { eventually } from '../support/eventually.js';

const API_KEY = 'ws-exchange-key-0123456789';
const SECRET = 'ws-exchange-secret-abcdefghijklmnop';
/** The follower's default slow look at each order while its stream is live. */
const RECONCILE_MS = 20_000;

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybitFake: FakeExchange;
let binanceFake: FakeExchange;

interface Case {
  name: string;
  exchange: ExchangeName;
  strategy: 'perp' | 'spot';
  marketType: 'swap' | 'spot';
  kind: MarketKind;
  qty: number;
  /** Where ccxt looks an order up by REST (fetchOrder), to tell a push from a poll. */
  lookupPaths: string[];
  fake: () => FakeExchange;
}

const CASES: Case[] = [
  { name: 'bybit linear', exchange: 'bybit', strategy: 'perp', marketType: 'swap', kind: 'linear', qty: 0.01, lookupPaths: ['/v5/order/realtime', '/v5/order/history'], fake: () => bybitFake },
  { name: 'binance spot', exchange: 'binance', strategy: 'spot', marketType: 'spot', kind: 'spot', qty: 0.001, lookupPaths: ['/api/v3/order'], fake: () => binanceFake },
  { name: 'binance USDⓈ-M', exchange: 'binance', strategy: 'perp', marketType: 'swap', kind: 'linear', qty: 0.01, lookupPaths: ['/fapi/v1/order'], fake: () => binanceFake },
];

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 5_000, exchangeTimeoutMs: 2_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybitFake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  binanceFake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  for (const fake of [bybitFake, binanceFake]) {
    fake.setBalance('USDT', 1_000_000);
    fake.setBalance('BTC', 10);
  }
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybitFake.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binanceFake.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  engine.services.strategies.add({ name: 'spot', mode: 'live', marketType: 'spot', maxQty: null, symbols: [], exchanges: [], enabled: true });
});

afterAll(async () => {
  await engine?.stop();
  await bybitFake?.close();
  await binanceFake?.close();
});


function placeLimit(c: Case, price: number): Promise<OrderCall> {
  return postSignedOrder(engine.url, key, { strategy: c.strategy, exchange: c.exchange, order_type: 'Limit', side: 'Buy', qty: c.qty, price, symbol: 'BTCUSDT' });
}

interface PlacedLeg {
  id: number;
  exchangeOrderId: string;
  clientOrderId: string;
}

function legOf(call: OrderCall): PlacedLeg {
  expect(call.status, JSON.stringify(call.body)).toBe(200);
  expect(call.body.order?.status).toBe('open');
  const [leg] = call.body.order?.['orders'] as { exchange_order_id: string; client_order_id: string }[];
  return { id: call.body.order?.id as number, exchangeOrderId: leg?.exchange_order_id as string, clientOrderId: leg?.client_order_id as string };
}

/** REST lookups of one order (by its exchange id or its client id) the fake has seen so far. */
function lookups(c: Case, leg: PlacedLeg): number {
  return c
    .fake()
    .requests()
    .filter((r) => r.method === 'GET' && c.lookupPaths.includes(r.path))
    .filter((r) => r.params['orderId'] === leg.exchangeOrderId || r.params['orderLinkId'] === leg.clientOrderId || r.params['origClientOrderId'] === leg.clientOrderId).length;
}

/** The order events the engine publishes for one order, as the UI's event stream receives them. */
function eventsOf(orderId: number): { statuses: string[]; stop: () => void } {
  const statuses: string[] = [];
  const stop = engine.subscribe((event) => {
    if (event.type === 'order' && event.order.id === orderId) statuses.push(event.order.status);
  });
  return { statuses, stop };
}

const journaled = (id: number) => engine.services.journal.get(id);
const venueOf = async (c: Case): Promise<Venue> => (await engine.services.ccxt.venueFor(defaultAccountOf(c.exchange), c.marketType)) as Venue;
const streaming = async (c: Case): Promise<boolean> => engine.services.orders.follower.streaming(await venueOf(c));

async function waitUntilStreaming(c: Case, ms = 45_000): Promise<void> {
  const venue = await venueOf(c);
  expect(await eventually(() => engine.services.orders.follower.streaming(venue), (live) => live, ms)).toBe(true);
}

describe.each(CASES)('$name', (c) => {
  beforeAll(async () => {
    // A Limit far from the market keeps the account's stream open for the tests below, so the orders
    // they place are followed while it is live (the first one is looked up once it connects).
    legOf(await placeLimit(c, 30_000));
    await waitUntilStreaming(c);
  });

  it('a resting Limit placed through POST /v1/order is filled by a push, journaled and published', async () => {
    const leg = legOf(await placeLimit(c, 50_000));
    const events = eventsOf(leg.id);
    const looked = lookups(c, leg);
    const crossedAt = Date.now();
    c.fake().setPrice('BTCUSDT', 49_000, c.kind);
    try {
      const filled = await eventually(() => journaled(leg.id), (view) => view?.status === 'filled');
      expect(filled?.status).toBe('filled');
      expect(filled?.legs[0]).toMatchObject({ status: 'filled', filled: String(c.qty), averagePrice: '50000' });
      expect(Date.now() - crossedAt).toBeLessThan(RECONCILE_MS / 4);
      expect(lookups(c, leg)).toBe(looked);
      expect(c.fake().orderPushes(leg.exchangeOrderId)).toBeGreaterThanOrEqual(2);
      expect(events.statuses).toContain('filled');
    } finally {
      events.stop();
      c.fake().setPrice('BTCUSDT', 60_000, c.kind);
    }
  });

  it('a cancel from the exchange side is followed by its push', async () => {
    const leg = legOf(await placeLimit(c, 45_000));
    const events = eventsOf(leg.id);
    const looked = lookups(c, leg);
    c.fake().cancelOrder(leg.exchangeOrderId);
    const cancelled = await eventually(() => journaled(leg.id), (view) => view?.status === 'cancelled');
    events.stop();
    expect(cancelled?.legs[0]).toMatchObject({ status: 'cancelled', filled: '0' });
    expect(lookups(c, leg)).toBe(looked);
    expect(events.statuses).toContain('cancelled');
  });

  it('with the websocket refused, polling settles the order, and the stream comes back after', async () => {
    await settlesWithoutStream(c, 'refuse');
  });
});

describe('bybit answers a create with ids only', () => {
  const bybit = CASES[0] as Case;
  const placeMarket = () => postSignedOrder(engine.url, key, { strategy: bybit.strategy, exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: bybit.qty, symbol: 'BTCUSDT' });
  const filledLeg = (call: OrderCall): PlacedLeg => {
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
    const [leg] = call.body.order?.['orders'] as { exchange_order_id: string; client_order_id: string; filled: string }[];
    expect(leg?.filled).toBe(String(bybit.qty));
    return { id: call.body.order?.id as number, exchangeOrderId: leg?.exchange_order_id as string, clientOrderId: leg?.client_order_id as string };
  };

  it('while the stream is live, a Market order is answered filled from its push, with no REST look', async () => {
    await waitUntilStreaming(bybit);
    const leg = filledLeg(await placeMarket());
    expect(bybitFake.orderPushes(leg.exchangeOrderId)).toBeGreaterThanOrEqual(1);
    expect(lookups(bybit, leg)).toBe(0);
  });

  it("spot and contracts share the account's one stream, which answers a spot order too", async () => {
    await waitUntilStreaming(bybit);
    const contracts = await venueOf(bybit);
    const spot = (await engine.services.ccxt.venueFor(defaultAccountOf('bybit'), 'spot')) as Venue;
    expect(spot.accountStream?.()).toBe(contracts.accountStream?.());
    // Binance's spot and USDⓈ-M user data are two streams.
    const [, binanceSpot, binanceUsdm] = CASES as [Case, Case, Case];
    expect((await venueOf(binanceSpot)).accountStream?.()).not.toBe((await venueOf(binanceUsdm)).accountStream?.());

    const call = await postSignedOrder(engine.url, key, { strategy: 'spot', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.001, symbol: 'BTCUSDT' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
    const [leg] = call.body.order?.['orders'] as { exchange_order_id: string; client_order_id: string }[];
    const placed = { id: call.body.order?.id as number, exchangeOrderId: leg?.exchange_order_id as string, clientOrderId: leg?.client_order_id as string };
    expect(lookups(bybit, placed)).toBe(0);
    expect(bybitFake.websocketStats().subscribed).toBe(1);
  });

  it('when no push comes, one REST look tells the answer the state', async () => {
    await waitUntilStreaming(bybit);
    bybitFake.failWebsockets('silent');
    try {
      const leg = filledLeg(await placeMarket());
      expect(bybitFake.orderPushes(leg.exchangeOrderId)).toBe(0);
      expect(lookups(bybit, leg)).toBe(1);
      expect(await streaming(bybit)).toBe(true);
    } finally {
      bybitFake.failWebsockets(null);
    }
  });

  it('when neither a push nor the look tells the state, the answer says submitted and the next poll settles it', async () => {
    await waitUntilStreaming(bybit);
    bybitFake.failWebsockets('silent');
    bybitFake.failNext('server_error', { path: '/v5/order/realtime' });
    try {
      const call = await placeMarket();
      expect(call.status, JSON.stringify(call.body)).toBe(200);
      expect(call.body.order?.status).toBe('submitted');
      const [leg] = call.body.order?.['orders'] as { exchange_order_id: string; client_order_id: string }[];
      const placed = { id: call.body.order?.id as number, exchangeOrderId: leg?.exchange_order_id as string, clientOrderId: leg?.client_order_id as string };
      // Polled within seconds although the stream is up, not left for the 20 s reconciliation.
      const filled = await eventually(() => journaled(placed.id), (view) => view?.status === 'filled', 5_000);
      expect(filled?.legs[0]).toMatchObject({ status: 'filled', filled: String(bybit.qty) });
      expect(lookups(bybit, placed)).toBeGreaterThanOrEqual(2);
    } finally {
      bybitFake.failWebsockets(null);
    }
  });
});

describe('bybit with the stream refusing its credentials', () => {
  it('polling settles the order, and the stream authenticates again once the key is good', async () => {
    const [bybit] = CASES;
    await waitUntilStreaming(bybit as Case);
    await settlesWithoutStream(bybit as Case, 'auth');
  });
});

async function settlesWithoutStream(c: Case, failure: WebsocketFailure): Promise<void> {
  const fake = c.fake();
  fake.failWebsockets(failure);
  try {
    await expect.poll(() => streaming(c), { timeout: 5_000 }).toBe(false);
    const leg = legOf(await placeLimit(c, 50_000));
    const looked = lookups(c, leg);
    fake.setPrice('BTCUSDT', 49_000, c.kind);
    const filled = await eventually(() => journaled(leg.id), (view) => view?.status === 'filled');
    expect(filled?.legs[0]).toMatchObject({ status: 'filled', filled: String(c.qty) });
    expect(lookups(c, leg)).toBeGreaterThan(looked);
    expect(fake.orderPushes(leg.exchangeOrderId)).toBe(0);
  } finally {
    fake.setPrice('BTCUSDT', 60_000, c.kind);
    fake.failWebsockets(null);
  }
  await waitUntilStreaming(c);
}

/** Long enough for a poll or two to find nothing before it is over. */
const NOT_FOUND_GRACE_MS = 3_000;

describe('the follower on its own, with a short reconciliation', () => {
  let fake: FakeExchange;
  let journal: Journal;
  let venue: CcxtVenue;
  let follower: OrderFollower;
  let accounts: LiveAccounts;
  const published: number[] = [];

  beforeAll(async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 1_000_000);
    journal = new Journal(openDatabase(tempDataDir()));
    const instance = await createCcxtExchange({ exchange: 'bybit', marketType: 'swap', credentials: { apiKey: API_KEY, secret: SECRET }, baseUrl: fake.url, timeoutMs: 2_000, budget: null });
    await instance.loadMarkets();
    venue = new CcxtVenue(instance, defaultAccountOf('bybit'), 'swap', new ExchangeHealth());
    accounts = new LiveAccounts(silentLog);
    follower = new OrderFollower(journal, accounts, (orderId) => published.push(orderId), silentLog, { reconcileMs: 1_500, notFoundGraceMs: NOT_FOUND_GRACE_MS });
  });

  afterAll(async () => {
    follower?.stop();
    await accounts?.stop();
    await fake?.close();
  });

  /** Journals and places a resting Limit the way the order service does, then follows it. */
  async function restingLimit(price: number, clientOrderId: string): Promise<{ id: number; exchangeOrderId: string }> {
    const market = await venue.resolveMarket('BTCUSDT');
    const id = journal.record({ source: 'api', apiKeyId: null, strategy: 'perp', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'limit', qty: '0.01', price: String(price), memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
    journal.plan(id, 'buy 0.01', [{ leg: 1, clientOrderId, side: 'buy', type: 'limit', amount: '0.01', price: String(price), reduceOnly: false }], 'submitted');
    const outcome = await venue.submit(market, { clientOrderId, side: 'buy', type: 'limit', amount: 0.01, price, reduceOnly: false }, Promise.resolve());
    follower.record(id, 1, outcome);
    follower.follow({ orderId: id, leg: 1, clientOrderId, exchangeOrderId: outcome.exchangeOrderId, venue, market });
    return { id, exchangeOrderId: outcome.exchangeOrderId as string };
  }

  it('a push that never came is caught by the reconciliation poll while the stream stays live', async () => {
    await restingLimit(30_000, 'own-sentinel-1');
    expect(await eventually(() => follower.streaming(venue), (live) => live)).toBe(true);
    const order = await restingLimit(50_000, 'own-lost-push-1');
    fake.failWebsockets('silent');
    const pushed = fake.orderPushes(order.exchangeOrderId);
    fake.setPrice('BTCUSDT', 49_000, 'linear');
    const filled = await eventually(() => journal.get(order.id), (view) => view?.status === 'filled', 5_000);
    expect(filled?.status).toBe('filled');
    expect(fake.orderPushes(order.exchangeOrderId)).toBe(pushed);
    expect(follower.streaming(venue)).toBe(true);
    expect(published).toContain(order.id);
    fake.failWebsockets(null);
    fake.setPrice('BTCUSDT', 60_000, 'linear');
  });

  it('after the stream drops, what changed meanwhile is looked up and the stream reconnects', async () => {
    const order = await restingLimit(50_000, 'own-drop-1');
    fake.dropWebsockets();
    expect(await eventually(() => follower.streaming(venue), (live) => !live)).toBe(false);
    fake.setPrice('BTCUSDT', 49_000, 'linear');
    expect((await eventually(() => journal.get(order.id), (view) => view?.status === 'filled'))?.status).toBe('filled');
    expect(await eventually(() => follower.streaming(venue), (live) => live, 10_000)).toBe(true);
    fake.setPrice('BTCUSDT', 60_000, 'linear');
  });

  /** A leg journaled as sent whose create went unanswered (no exchange id), followed as the order service does then. */
  async function unansweredLeg(clientOrderId: string): Promise<number> {
    const market = await venue.resolveMarket('BTCUSDT');
    const id = journal.record({ source: 'api', apiKeyId: null, strategy: 'perp', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'limit', qty: '0.01', price: '30000', memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
    journal.plan(id, 'buy 0.01', [{ leg: 1, clientOrderId, side: 'buy', type: 'limit', amount: '0.01', price: '30000', reduceOnly: false }], 'submitted');
    journal.updateLeg(id, 1, { status: 'submitted', sentAt: new Date().toISOString() });
    follower.follow({ orderId: id, leg: 1, clientOrderId, exchangeOrderId: null, venue, market }, false);
    return id;
  }

  it('a leg whose create went unanswered and that the exchange does not know is not_sent once the grace is over', async () => {
    const id = await unansweredLeg('own-never-placed-1');
    const followedAt = Date.now();
    // Within the grace it stays as it was, though the exchange already answered "not there": it may record it late.
    const asked = (): number => fake.requests('/v5/order/realtime').filter((request) => request.params['orderLinkId'] === 'own-never-placed-1').length;
    expect(await eventually(asked, (count) => count > 0, NOT_FOUND_GRACE_MS)).toBeGreaterThan(0);
    expect(Date.now() - followedAt).toBeLessThan(NOT_FOUND_GRACE_MS);
    expect(journal.get(id)?.status).toBe('submitted');
    const settled = await eventually(() => journal.get(id), (view) => view?.status === 'not_sent', NOT_FOUND_GRACE_MS + 4_000);
    expect(Date.now() - followedAt).toBeGreaterThanOrEqual(NOT_FOUND_GRACE_MS);
    expect(settled?.legs[0]).toMatchObject({ status: 'not_sent', exchangeOrderId: null });
    expect(settled?.error).toMatchObject({ code: 'not_sent' });
    expect(settled?.error?.message).toMatch(/was not placed/);
    expect(fake.createdOrders().some((order) => order.clientOrderId === 'own-never-placed-1')).toBe(false);
  });

  it('a leg the exchange took but no longer returns stops being followed once the grace is over: its outcome is unknown, not "not sent"', async () => {
    const market = await venue.resolveMarket('BTCUSDT');
    const id = journal.record({ source: 'api', apiKeyId: null, strategy: 'perp', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'limit', qty: '0.01', price: '30000', memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
    journal.plan(id, 'buy 0.01', [{ leg: 1, clientOrderId: 'own-forgotten-1', side: 'buy', type: 'limit', amount: '0.01', price: '30000', reduceOnly: false }], 'open');
    journal.updateLeg(id, 1, { status: 'open', exchangeOrderId: 'an-id-the-exchange-forgot' });
    follower.follow({ orderId: id, leg: 1, clientOrderId: 'own-forgotten-1', exchangeOrderId: 'an-id-the-exchange-forgot', venue, market }, false);
    const settled = await eventually(() => journal.get(id), (view) => view?.status === 'error', NOT_FOUND_GRACE_MS + 4_000);
    expect(settled?.legs[0]).toMatchObject({ status: 'error', exchangeOrderId: 'an-id-the-exchange-forgot' });
    expect(settled?.error).toMatchObject({ code: 'outcome_unknown' });
  });

  it('a leg whose create went unanswered but that the exchange has is found by its client order id, not marked not_sent', async () => {
    const market = await venue.resolveMarket('BTCUSDT');
    // The create reached the exchange; only its answer was lost.
    await venue.submit(market, { clientOrderId: 'own-answer-lost-1', side: 'buy', type: 'limit', amount: 0.01, price: 30_000, reduceOnly: false }, Promise.resolve());
    const id = await unansweredLeg('own-answer-lost-1');
    const found = await eventually(() => journal.get(id), (view) => view?.status === 'open', 6_000);
    expect(found?.legs[0]?.exchangeOrderId).toBe(fake.createdOrders().find((order) => order.clientOrderId === 'own-answer-lost-1')?.orderId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(journal.get(id)?.status).toBe('open');
  });

  it('an older answer never takes a leg back from filled', async () => {
    const order = await restingLimit(40_000, 'own-monotonic-1');
    follower.record(order.id, 1, { exchangeOrderId: order.exchangeOrderId, status: 'filled', filled: 0.01, averagePrice: 40_000 });
    follower.record(order.id, 1, { exchangeOrderId: order.exchangeOrderId, status: 'open', filled: 0, averagePrice: null });
    expect(journal.get(order.id)?.legs[0]).toMatchObject({ status: 'filled', filled: '0.01' });
  });

  it("stopping the accounts closes the account's stream", async () => {
    expect(await eventually(() => fake.websocketStats().subscribed, (open) => open === 1)).toBe(1);
    follower.stop();
    await accounts.stop();
    expect(await eventually(() => fake.websocketStats().subscribed, (open) => open === 0, 3_000)).toBe(0);
    expect(follower.streaming(venue)).toBe(false);
  });
});

describe('apisify serve', () => {
  it('exits promptly on SIGTERM while order streams are open (no socket or timer left behind)', async () => {
    const fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 1_000_000);
    const dataDir = tempDataDir();
    try {
      expect((await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', '-', '--base-url', fake.url], { input: `${SECRET}\n` })).code).toBe(0);
      expect((await apisify(dataDir, ['strategy', 'add', 'live-perp', '--mode', 'live', '--market-type', 'swap'])).code).toBe(0);
      expect((await apisify(dataDir, ['strategy', 'add', 'live-spot', '--mode', 'live', '--market-type', 'spot'])).code).toBe(0);
      const cliKey = await createKey(dataDir);
      const server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
      for (const [strategy, qty] of [['live-perp', 0.01], ['live-spot', 0.001]] as const) {
        const call = await postSignedOrder(server.url, cliKey, { strategy, exchange: 'binance', order_type: 'Limit', side: 'Buy', qty, price: 40_000, symbol: 'BTCUSDT' });
        expect(call.body.order?.status, JSON.stringify(call.body)).toBe('open');
      }
      // both streams: the WebSocket API (spot) and the listen key stream, whose key ccxt renews from a timer
      expect(await eventually(() => fake.websocketStats().subscribed, (open) => open === 2, 10_000)).toBe(2);
      const stoppedAt = Date.now();
      const code = await Promise.race([server.stop('SIGTERM'), new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
      expect(code, server.stderr()).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(8_000);
      expect(fake.websocketStats().subscribed).toBe(0);
    } finally {
      await fake.close();
    }
  });
});

describe('the follower, when look-ups keep failing', () => {
  it('backs off (2×, 4×, … the poll interval) instead of asking every poll', async () => {
    const own = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    own.setBalance('USDT', 1_000_000);
    own.failWebsockets('refuse'); // no stream: the follower polls
    const journal = new Journal(openDatabase(tempDataDir()));
    const instance = await createCcxtExchange({ exchange: 'bybit', marketType: 'swap', credentials: { apiKey: API_KEY, secret: SECRET }, baseUrl: own.url, timeoutMs: 2_000, budget: null });
    await instance.loadMarkets();
    const venue = new CcxtVenue(instance, defaultAccountOf('bybit'), 'swap', new ExchangeHealth());
    const accounts = new LiveAccounts(silentLog);
    const follower = new OrderFollower(journal, accounts, () => undefined, silentLog, { pollMs: 200, reconcileMs: 60_000 });
    try {
      const market = await venue.resolveMarket('BTCUSDT');
      const id = journal.record({ source: 'api', apiKeyId: null, strategy: 'perp', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'limit', qty: '0.01', price: '30000', memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
      journal.plan(id, 'buy 0.01', [{ leg: 1, clientOrderId: 'own-backoff-1', side: 'buy', type: 'limit', amount: '0.01', price: '30000', reduceOnly: false }], 'submitted');
      const placed = await venue.submit(market, { clientOrderId: 'own-backoff-1', side: 'buy', type: 'limit', amount: 0.01, price: 30_000, reduceOnly: false }, Promise.resolve());
      own.failNext('rate_limit', { path: '/v5/order/realtime', count: 1_000 });
      const before = own.requestCount('/v5/order/realtime');
      follower.follow({ orderId: id, leg: 1, clientOrderId: 'own-backoff-1', exchangeOrderId: placed.exchangeOrderId, venue, market });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // Every 200 ms that is 15 look-ups; backing off from 400 ms, 5 at most.
      const asked = own.requestCount('/v5/order/realtime') - before;
      expect(asked).toBeGreaterThanOrEqual(2);
      expect(asked).toBeLessThanOrEqual(6);
    } finally {
      follower.stop();
      await accounts.stop();
      await own.close();
    }
  });
});
