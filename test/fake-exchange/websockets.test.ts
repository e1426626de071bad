// The websocket side: real ccxt pro watchOrders against the fake's streams (Bybit's private stream,
// Binance's WebSocket API for spot and listen-key stream for USDⓈ-M), their authentication, the
// pushes for created, filled and cancelled orders, and the failures tests can ask for.

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { AuthenticationError, NetworkError } from '../../node_modules/ccxt/js/src/base/errors.js';
import type { Order } from '../../node_modules/ccxt/js/src/base/types.js';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET, type ClientOptions, type Environment } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type MarketKind, type Venue } from './index.js';
import { until, within } from './test-helpers.js';

interface Watcher {
  apiKey: string;
  secret: string;
  watchOrders(): Promise<Order[]>;
  createOrder(symbol: string, type: 'limit', side: 'buy', amount: number, price: number, params: Record<string, unknown>): Promise<Order>;
  loadMarkets(): Promise<unknown>;
  close(): Promise<void>;
}

interface Case {
  name: string;
  venue: Venue;
  client: (fake: FakeExchange, opts?: ClientOptions) => Watcher;
  symbol: string;
  kind: MarketKind;
  qty: number;
  /** Merged into ccxt's options. */
  options?: Record<string, unknown>;
}

const WRONG_SECRET = { secret: 'not-the-secret-at-all-0123456789' };
// a USDⓈ-M listen key needs the API key alone (no signature): a wrong key is what it refuses
const WRONG_KEY = { apiKey: 'not-the-api-key-0123456789' };

// as the app sets it: no signed REST probe of the account type before the stream's own auth
const BYBIT_UNIFIED = { enableUnifiedAccount: true, enableUnifiedMargin: false };

const CASES: (Case & { wrong: ClientOptions })[] = [
  { name: 'bybit linear', venue: 'bybit', client: bybitClient, symbol: 'BTC/USDT:USDT', kind: 'linear', qty: 0.01, options: BYBIT_UNIFIED, wrong: WRONG_SECRET },
  { name: 'bybit spot', venue: 'bybit', client: bybitClient, symbol: 'BTC/USDT', kind: 'spot', qty: 0.01, options: BYBIT_UNIFIED, wrong: WRONG_SECRET },
  { name: 'binance spot', venue: 'binance', client: binanceClient, symbol: 'BTC/USDT', kind: 'spot', qty: 0.01, wrong: WRONG_SECRET },
  { name: 'binance USDⓈ-M', venue: 'binance', client: binanceUsdmClient, symbol: 'BTC/USDT:USDT', kind: 'linear', qty: 0.01, wrong: WRONG_KEY },
];

/** ccxt's own reconnect backoff off, so a test that reconnects does not wait for it. */
const NO_BACKOFF = { ws: { backoff: { base: 0 } } };

let fake: FakeExchange | undefined;
const clients: Watcher[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await fake?.close();
  fake = undefined;
});

