// Maker and taker fees (fees: 'standard' or a schedule), proven with real ccxt: charged in the
// settle coin on contracts and in the received coin on spot, and shown where each exchange shows
// them (Bybit order cumExecFee / cumFeeDetail and /v5/execution/list; Binance spot fills,
// /api/v3/myTrades, /fapi/v1/userTrades, the user data stream's n / N / m / rp).

import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, STANDARD_FEES, type FakeExchange, type StartOptions } from './index.js';
import { until } from './test-helpers.js';

const PERP = 'BTC/USDT:USDT';
const SPOT = 'BTC/USDT';
const UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

let fake: FakeExchange | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function started(opts: Omit<StartOptions, 'apiKey' | 'secret'>): Promise<FakeExchange> {
  fake = await startFakeExchange({ ...opts, apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000);
  return fake;
}

describe('Bybit standard fees', () => {
  test('a taker pays 0.055 % on perpetuals, out of the wallet; ccxt reads it from the order and from execution/list', async () => {
    const exchange = await started({ venue: 'bybit', fees: 'standard' });
    const ex = bybitClient(exchange, UNIFIED);
    const placed = await ex.createOrder(PERP, 'market', 'buy', 0.1);
    // 6 000 USDT of notional × 0.00055
    expect(exchange.getBalance('USDT')).toBeCloseTo(9_996.7, 9);
    expect((await ex.fetchClosedOrder(idOf(placed), PERP)).fee).toEqual({ cost: 3.3, currency: 'USDT' });
    const [trade] = await ex.fetchMyTrades(PERP);
    expect(trade).toMatchObject({ order: placed.id, side: 'buy', amount: 0.1, price: 60_000, takerOrMaker: 'taker', fee: { cost: 3.3, currency: 'USDT', rate: 0.00055 } });
    // the position's realised PnL is net of it, as Bybit reports
    const [position] = await ex.fetchPositions([PERP]);
    expect(position?.info).toMatchObject({ cumRealisedPnl: '-3.3' });
    expect(await ex.fetchTradingFee(PERP)).toMatchObject({ maker: STANDARD_FEES.bybit.linear.maker, taker: STANDARD_FEES.bybit.linear.taker });
  });

  test('a resting limit that setPrice fills is the maker and pays 0.02 %', async () => {
    const exchange = await started({ venue: 'bybit', fees: 'standard' });
    const ex = bybitClient(exchange, UNIFIED);
    await ex.createOrder(PERP, 'limit', 'buy', 0.1, 50_000);
    exchange.setPrice('BTCUSDT', 49_000, 'linear');
    const [trade] = await ex.fetchMyTrades(PERP);
    expect(trade).toMatchObject({ price: 50_000, takerOrMaker: 'maker', fee: { cost: 1, currency: 'USDT', rate: 0.0002 } });
    expect(exchange.getBalance('USDT')).toBe(9_999);
  });

  test('on spot the fee comes out of what the order receives', async () => {
    const exchange = await started({ venue: 'bybit', fees: 'standard' });
    const ex = bybitClient(exchange, UNIFIED);
    await ex.createOrder(SPOT, 'market', 'buy', 0.1, undefined, { marketUnit: 'baseCoin' });
    expect(exchange.getBalance('BTC')).toBeCloseTo(0.0999, 12);
    expect(exchange.getBalance('USDT')).toBe(4_000);
    const [trade] = await ex.fetchMyTrades(SPOT);
    expect(trade?.fee).toMatchObject({ cost: 0.0001, currency: 'BTC' });
    expect(trade?.info).toMatchObject({ feeCurrency: 'BTC', isMaker: false });
  });
});

describe('Binance standard fees', () => {
  test('USDⓈ-M: a taker pays 0.05 %; userTrades and the stream carry the commission and the realised PnL', async () => {
    const exchange = await started({ venue: 'binance', fees: 'standard' });
    const { listenKey } = (await (await fetch(`${exchange.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } })).json()) as { listenKey: string };
    const updates: { e: string; o?: Record<string, unknown> }[] = [];
    const socket = new WebSocket(`${exchange.url.replace('http', 'ws')}/private/ws?listenKey=${listenKey}`);
    socket.on('message', (data: Buffer) => updates.push(JSON.parse(data.toString('utf8')) as { e: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    try {
      const ex = binanceUsdmClient(exchange);
      await ex.createOrder(PERP, 'market', 'buy', 0.1);
      exchange.setPrice('BTCUSDT', 61_000, 'linear');
      await ex.createOrder(PERP, 'market', 'sell', 0.1, undefined, { reduceOnly: true });
      // +100 realised, 3 + 3.05 of fees
      expect(exchange.getBalance('USDT', 'futures')).toBeCloseTo(10_093.95, 9);
      const trades = await ex.fetchMyTrades(PERP);
      expect(trades.map((t) => [t.side, t.takerOrMaker, t.fee?.cost, t.fee?.currency])).toEqual([
        ['buy', 'taker', 3, 'USDT'],
        ['sell', 'taker', 3.05, 'USDT'],
      ]);
      expect(trades[1]?.info).toMatchObject({ realizedPnl: '100', commission: '3.05', maker: false });
      await until(() => updates.filter((u) => u.e === 'ORDER_TRADE_UPDATE').length === 2);
      expect(updates.filter((u) => u.e === 'ORDER_TRADE_UPDATE').map((u) => [u.o?.['n'], u.o?.['N'], u.o?.['rp'], u.o?.['m']])).toEqual([
        ['3', 'USDT', '0', false],
        ['3.05', 'USDT', '100', false],
      ]);
      expect(await ex.fetchTradingFee(PERP)).toMatchObject({ maker: 0.0002, taker: 0.0005 });
    } finally {
      socket.close();
    }
  });

  test('spot: the FULL answer, myTrades and the account carry the commission, taken from the coin bought', async () => {
    const exchange = await started({ venue: 'binance', fees: 'standard' });
    const ex = binanceClient(exchange);
    const bought = await ex.createOrder(SPOT, 'market', 'buy', 0.1);
    expect(bought.info).toMatchObject({ fills: [{ price: '60000.00000000', qty: '0.10000000', commission: '0.00010000', commissionAsset: 'BTC' }] });
    expect(bought.fee).toEqual({ cost: 0.0001, currency: 'BTC' });
    const [trade] = await ex.fetchMyTrades(SPOT);
    expect(trade).toMatchObject({ order: bought.id, takerOrMaker: 'taker', fee: { cost: 0.0001, currency: 'BTC' } });
    const balance = await ex.fetchBalance();
    expect(balance['BTC']?.total).toBeCloseTo(0.0999, 12);
    expect(balance['USDT']?.total).toBe(4_000);
    expect(balance.info).toMatchObject({ makerCommission: 10, takerCommission: 10, commissionRates: { maker: '0.00100000', taker: '0.00100000' } });
  });
});

describe('a schedule of its own', () => {
  test('rates per market kind; kinds left out pay nothing; rates out of range are refused', async () => {
    const exchange = await started({ venue: 'binance', fees: { spot: { maker: 0.0005, taker: 0.00075 } } });
    exchange.setBalance('BTC', 1, 'spot');
    const ex = binanceClient(exchange);
    const sold = await ex.createOrder(SPOT, 'market', 'sell', 0.1);
    expect(sold.fee).toEqual({ cost: 4.5, currency: 'USDT' });
    expect(sold.info).toMatchObject({ fills: [{ commission: '4.50000000', commissionAsset: 'USDT' }] });
    const [trade] = await ex.fetchMyTrades(SPOT);
    expect(trade).toMatchObject({ takerOrMaker: 'taker', fee: { cost: 4.5, currency: 'USDT' } });
    expect((await ex.fetchBalance())['USDT']?.total).toBe(15_995.5);
    const futures = binanceUsdmClient(exchange);
    await futures.createOrder(PERP, 'market', 'buy', 0.01);
    expect(exchange.getBalance('USDT', 'futures')).toBe(10_000);
    await expect(startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, fees: { linear: { maker: -0.1, taker: 0 } } })).rejects.toThrow(/fee rates/);
  });
});
