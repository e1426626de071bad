// Real ccxt (binanceusdm class) against the fake's USDⓈ-M futures.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ExchangeError, InvalidOrder, MarginModeAlreadySet, OrderNotFound } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const PERP = 'BTC/USDT:USDT';

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000, 'futures');
});

afterEach(async () => {
  await fake.close();
});

describe('market data and account', () => {
  test('loadMarkets: perpetuals with contractType, filters and settle asset', async () => {
    const ex = binanceUsdmClient(fake);
    await ex.loadMarkets();
    expect(Object.keys(ex.markets ?? {}).sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const market = ex.market(PERP);
    expect(market).toMatchObject({ id: 'BTCUSDT', swap: true, linear: true, settle: 'USDT', contractSize: 1 });
    expect(market.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(market.limits.cost?.min).toBe(100);
  });

  test('binance with defaultType swap reaches the same futures endpoints', async () => {
    const ex = binanceClient(fake, { options: { defaultType: 'swap', fetchMarkets: { types: ['spot', 'linear'] } } });
    await ex.loadMarkets();
    expect((await ex.fetchBalance())['USDT']?.total).toBe(10_000);
    await ex.createOrder(PERP, 'market', 'buy', 0.01);
    expect(fake.createdOrders()).toMatchObject([{ marketKind: 'linear' }]);
  });

  test('fetchTicker, fetchBalance (futures wallet only), fetchPositionMode', async () => {
    const ex = binanceUsdmClient(fake);
    fake.setPrice('BTCUSDT', 64_000.3, 'linear');
    expect((await ex.fetchTicker(PERP)).last).toBe(64_000.3);
    const balance = await ex.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: 10_000, free: 10_000, used: 0 });
    expect(fake.getBalance('USDT', 'spot')).toBe(0);
    expect((await ex.fetchPositionMode(PERP)).hedged).toBe(false);
  });
});

describe('orders', () => {
  test('market order fills, opens a position and holds margin', async () => {
    const ex = binanceUsdmClient(fake);
    fake.setPrice('BTCUSDT', 50_000, 'linear');
    const order = await ex.createOrder(PERP, 'market', 'buy', 0.02, undefined, { clientOrderId: 'usdm-1' });
    expect(order).toMatchObject({ status: 'closed', filled: 0.02, average: 50_000, clientOrderId: 'usdm-1' });
    const [position] = await ex.fetchPositions([PERP]);
    expect(position).toMatchObject({ symbol: PERP, side: 'long', contracts: 0.02, entryPrice: 50_000, hedged: false });
    // 0.02 * 50 000 / 10 = 100 USDT of initial margin
    expect((await ex.fetchBalance())['USDT']).toMatchObject({ used: 100, free: 9_900 });
  });

  test('limit order by client id: fetch, fill on price cross, and cancel', async () => {
    const ex = binanceUsdmClient(fake);
    const buy = await ex.createOrder(PERP, 'limit', 'buy', 0.01, 59_000, { clientOrderId: 'usdm-lim' });
    const sell = await ex.createOrder(PERP, 'limit', 'sell', 0.01, 65_000, { clientOrderId: 'usdm-tp' });
    expect((await ex.fetchOpenOrders(PERP)).map((o) => o.clientOrderId).sort()).toEqual(['usdm-lim', 'usdm-tp']);
    const byClientId = await ex.fetchOrder('', PERP, { clientOrderId: 'usdm-lim' });
    expect(byClientId).toMatchObject({ id: buy.id, status: 'open', price: 59_000 });
    fake.setPrice('BTCUSDT', 58_900, 'linear');
    expect(await ex.fetchOrder(idOf(buy), PERP)).toMatchObject({ status: 'closed', filled: 0.01, average: 59_000 });
    const cancelled = await ex.cancelOrder('', PERP, { clientOrderId: 'usdm-tp' });
    expect(cancelled).toMatchObject({ id: sell.id, status: 'canceled', clientOrderId: 'usdm-tp' });
    await expect(ex.cancelOrder(idOf(sell), PERP)).rejects.toBeInstanceOf(OrderNotFound);
    await expect(ex.fetchOrder('', PERP, { clientOrderId: 'never-sent' })).rejects.toBeInstanceOf(OrderNotFound);
  });

  test('open orders without a symbol need warnWithoutSymbol switched off', async () => {
    const ex = binanceUsdmClient(fake);
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 50_000);
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'sell', 0.1, 4_000);
    await expect(ex.fetchOpenOrders()).rejects.toThrow(/warnWithoutSymbol/);
    const quiet = binanceUsdmClient(fake, { options: { fetchOpenOrders: { warnWithoutSymbol: false } } });
    expect((await quiet.fetchOpenOrders()).map((o) => o.symbol).sort()).toEqual([PERP, 'ETH/USDT:USDT']);
  });

  test('a duplicate client id of an open order is -4116 InvalidOrder', async () => {
    const ex = binanceUsdmClient(fake);
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000, { clientOrderId: 'usdm-dup' });
    const again = ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000, { clientOrderId: 'usdm-dup' });
    await expect(again).rejects.toBeInstanceOf(InvalidOrder);
    await expect(ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000, { clientOrderId: 'usdm-dup' })).rejects.toThrow(/-4116/);
  });

  test('a post-only (GTX) order that would take is accepted and expires; IOC that cannot fill expires too', async () => {
    const ex = binanceUsdmClient(fake);
    const postOnly = await ex.createOrder(PERP, 'limit', 'buy', 0.01, 61_000, { postOnly: true });
    expect(postOnly).toMatchObject({ status: 'expired', filled: 0, postOnly: true });
    const ioc = await ex.createOrder(PERP, 'limit', 'buy', 0.01, 59_000, { timeInForce: 'IOC' });
    expect(ioc.status).toBe('expired');
    expect(fake.positions()).toEqual([]);
    expect(await ex.fetchOpenOrders(PERP)).toEqual([]);
  });

  test('notional under the minimum is -4164 unless reduce-only', async () => {
    const ex = binanceUsdmClient(fake);
    // 0.001 BTC at 60 000 is 60 USDT, under the 100 USDT minimum
    await expect(ex.createOrder(PERP, 'market', 'buy', 0.001)).rejects.toThrow(/-4164/);
    fake.setPosition('BTCUSDT', 0.001);
    await ex.createOrder(PERP, 'market', 'sell', 0.001, undefined, { reduceOnly: true });
    expect(fake.positions()).toEqual([]);
  });
});