async function setUp(c: Case, opts: ClientOptions = {}): Promise<{ fake: FakeExchange; ex: Watcher }> {
  fake = await startFakeExchange({ venue: c.venue, apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 100_000);
  const ex = c.client(fake, { ...opts, options: { ...NO_BACKOFF, ...c.options } });
  clients.push(ex);
  await ex.loadMarkets();
  return { fake, ex };
}

/** Starts watching and waits until the fake has the subscription, so no push can be missed. */
async function subscribed(ex: Watcher, onFake: FakeExchange): Promise<{ first: Promise<Order[]> }> {
  const first = ex.watchOrders();
  first.catch(() => undefined);
  await until(() => onFake.websocketStats().subscribed === 1);
  return { first };
}

describe.each(CASES)('$name', (c) => {
  test('pushes a resting limit when created, filled by setPrice, and cancelled from the exchange side', async () => {
    const { fake: exchange, ex } = await setUp(c);
    const { first } = await subscribed(ex, exchange);
    const placed = await ex.createOrder(c.symbol, 'limit', 'buy', c.qty, 50_000, { clientOrderId: 'ws-test-1' });
    const created = (await within(first)).at(-1);
    expect(created).toMatchObject({ id: placed.id, clientOrderId: 'ws-test-1', status: 'open', filled: 0, symbol: c.symbol });

    const fills = ex.watchOrders();
    exchange.setPrice('BTCUSDT', 49_000, c.kind);
    expect((await within(fills)).at(-1)).toMatchObject({ id: placed.id, clientOrderId: 'ws-test-1', status: 'closed', filled: c.qty, average: 50_000 });
    expect(exchange.orderPushes(placed.id as string)).toBe(2);

    // a push that comes while nobody waits is delivered with the next one: wait before acting
    const resting = ex.watchOrders();
    const second = await ex.createOrder(c.symbol, 'limit', 'buy', c.qty, 45_000, { clientOrderId: 'ws-test-2' });
    await within(resting);
    const cancels = ex.watchOrders();
    exchange.cancelOrder(second.id as string);
    expect((await within(cancels)).at(-1)).toMatchObject({ id: second.id, clientOrderId: 'ws-test-2', status: 'canceled', filled: 0 });
    expect(exchange.websocketStats()).toMatchObject({ connections: 1, refused: 0, subscribed: 1, pushes: 4 });
  });

  test('wrong credentials are refused, and nothing is pushed', async () => {
    const { fake: exchange, ex } = await setUp(c);
    // markets were loaded with the right ones (Bybit signs that call too): only the stream sees these
    Object.assign(ex, c.wrong);
    await expect(within(ex.watchOrders())).rejects.toBeInstanceOf(AuthenticationError);
    expect(exchange.websocketStats().subscribed).toBe(0);
  });

  test("failWebsockets('auth') refuses the stream's credentials and drops open streams", async () => {
    const { fake: exchange, ex } = await setUp(c);
    const { first: open } = await subscribed(ex, exchange);
    exchange.failWebsockets('auth');
    await expect(within(open)).rejects.toBeInstanceOf(NetworkError);
    await expect(within(ex.watchOrders())).rejects.toThrow();
    expect(exchange.websocketStats().subscribed).toBe(0);
    exchange.failWebsockets(null);
    await subscribed(ex, exchange);
  });

  test("failWebsockets('refuse') answers upgrades with 503 until lifted; dropWebsockets ends open streams", async () => {
    const { fake: exchange, ex } = await setUp(c);
    exchange.failWebsockets('refuse');
    await expect(within(ex.watchOrders())).rejects.toBeInstanceOf(NetworkError);
    expect(exchange.websocketStats()).toMatchObject({ connections: 0, subscribed: 0 });
    expect(exchange.websocketStats().refused).toBeGreaterThan(0);
    exchange.failWebsockets(null);
    const { first: open } = await subscribed(ex, exchange);
    exchange.dropWebsockets();
    await expect(within(open)).rejects.toBeInstanceOf(NetworkError);
    await until(() => exchange.websocketStats().subscribed === 0);
  });

  test("failWebsockets('silent') keeps the stream up and pushes nothing", async () => {
    const { fake: exchange, ex } = await setUp(c);
    const { first } = await subscribed(ex, exchange);
    exchange.failWebsockets('silent');
    const placed = await ex.createOrder(c.symbol, 'limit', 'buy', c.qty, 50_000, { clientOrderId: 'ws-silent-1' });
    exchange.setPrice('BTCUSDT', 49_000, c.kind);
    await expect(within(first, 300)).rejects.toThrow(/nothing within/);
    expect(exchange.orderPushes(placed.id as string)).toBe(0);
    expect(exchange.websocketStats().subscribed).toBe(1);
    exchange.failWebsockets(null);
    exchange.cancelOrder((await ex.createOrder(c.symbol, 'limit', 'buy', c.qty, 45_000, { clientOrderId: 'ws-silent-2' })).id as string);
    expect((await within(first)).at(-1)).toMatchObject({ clientOrderId: 'ws-silent-2' });
  });
});

describe.each([
  ['bybit testnet', 'bybit', bybitClient, 'testnet', 'BTC/USDT:USDT', 'linear'],
  ['binance spot testnet', 'binance', binanceClient, 'testnet', 'BTC/USDT', 'spot'],
  ['binance USDⓈ-M demo', 'binance', binanceUsdmClient, 'demo', 'BTC/USDT:USDT', 'linear'],
] as const)('%s', (name, venue, client, env: Environment, symbol, kind) => {
  test('the test environment reaches the same streams by their paths', async () => {
    const { fake: exchange, ex } = await setUp({ name, venue, client, symbol, kind, qty: 0.01 }, { env });
    const { first } = await subscribed(ex, exchange);
    const placed = await ex.createOrder(symbol, 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'ws-env-1' });
    expect((await within(first)).at(-1)).toMatchObject({ id: placed.id, status: 'open' });
  });
});

describe('Binance listen keys (USDⓈ-M)', () => {
  const listenKey = (method: string, apiKey: string | null) =>
    fetch(`${(fake as FakeExchange).url}/fapi/v1/listenKey`, { method, headers: apiKey === null ? {} : { 'X-MBX-APIKEY': apiKey } });

  test('one key per account, kept alive by PUT, gone after DELETE; the API key header is required', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    expect((await listenKey('POST', null)).status).toBe(401);
    expect((await listenKey('POST', 'someone-else')).status).toBe(401);
    const first = (await (await listenKey('POST', API_KEY)).json()) as { listenKey: string };
    const again = (await (await listenKey('POST', API_KEY)).json()) as { listenKey: string };
    expect(first.listenKey).toMatch(/^[0-9a-f]{64}$/);
    expect(again.listenKey).toBe(first.listenKey);
    expect((await listenKey('PUT', API_KEY)).status).toBe(200);
    expect((await listenKey('DELETE', API_KEY)).status).toBe(200);
    const expired = await listenKey('PUT', API_KEY);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
  });

  test('a stream with an unknown listen key is refused', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${fake?.url.replace('http', 'ws')}/private/ws?listenKey=nope`);
      socket.on('error', () => resolve(fake?.websocketStats().refused ?? -1));
    });
    expect(refused).toBe(1);
  });
});
