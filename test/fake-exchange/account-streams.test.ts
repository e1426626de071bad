// Positions and balances pushed on the private streams, proven with real ccxt pro: watchPositions
// (with and without the REST snapshot ccxt takes first) and watchBalance, on Bybit's private
// stream, Binance USDⓈ-M's listen-key stream and Binance spot's WebSocket API subscription.

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET, type ClientOptions } from './ccxt-client.js';
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

async function started(venue: Venue, options: { fees?: 'standard' } = {}): Promise<FakeExchange> {
  fake = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET, ...options });
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

describe('Bybit execution topic', () => {
  test('pushes each fill once, as execution/list lists it: ccxt watchMyTrades parses its id, order, price, amount and fee', async () => {
    const exchange = await started('bybit', { fees: 'standard' });
    exchange.setBalance('USDT', 10_000);
    const ex = bybit(exchange);
    await ex.loadMarkets();
    const first = ex.watchMyTrades();
    await subscribedTo(exchange, 'execution');
    const order = await ex.createOrder(PERP, 'market', 'buy', 0.1, undefined, { orderLinkId: 'exec-push-1' });
    const [pushed] = await within(first);
    const listed = await ex.fetchMyTrades(PERP, undefined, undefined, { orderId: order.id });
    expect(listed).toHaveLength(1);
    expect(pushed).toMatchObject({ id: listed[0]?.id, order: order.id, symbol: PERP, side: 'buy', amount: 0.1, price: listed[0]?.price, fee: { cost: listed[0]?.fee?.cost, currency: 'USDT' } });
    expect(pushed?.fee?.cost).toBeGreaterThan(0);
    // a resting order's later fill is pushed when it fills, and nothing for an order without a fill
    const resting = await ex.createOrder(PERP, 'limit', 'buy', 0.1, 50_000);
    const next = ex.watchMyTrades();
    exchange.setPrice('BTCUSDT', 49_000, 'linear');
    const [filled] = await within(next);
    expect(filled).toMatchObject({ order: resting.id, price: 50_000, amount: 0.1, takerOrMaker: 'maker' });
  });
});

describe('Bybit wallet topic', () => {
  test('pushes the unified wallet on a resting order, a fill, realised PnL and setBalance', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    const ex = bybit(exchange);
    await ex.loadMarkets();
    const coinRow = (balance: { info: unknown }): unknown => (balance.info as { coin: unknown[] }[])[0]?.coin[0];
    const first = ex.watchBalance();
    await subscribedTo(exchange, 'wallet');

    // a resting limit buy of 0.1 at 50 000 holds 500 USDT of order margin (10x). On the stream ccxt
    // takes the coin's `locked` (spot orders only) as used, and its equity as total, as with Bybit itself
    await ex.createOrder(PERP, 'limit', 'buy', 0.1, 50_000);
    const held = await within(first);
    expect(held['USDT']).toMatchObject({ total: 10_000, used: 0 });
    expect(coinRow(held)).toMatchObject({ coin: 'USDT', walletBalance: '10000', equity: '10000', totalOrderIM: '500', totalPositionIM: '0', locked: '0' });

    const filled = ex.watchBalance();
    exchange.setPrice('BTCUSDT', 49_000, 'linear');
    const inPosition = await within(filled);
    // equity: wallet 10 000 and -100 unrealised at 49 000; the order's margin is now the position's
    expect(inPosition['USDT']).toMatchObject({ total: 9_900 });
    expect(coinRow(inPosition)).toMatchObject({ walletBalance: '10000', unrealisedPnl: '-100', totalOrderIM: '0', totalPositionIM: '500' });

    const realised = ex.watchBalance();
    await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { reduceOnly: true });
    expect(coinRow(await within(realised))).toMatchObject({ walletBalance: '9900', equity: '9900', totalPositionIM: '0' });
    expect(exchange.getBalance('USDT')).toBe(9_900);

    const deposited = ex.watchBalance();
    exchange.setBalance('USDT', 12_000);
    expect((await within(deposited))['USDT']).toMatchObject({ total: 12_000, used: 0, free: 12_000 });
  });

  test('a spot order holds its coins as `locked`, which ccxt reads as used', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    const ex = bybit(exchange);
    await ex.loadMarkets();
    const first = ex.watchBalance();
    await subscribedTo(exchange, 'wallet');
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 50_000);
    expect((await within(first))['USDT']).toMatchObject({ total: 10_000, used: 5_000, free: 5_000 });
  });

  test('each push carries the account totals and the coins that changed, as wallet-balance does', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    exchange.setBalance('BTC', 0.5);
    const ex = bybit(exchange);
    await ex.loadMarkets();
    const first = ex.watchBalance();
    await subscribedTo(exchange, 'wallet');
    exchange.setBalance('BTC', 1);
    const balance = await within(first);
    expect(balance['BTC']).toMatchObject({ total: 1, free: 1, used: 0 });
    const [entry] = balance.info as Record<string, unknown>[];
    // 10 000 USDT + 1 BTC at 60 000
    expect(entry).toMatchObject({ accountType: 'UNIFIED', totalEquity: '70000', totalWalletBalance: '70000', totalAvailableBalance: '70000' });
    expect((entry?.['coin'] as { coin: string }[]).map((c) => c.coin)).toEqual(['BTC']);
  });

  test('REST fetchBalance: wallet balance, with order and position margin used', async () => {
    const exchange = await started('bybit');
    exchange.setBalance('USDT', 10_000);
    const ex = bybit(exchange);
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 1, 2_000);
    exchange.setPrice('BTCUSDT', 61_000, 'linear');
    // position margin 600 (entry 60 000), order margin 200; unrealised +100 is not in the wallet
    expect((await ex.fetchBalance())['USDT']).toMatchObject({ total: 10_000, used: 800, free: 9_200 });
    const [row] = (await ex.privateGetV5AccountWalletBalance({ accountType: 'UNIFIED' })).result.list as Record<string, unknown>[];
    expect(row).toMatchObject({ totalEquity: '10100', totalInitialMargin: '800', totalPerpUPL: '100' });
  });
});

