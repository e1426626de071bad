// Positions and balances pushed on the private streams, proven with real ccxt pro: watchPositions
// (with and without the REST snapshot ccxt takes first) and watchBalance, on Bybit's private
// stream, Binance USDⓈ-M's listen-key stream and Binance spot's WebSocket API subscription.

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY, binanceUsdmClient, bybitClient, SECRET, type ClientOptions } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type Venue } from './index.js';
import { until, within } from './test-helpers.js';

const PERP = 'BTC/USDT:USDT';
const INVERSE = 'BTC/USD:BTC';

// as the app sets it: no signed REST probe of the account type before the stream's own auth
const BYBIT_UNIFIED = { enableUnifiedAccount: true, enableUnifiedMargin: false };
const NO_SNAPSHOT = { watchPositions: { fetchPositionsSnapshot: false } };

let fake: FakeExchange | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake?.close();
  fake = undefined;
});

async function started(venue: Venue): Promise<FakeExchange> {
  fake = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET });
  return fake;
}

function bybit(exchange: FakeExchange, options: Record<string, unknown> = {}) {
  const ex = bybitClient(exchange, { options: { ...BYBIT_UNIFIED, ...options } });
  closers.push(() => ex.close());
  return ex;
}

function usdm(exchange: FakeExchange, opts: ClientOptions = {}) {
  const ex = binanceUsdmClient(exchange, opts);
  closers.push(() => ex.close());
  return ex;
}

/** Resolves once the fake sees a subscription to `channel` (so no push can be missed). */
function subscribedTo(exchange: FakeExchange, channel: string): Promise<void> {
  return until(() => exchange.websocketStats().channels.includes(channel));
}

describe('Bybit position topic', () => {
  test('pushes each position change: a fill, setPosition, a close to zero', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    const ex = bybit(exchange, NO_SNAPSHOT);
    await ex.loadMarkets();
    const first = ex.watchPositions();
    await subscribedTo(exchange, 'position');

    await ex.createOrder(PERP, 'market', 'buy', 0.01);
    expect(await within(first)).toMatchObject([{ symbol: PERP, side: 'long', contracts: 0.01, entryPrice: 60_000, hedged: false }]);

    const adjusted = ex.watchPositions();
    exchange.setPosition('BTCUSDT', -0.05, { entryPrice: 59_000 });
    expect(await within(adjusted)).toMatchObject([{ symbol: PERP, side: 'short', contracts: 0.05, entryPrice: 59_000 }]);

    const closed = ex.watchPositions();
    await ex.createOrder(PERP, 'market', 'buy', 0.05, undefined, { reduceOnly: true });
    const [flat] = await within(closed);
    expect(flat).toMatchObject({ symbol: PERP, contracts: 0 });
    expect(flat?.side).toBeUndefined();
    // the row itself, as Bybit documents a closed position: size "0", side "", with its category
    expect(flat?.info).toMatchObject({ size: '0', side: '', category: 'linear', symbol: 'BTCUSDT', positionIdx: 0 });
    expect(exchange.websocketStats().accountPushes).toBe(3);
  });

  test('inverse positions come on the same topic, in contracts with their category', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('BTC', 1);
    const ex = bybit(exchange, NO_SNAPSHOT);
    await ex.loadMarkets();
    const first = ex.watchPositions();
    await subscribedTo(exchange, 'position');
    await ex.createOrder(INVERSE, 'market', 'sell', 100);
    const [position] = await within(first);
    expect(position).toMatchObject({ symbol: INVERSE, side: 'short', contracts: 100 });
    expect(position?.info).toMatchObject({ category: 'inverse', size: '100', side: 'Sell' });
  });

  test('the default snapshot reads every linear (by settle coin) and inverse position by REST first', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    exchange.setBalance('BTC', 1);
    exchange.setPosition('ETHUSDT', 2, { entryPrice: 3_000 });
    exchange.setPosition('BTCUSD', -500, { entryPrice: 61_000 });
    const ex = bybit(exchange);
    const snapshot = await within(ex.watchPositions());
    expect(snapshot.map((p) => [p.symbol, p.side, p.contracts]).sort()).toEqual([
      ['BTC/USD:BTC', 'short', 500],
      ['ETH/USDT:USDT', 'long', 2],
    ]);
    expect(exchange.requests('/v5/position/list').map((r) => r.params)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'linear', settleCoin: 'USDT' }),
        expect.objectContaining({ category: 'inverse' }),
      ]),
    );
    // ccxt answers the first watch with the snapshot alone and subscribes on the next one
    const next = ex.watchPositions();
    await subscribedTo(exchange, 'position');
    await ex.createOrder('ETH/USDT:USDT', 'market', 'sell', 2, undefined, { reduceOnly: true });
    expect(await within(next)).toMatchObject([{ symbol: 'ETH/USDT:USDT', contracts: 0 }]);
  });
});

