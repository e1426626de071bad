// Public ticker streams, proven with real ccxt pro watchTicker through the app's websocket redirect:
// Bybit's /v5/public/{linear,inverse,spot} `tickers.<SYMBOL>` (snapshot, then deltas ccxt merges),
// Binance spot's and USDⓈ-M's `<symbol>@miniTicker` (ccxt's default) and `@ticker` market streams;
// and REST fetchTicker on each kind.

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type MarketKind, type Venue } from './index.js';
import { until, within } from './test-helpers.js';

let fake: FakeExchange | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake?.close();
  fake = undefined;
});

interface TickerWatcher {
  watchTicker(symbol: string): Promise<{ symbol?: string | undefined; last?: number | undefined; baseVolume?: number | undefined }>;
  fetchTicker(symbol: string): Promise<{ last?: number | undefined }>;
  createOrder(symbol: string, type: 'market', side: 'buy', amount: number): Promise<unknown>;
  loadMarkets(): Promise<unknown>;
  close(): Promise<void>;
}

interface Case {
  name: string;
  venue: Venue;
  client: (fake: FakeExchange) => TickerWatcher;
  symbol: string;
  id: string;
  kind: MarketKind;
  /** The stream subscription the fake sees. */
  channel: string;
  qty: number;
}

const BYBIT_UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

const CASES: Case[] = [
  { name: 'bybit linear', venue: 'bybit', client: (f) => bybitClient(f, BYBIT_UNIFIED), symbol: 'BTC/USDT:USDT', id: 'BTCUSDT', kind: 'linear', channel: 'tickers.BTCUSDT', qty: 0.01 },
  { name: 'bybit inverse', venue: 'bybit', client: (f) => bybitClient(f, BYBIT_UNIFIED), symbol: 'BTC/USD:BTC', id: 'BTCUSD', kind: 'inverse', channel: 'tickers.BTCUSD', qty: 100 },
  { name: 'bybit spot', venue: 'bybit', client: (f) => bybitClient(f, BYBIT_UNIFIED), symbol: 'ETH/USDT', id: 'ETHUSDT', kind: 'spot', channel: 'tickers.ETHUSDT', qty: 0.5 },
  { name: 'binance spot', venue: 'binance', client: (f) => binanceClient(f), symbol: 'BTC/USDT', id: 'BTCUSDT', kind: 'spot', channel: 'btcusdt@miniTicker', qty: 0.01 },
  { name: 'binance USDⓈ-M', venue: 'binance', client: (f) => binanceUsdmClient(f), symbol: 'ETH/USDT:USDT', id: 'ETHUSDT', kind: 'linear', channel: 'ethusdt@miniTicker', qty: 0.1 },
];

describe.each(CASES)('$name', (c) => {
  test('watchTicker: the current ticker after subscribing, then the last price after setPrice, then a fill', async () => {
    fake = await startFakeExchange({ venue: c.venue, apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 100_000);
    fake.setBalance('BTC', 10);
    const exchange = fake;
    const ex = c.client(exchange);
    closers.push(() => ex.close());
    await ex.loadMarkets();
    const start = exchange.getPrice(c.id, c.kind);
    expect(await within(ex.watchTicker(c.symbol))).toMatchObject({ symbol: c.symbol, last: start });
    expect(exchange.websocketStats().channels).toContain(c.channel);

    const moved = ex.watchTicker(c.symbol);
    exchange.setPrice(c.id, start * 1.02, c.kind);
    expect(await within(moved)).toMatchObject({ symbol: c.symbol, last: start * 1.02 });

    // a trade prints on the tape: the next push carries its volume
    const traded = ex.watchTicker(c.symbol);
    await ex.createOrder(c.symbol, 'market', 'buy', c.qty);
    expect((await within(traded)).baseVolume).toBe(c.qty);
    expect(exchange.websocketStats().tickerPushes).toBe(2);
    expect((await ex.fetchTicker(c.symbol)).last).toBe(start * 1.02);
  });
});

/** A raw client on a fake's stream path, keeping every JSON message it gets. */
async function rawSocket(exchange: FakeExchange, path: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] }> {
  const socket = new WebSocket(exchange.url.replace('http', 'ws') + path);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  closers.push(async () => socket.close());
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, messages };
}