describe('Binance USDⓈ-M balances (ACCOUNT_UPDATE.a.B)', () => {
  test('watchBalance follows fills (realised PnL) and deposits', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    exchange.setPosition('BTCUSDT', 0.1, { entryPrice: 59_000 });
    const ex = usdm(exchange, { options: NO_SNAPSHOT });
    await ex.loadMarkets();
    const first = ex.watchBalance();
    await subscribedTo(exchange, 'userData');
    await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { reduceOnly: true });
    expect((await within(first))['USDT']).toMatchObject({ total: 10_100 });

    const deposited = ex.watchBalance();
    exchange.setBalance('USDT', 10_600, 'futures');
    const balance = await within(deposited);
    expect(balance['USDT']).toMatchObject({ total: 10_600 });
    expect(balance.info).toMatchObject({ e: 'ACCOUNT_UPDATE', a: { m: 'DEPOSIT', B: [{ a: 'USDT', wb: '10600', cw: '10600', bc: '500' }], P: [] } });
  });

  test('REST fetchBalance (/fapi/v3/account): margin balance, initial margin used, the rest free', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'futures');
    const ex = usdm(exchange);
    await ex.createOrder(PERP, 'market', 'buy', 0.1);
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 50_000);
    exchange.setPrice('BTCUSDT', 61_000, 'linear');
    // position margin 600, order margin 50, +100 unrealised
    expect((await ex.fetchBalance())['USDT']).toMatchObject({ total: 10_100, used: 650, free: 9_450 });
    expect(exchange.requestCount('/fapi/v3/account')).toBe(1);
  });
});

describe('Binance spot outboundAccountPosition', () => {
  test('watchBalance on the WebSocket API subscription follows holds and fills', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'spot');
    const ex = binanceClient(exchange);
    closers.push(() => ex.close());
    await ex.loadMarkets();
    const first = ex.watchBalance();
    await subscribedTo(exchange, 'userData');

    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 50_000);
    const held = await within(first);
    expect(held['USDT']).toMatchObject({ free: 5_000, used: 5_000, total: 10_000 });
    expect(held.info).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'USDT', f: '5000.00000000', l: '5000.00000000' }] });

    const filled = ex.watchBalance();
    exchange.setPrice('BTCUSDT', 49_000, 'spot');
    const after = await within(filled);
    expect(after['USDT']).toMatchObject({ free: 5_000, used: 0, total: 5_000 });
    expect(after['BTC']).toMatchObject({ free: 0.1, used: 0, total: 0.1 });
  });

  test('REST fetchBalance (/api/v3/account): free and locked per asset', async () => {
    const exchange = await started('binance');
    exchange.setBalance('USDT', 10_000, 'spot');
    exchange.setBalance('BTC', 1, 'spot');
    const ex = binanceClient(exchange);
    await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.4, 70_000);
    const balance = await ex.fetchBalance();
    expect(balance['BTC']).toMatchObject({ total: 1, used: 0.4, free: 0.6 });
    expect(balance['USDT']).toMatchObject({ total: 10_000, used: 0, free: 10_000 });
  });
});