describe('Binance USDⓈ-M ACCOUNT_UPDATE', () => {
  test('pushes positions on fills and setPosition, flat as pa "0"', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    const ex = usdm(exchange, { options: NO_SNAPSHOT });
    await ex.loadMarkets();
    const first = ex.watchPositions();
    await subscribedTo(exchange, 'userData');

    await ex.createOrder(PERP, 'market', 'buy', 0.01);
    expect(await within(first)).toMatchObject([{ symbol: PERP, side: 'long', contracts: 0.01, entryPrice: 60_000, hedged: false }]);

    const adjusted = ex.watchPositions();
    exchange.setPosition('BTCUSDT', -0.02, { entryPrice: 58_000 });
    expect(await within(adjusted)).toMatchObject([{ symbol: PERP, side: 'short', contracts: 0.02, entryPrice: 58_000 }]);

    const closed = ex.watchPositions();
    await ex.createOrder(PERP, 'market', 'buy', 0.02, undefined, { reduceOnly: true });
    const [flat] = await within(closed);
    expect(flat).toMatchObject({ symbol: PERP, contracts: 0 });
    expect(flat?.info).toMatchObject({ s: 'BTCUSDT', pa: '0', ps: 'BOTH', mt: 'cross' });
  });

  test('the default snapshot reads /fapi/v3/positionRisk for every symbol', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    exchange.setPosition('ETHUSDT', 1.5, { entryPrice: 3_000 });
    const ex = usdm(exchange);
    const snapshot = await within(ex.watchPositions());
    expect(snapshot).toMatchObject([{ symbol: 'ETH/USDT:USDT', side: 'long', contracts: 1.5, entryPrice: 3_000 }]);
    expect(exchange.requests('/fapi/v3/positionRisk').map((r) => r.params['symbol'])).toEqual([undefined]);
  });

  test('ACCOUNT_UPDATE of a fill comes before its ORDER_TRADE_UPDATE, with the settle balance and the leg', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    exchange.setPosition('BTCUSDT', 0.01, { entryPrice: 50_000 });
    const { listenKey } = (await (await fetch(`${exchange.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } })).json()) as { listenKey: string };
    const events: Record<string, unknown>[] = [];
    const socket = new WebSocket(`${exchange.url.replace('http', 'ws')}/private/ws?listenKey=${listenKey}`);
    closers.push(async () => socket.close());
    socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
    await new Promise((resolve) => socket.once('open', resolve));

    // closing 0.01 at 60 000 realises 100 USDT
    const ex = usdm(exchange);
    await ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    await until(() => events.length >= 2);
    expect(events.map((e) => e['e'])).toEqual(['ACCOUNT_UPDATE', 'ORDER_TRADE_UPDATE']);
    expect(events[0]).toMatchObject({
      a: {
        m: 'ORDER',
        B: [{ a: 'USDT', wb: '10100', cw: '10100', bc: '0' }],
        P: [{ s: 'BTCUSDT', pa: '0', ep: '0', cr: '100', up: '0', mt: 'cross', iw: '0', ps: 'BOTH' }],
      },
    });
    expect(typeof events[0]?.['E']).toBe('number');
    expect(typeof events[0]?.['T']).toBe('number');
  });

  test('a resting order moves no balance: nothing is pushed until it fills', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    const ex = usdm(exchange, { options: NO_SNAPSHOT });
    await ex.loadMarkets();
    const first = ex.watchPositions();
    await subscribedTo(exchange, 'userData');
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000);
    await expect(within(first, 300)).rejects.toThrow(/nothing within/);
    exchange.setPrice('BTCUSDT', 54_000, 'linear');
    expect(await within(first)).toMatchObject([{ symbol: PERP, side: 'long', contracts: 0.01, entryPrice: 55_000 }]);
  });
});