describe('Bybit public stream messages', () => {
  test('linear: answered subscribe, a snapshot, then deltas holding only what changed', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    const { socket, messages } = await rawSocket(fake, '/v5/public/linear');
    socket.send(JSON.stringify({ op: 'subscribe', req_id: '7', args: ['tickers.BTCUSDT'] }));
    await until(() => messages.length >= 2);
    expect(messages[0]).toMatchObject({ success: true, op: 'subscribe', req_id: '7' });
    expect(messages[1]).toMatchObject({ topic: 'tickers.BTCUSDT', type: 'snapshot', data: { symbol: 'BTCUSDT', lastPrice: '60000.00', markPrice: '60000.00', fundingRate: '0.0001' } });

    fake.setPrice('BTCUSDT', 60_500, 'linear');
    await until(() => messages.length >= 3);
    const delta = messages[2] as { type: string; data: Record<string, string> };
    expect(delta.type).toBe('delta');
    expect(delta.data).toMatchObject({ symbol: 'BTCUSDT', lastPrice: '60500.00', markPrice: '60500.00', highPrice24h: '60500.00', tickDirection: 'PlusTick' });
    expect(Object.keys(delta.data)).not.toContain('fundingRate');
    expect(Object.keys(delta.data)).not.toContain('lowPrice24h');
    // the spot market of the same id is another stream
    fake.setPrice('BTCUSDT', 61_000, 'spot');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages).toHaveLength(3);
  });

  test('an unknown symbol is refused; ping is answered', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    const { socket, messages } = await rawSocket(fake, '/v5/public/spot');
    socket.send(JSON.stringify({ op: 'subscribe', req_id: '1', args: ['tickers.NOPEUSDT'] }));
    socket.send(JSON.stringify({ op: 'ping', req_id: '2' }));
    await until(() => messages.length >= 2);
    expect(messages[0]).toMatchObject({ success: false, op: 'subscribe', req_id: '1' });
    expect(messages[1]).toMatchObject({ success: true, op: 'ping', ret_msg: 'pong' });
  });
});

describe('Binance market stream messages', () => {
  test('USDⓈ-M /market/ws: SUBSCRIBE answered with result null, then bare 24hrTicker events', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const { socket, messages } = await rawSocket(fake, '/market/ws/0');
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 3 }));
    await until(() => messages.length >= 2);
    expect(messages[0]).toEqual({ result: null, id: 3 });
    expect(messages[1]).toMatchObject({ e: '24hrTicker', s: 'BTCUSDT', c: '60000.00', o: '60000.00' });
    expect(messages[1]).not.toHaveProperty('b');
    fake.setPrice('BTCUSDT', 59_000.5, 'linear');
    await until(() => messages.length >= 3);
    expect(messages[2]).toMatchObject({ e: '24hrTicker', s: 'BTCUSDT', c: '59000.50', l: '59000.50', p: '-999.50', P: '-1.666' });
    socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 4 }));
    await until(() => messages.length >= 4);
    expect(messages[3]).toEqual({ result: ['btcusdt@ticker'], id: 4 });
  });

  test('spot /ws: the event carries the book and the price before the window', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const { socket, messages } = await rawSocket(fake, '/ws/1');
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@ticker'], id: 1 }));
    await until(() => messages.length >= 2);
    expect(messages[1]).toMatchObject({ e: '24hrTicker', s: 'ETHUSDT', c: '3000.00000000', b: '3000.00000000', a: '3000.00000000', x: '3000.00000000' });
  });
});