describe('reduce-only and hedge mode', () => {
  test('reduce-only without a position is -2022 InvalidOrder', async () => {
    const ex = binanceUsdmClient(fake);
    await expect(ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true })).rejects.toThrow(/-2022/);
    await expect(ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true })).rejects.toBeInstanceOf(InvalidOrder);
  });

  test('reduce-only closes at most the position and realises PnL into the wallet', async () => {
    const ex = binanceUsdmClient(fake);
    fake.setPosition('BTCUSDT', -0.1, { entryPrice: 60_000 });
    fake.setPrice('BTCUSDT', 57_000, 'linear');
    const order = await ex.createOrder(PERP, 'market', 'buy', 0.25, undefined, { reduceOnly: true });
    expect(order).toMatchObject({ filled: 0.1, reduceOnly: true });
    expect(await ex.fetchPositions([PERP])).toEqual([]);
    // short 0.1 from 60 000 to 57 000 earns 300 USDT
    expect(fake.getBalance('USDT', 'futures')).toBeCloseTo(10_300, 6);
  });

  test('hedge mode: setPositionMode, positionSide LONG/SHORT, and closing one leg', async () => {
    const ex = binanceUsdmClient(fake);
    // with a symbol, ccxt's setPositionMode needs the markets but does not load them itself
    await ex.loadMarkets();
    await ex.setPositionMode(true, PERP);
    expect((await ex.fetchPositionMode(PERP)).hedged).toBe(true);
    // one-way orders no longer match the account's setting
    await expect(ex.createOrder(PERP, 'market', 'buy', 0.01)).rejects.toThrow(/-4061/);
    await ex.createOrder(PERP, 'market', 'buy', 0.03, undefined, { hedged: true });
    await ex.createOrder(PERP, 'market', 'sell', 0.02, undefined, { hedged: true });
    const positions = await ex.fetchPositions([PERP]);
    expect(positions.map((p) => [p.side, p.contracts, p.hedged]).sort()).toEqual([
      ['long', 0.03, true],
      ['short', 0.02, true],
    ]);
    // ccxt sends hedged + reduceOnly as SELL with positionSide LONG and no reduceOnly
    await ex.createOrder(PERP, 'market', 'sell', 0.03, undefined, { hedged: true, reduceOnly: true });
    expect(fake.positions()).toMatchObject([{ positionSide: 'short', qty: -0.02 }]);
    // a raw reduceOnly in hedge mode is refused, as on Binance
    await expect(ex.createOrder(PERP, 'market', 'buy', 0.02, undefined, { positionSide: 'SHORT', reduceOnly: true })).rejects.toThrow(
      /-1106/,
    );
    // and the mode cannot change while a position is open
    await expect(ex.setPositionMode(false, PERP)).rejects.toThrow(/-4068/);
  });
});

describe('margin type and leverage brackets', () => {
  test('setMarginMode switches the market; the same mode again is -4046 MarginModeAlreadySet (unless ccxt is told not to throw), and a market with a position refuses -4048', async () => {
    const ex = binanceUsdmClient(fake);
    await ex.setMarginMode('isolated', PERP);
    expect(fake.requests('/fapi/v1/marginType')[0]?.params).toMatchObject({ symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    const [risk] = (await ex.fapiPrivateV2GetPositionRisk({ symbol: 'BTCUSDT' })) as Record<string, unknown>[];
    expect(risk).toMatchObject({ marginType: 'isolated', isolated: true });
    await expect(ex.setMarginMode('isolated', PERP)).rejects.toBeInstanceOf(MarginModeAlreadySet);
    await expect(ex.setMarginMode('isolated', PERP)).rejects.toThrow(/-4046/);
    const lenient = binanceUsdmClient(fake, { options: { setMarginMode: { throwMarginModeAlreadySet: false } } });
    expect(await lenient.setMarginMode('isolated', PERP)).toMatchObject({ code: -4046 });
    await ex.createOrder(PERP, 'market', 'buy', 0.01);
    await expect(ex.setMarginMode('cross', PERP)).rejects.toBeInstanceOf(ExchangeError);
    await expect(ex.setMarginMode('cross', PERP)).rejects.toThrow(/Margin type cannot be changed if there exists position/);
  });

  test('fetchLeverageTiers reads /fapi/v1/leverageBracket', async () => {
    const ex = binanceUsdmClient(fake);
    const tiers = await ex.fetchLeverageTiers([PERP]);
    expect(tiers[PERP]?.[0]).toMatchObject({ tier: 1, minNotional: 0, maxNotional: 50_000, maxLeverage: 125, maintenanceMarginRate: 0.004 });
    expect(tiers[PERP]?.[1]).toMatchObject({ tier: 2, minNotional: 50_000, maxLeverage: 50 });
  });
});
