// Real ccxt (bybit class, no method mocked) against the fake: markets, tickers, balances,
// positions and orders on spot, linear and inverse markets.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BadRequest, InvalidOrder, OrderNotFound } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, bybitClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const LINEAR = 'BTC/USDT:USDT';
const INVERSE = 'BTC/USD:BTC';
const SPOT = 'BTC/USDT';

let fake: FakeExchange;

beforeEach(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000);
  fake.setBalance('BTC', 1);
});

afterEach(async () => {
  await fake.close();
});

describe('markets and prices', () => {
  test('loadMarkets lists spot, linear and inverse markets with real filters', async () => {
    const ex = bybitClient(fake);
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USD:BTC', 'BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT', 'ETH/USDT:USDT']);
    const linear = ex.market(LINEAR);
    expect(linear).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', contractSize: 1 });
    expect(linear.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(linear.limits.amount?.min).toBe(0.001);
    expect(linear.limits.cost?.min).toBe(5);
    expect(ex.market(INVERSE)).toMatchObject({ id: 'BTCUSD', inverse: true, settle: 'BTC', contractSize: 1 });
    expect(ex.market(SPOT).precision.amount).toBe(0.000001);
    // with keys, ccxt asks for currencies through a signed call while loading markets
    expect(fake.requestCount('/v5/asset/coin/query-info')).toBe(1);
    expect(ex.amountToPrecision(LINEAR, 0.0123456)).toBe('0.012');
  });

  test('declaring the account unified skips the account-type lookups before trading', async () => {
    const ex = bybitClient(fake, { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } });
    await ex.createOrder(LINEAR, 'market', 'buy', 0.01);
    expect((await ex.fetchBalance())['USDT']?.used).toBe(60);
    expect(fake.requestCount('/v5/user/query-api')).toBe(0);
    expect(fake.requestCount('/v5/account/info')).toBe(0);
    const probing = bybitClient(fake);
    await probing.fetchBalance();
    expect(fake.requestCount('/v5/user/query-api')).toBe(1);
    expect(fake.requestCount('/v5/account/info')).toBe(1);
  });

  test('fetchTicker follows setPrice, per market kind', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('BTCUSDT', 61_234.5, 'linear');
    expect((await ex.fetchTicker(LINEAR)).last).toBe(61_234.5);
    expect((await ex.fetchTicker(SPOT)).last).toBe(60_000);
    fake.setPrice('BTCUSDT', 59_000);
    expect((await ex.fetchTicker(SPOT)).last).toBe(59_000);
    expect((await ex.fetchTicker(LINEAR)).last).toBe(59_000);
  });

  test('fetchBalance reports the unified wallet, with margin in use', async () => {
    const ex = bybitClient(fake);
    let balance = await ex.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: 10_000, free: 10_000, used: 0 });
    // 0.1 BTC at 60 000 with the default 10x leverage holds 600 USDT of margin
    await ex.createOrder(LINEAR, 'market', 'buy', 0.1);
    balance = await ex.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: 10_000, used: 600, free: 9_400 });
  });
});

describe('orders on linear perpetuals', () => {
  test('a market order fills at the set price and opens a position', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('BTCUSDT', 50_000, 'linear');
    const placed = await ex.createOrder(LINEAR, 'market', 'buy', 0.02, undefined, { clientOrderId: 'entry-1' });
    expect(placed.clientOrderId).toBe('entry-1');
    const order = await ex.fetchOrder(idOf(placed), LINEAR, { acknowledged: true });
    expect(order).toMatchObject({ status: 'closed', filled: 0.02, average: 50_000, side: 'buy', type: 'market' });
    const [position] = await ex.fetchPositions([LINEAR]);
    expect(position).toMatchObject({ symbol: LINEAR, side: 'long', contracts: 0.02, entryPrice: 50_000, hedged: false });
    expect(fake.createdOrders()).toMatchObject([
      { clientOrderId: 'entry-1', symbol: 'BTCUSDT', marketKind: 'linear', side: 'buy', type: 'market', qty: 0.02, status: 'filled' },
    ]);
  });

  test('a limit order rests until the price crosses it, then fills at its price', async () => {
    const ex = bybitClient(fake);
    const placed = await ex.createOrder(LINEAR, 'limit', 'buy', 0.01, 58_000, { clientOrderId: 'dip-1' });
    const open = await ex.fetchOpenOrders(LINEAR);
    expect(open.map((o) => o.id)).toEqual([placed.id]);
    expect(open[0]).toMatchObject({ status: 'open', price: 58_000, remaining: 0.01 });
    fake.setPrice('BTCUSDT', 58_500, 'linear');
    expect((await ex.fetchOpenOrder(idOf(placed), LINEAR)).status).toBe('open');
    fake.setPrice('BTCUSDT', 57_900, 'linear');
    expect(await ex.fetchOpenOrders(LINEAR)).toEqual([]);
    const closed = await ex.fetchClosedOrder(idOf(placed), LINEAR);
    expect(closed).toMatchObject({ status: 'closed', filled: 0.01, average: 58_000 });
    const [position] = await ex.fetchPositions([LINEAR]);
    expect(position).toMatchObject({ contracts: 0.01, entryPrice: 58_000 });
  });

  test('open orders listed without a symbol keep their market (linear by settle coin, spot by type)', async () => {
    const ex = bybitClient(fake);
    await ex.createOrder(LINEAR, 'limit', 'buy', 0.01, 50_000);
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'sell', 0.1, 4_000);
    await ex.createOrder(SPOT, 'limit', 'buy', 0.001, 50_000);
    const contracts = await ex.fetchOpenOrders();
    expect(contracts.map((o) => o.symbol).sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const spot = await ex.fetchOpenOrders(undefined, undefined, undefined, { type: 'spot' });
    expect(spot.map((o) => o.symbol)).toEqual([SPOT]);
  });

  test('cancelOrder cancels a resting order; a second cancel is OrderNotFound', async () => {
    const ex = bybitClient(fake);
    const placed = await ex.createOrder(LINEAR, 'limit', 'sell', 0.01, 70_000);
    await ex.cancelOrder(idOf(placed), LINEAR);
    const order = await ex.fetchOrder(idOf(placed), LINEAR, { acknowledged: true });
    expect(order.status).toBe('canceled');
    await expect(ex.cancelOrder(idOf(placed), LINEAR)).rejects.toBeInstanceOf(OrderNotFound);
    fake.setPrice('BTCUSDT', 71_000, 'linear');
    expect(fake.positions()).toEqual([]);
  });

  test('an order is found by client order id after the fact', async () => {
    const ex = bybitClient(fake);
    await ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lookup-me' });
    const found = await ex.fetchOpenOrders(LINEAR, undefined, undefined, { orderLinkId: 'lookup-me' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ clientOrderId: 'lookup-me', status: 'closed', filled: 0.01 });
    const history = await ex.fetchClosedOrders(LINEAR, undefined, undefined, { orderLinkId: 'lookup-me' });
    expect(history.map((o) => o.clientOrderId)).toEqual(['lookup-me']);
    expect(await ex.fetchOpenOrders(LINEAR, undefined, undefined, { orderLinkId: 'never-sent' })).toEqual([]);
  });

  test('a reused orderLinkId is refused as InvalidOrder, even after the first order filled', async () => {
    const ex = bybitClient(fake);
    await ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' });
    await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' })).rejects.toThrow(/110072/);
    await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' })).rejects.toBeInstanceOf(InvalidOrder);
    expect(fake.createdOrders()).toHaveLength(1);
  });

  test('quantity below the minimum or notional below 5 USDT is refused', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('ETHUSDT', 100, 'linear');
    // 0.01 ETH at 100 is 1 USDT, under the 5 USDT minimum order value
    await expect(ex.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01)).rejects.toThrow(/110094/);
    expect(fake.createdOrders()).toEqual([]);
  });
});

describe('reduce-only and position modes', () => {
  test('reduce-only with no position is refused (110017)', async () => {
    const ex = bybitClient(fake);
    await expect(ex.createOrder(LINEAR, 'market', 'sell', 0.01, undefined, { reduceOnly: true })).rejects.toThrow(/110017/);
    expect(fake.createdOrders()).toEqual([]);
  });

  test('reduce-only closes no more than the position and realises PnL', async () => {
    const ex = bybitClient(fake);
    fake.setPosition('BTCUSDT', 0.05, { entryPrice: 50_000 });
    fake.setPrice('BTCUSDT', 52_000, 'linear');
    const placed = await ex.createOrder(LINEAR, 'market', 'sell', 0.08, undefined, { reduceOnly: true });
    const order = await ex.fetchOrder(idOf(placed), LINEAR, { acknowledged: true });
    expect(order).toMatchObject({ filled: 0.05, reduceOnly: true, status: 'closed' });
    expect(fake.positions()).toEqual([]);
    // 0.05 * (52 000 - 50 000) = 100 USDT
    expect(fake.getBalance('USDT')).toBeCloseTo(10_100, 6);
  });

  test('a resting reduce-only take-profit whose position is gone ends cancelled, opening nothing', async () => {
    const ex = bybitClient(fake);
    fake.setPosition('BTCUSDT', 0.01, { entryPrice: 60_000 });
    const tp = await ex.createOrder(LINEAR, 'limit', 'sell', 0.01, 65_000, { reduceOnly: true });
    await ex.createOrder(LINEAR, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    fake.setPrice('BTCUSDT', 66_000, 'linear');
    expect((await ex.fetchOrder(idOf(tp), LINEAR, { acknowledged: true })).status).toBe('canceled');
    expect(fake.positions()).toEqual([]);
  });

  test('qty "0" with reduceOnly and closeOnTrigger closes the whole position', async () => {
    const ex = bybitClient(fake);
    fake.setPosition('BTCUSDT', -0.03);
    // ccxt drops a zero amount, so the close-all qty goes in params
    await ex.createOrder(LINEAR, 'market', 'buy', 0, undefined, { reduceOnly: true, closeOnTrigger: true, qty: '0' });
    expect(fake.positions()).toEqual([]);
    expect(fake.createdOrders()[0]).toMatchObject({ side: 'buy', qty: 0.03, closeOnTrigger: true, status: 'filled' });
  });

  test('hedge mode: positionIdx from hedged orders, both legs listed, reduce-only closes one leg', async () => {
    const ex = bybitClient(fake);
    fake.setHedgeMode(true);
    // a one-way order (positionIdx 0) does not match hedge mode
    await expect(ex.createOrder(LINEAR, 'market', 'buy', 0.01)).rejects.toThrow(/position idx not match position mode/);
    await ex.createOrder(LINEAR, 'market', 'buy', 0.02, undefined, { hedged: true });
    await ex.createOrder(LINEAR, 'market', 'sell', 0.01, undefined, { hedged: true });
    const positions = await ex.fetchPositions([LINEAR]);
    expect(positions.map((p) => [p.side, p.contracts, p.hedged])).toEqual([
      ['long', 0.02, true],
      ['short', 0.01, true],
    ]);
    expect(fake.createdOrders().map((o) => o.positionSide)).toEqual(['long', 'short']);
    // ccxt turns hedged + reduceOnly into "sell on the long leg" (positionIdx 1, no reduceOnly)
    await ex.createOrder(LINEAR, 'market', 'sell', 0.02, undefined, { hedged: true, reduceOnly: true });
    expect(fake.positions()).toMatchObject([{ positionSide: 'short', qty: -0.01 }]);
  });

  test('setPositionMode switches the mode and refuses a no-op', async () => {
    const ex = bybitClient(fake);
    await ex.setPositionMode(true, LINEAR);
    await ex.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { hedged: true });
    expect(fake.positions()).toMatchObject([{ positionSide: 'long' }]);
    await expect(ex.setPositionMode(true, LINEAR)).rejects.toThrow(/110025/);
  });
});

describe('leverage', () => {
  test('setLeverage changes the margin an order holds; setting the current value again is 110043 BadRequest', async () => {
    const ex = bybitClient(fake);
    // the fake starts at 10x: asking for it is "not modified"
    await expect(ex.setLeverage(10, LINEAR)).rejects.toBeInstanceOf(BadRequest);
    await expect(ex.setLeverage(10, LINEAR)).rejects.toThrow(/"retCode":110043/);
    await ex.setLeverage(20, LINEAR);
    await expect(ex.setLeverage(20, LINEAR)).rejects.toThrow(/Set leverage not modified/);
    await ex.createOrder(LINEAR, 'market', 'buy', 0.1);
    // 6 000 USDT of notional at 20x
    expect((await ex.fetchBalance())['USDT']?.used).toBe(300);
    expect(fake.positions()).toMatchObject([{ leverage: 20 }]);
  });
});

describe('inverse perpetual', () => {
  test('contracts are USD, margin and PnL are in BTC', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('BTCUSD', 50_000);
    await ex.createOrder(INVERSE, 'market', 'buy', 1000, undefined, { clientOrderId: 'inv-1' });
    const [position] = await ex.fetchPositions([INVERSE]);
    expect(position).toMatchObject({ symbol: INVERSE, side: 'long', contracts: 1000, entryPrice: 50_000 });
    const balance = await ex.fetchBalance();
    // 1000 USD at 50 000 is 0.02 BTC; at 10x that holds 0.002 BTC
    expect(balance['BTC']?.used).toBeCloseTo(0.002, 10);
    fake.setPrice('BTCUSD', 62_500);
    await ex.createOrder(INVERSE, 'market', 'sell', 1000, undefined, { reduceOnly: true });
    // 1000 * (1/50 000 - 1/62 500) = 0.004 BTC
    expect(fake.getBalance('BTC')).toBeCloseTo(1.004, 10);
  });
});

describe('spot', () => {
  test('market buy by base amount moves both coins', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('BTCUSDT', 40_000, 'spot');
    const placed = await ex.createOrder(SPOT, 'market', 'buy', 0.01);
    const order = await ex.fetchOrder(idOf(placed), SPOT, { acknowledged: true });
    expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 40_000 });
    const balance = await ex.fetchBalance();
    expect(balance['USDT']?.total).toBeCloseTo(9_600, 6);
    expect(balance['BTC']?.total).toBeCloseTo(1.01, 10);
    expect(fake.positions()).toEqual([]);
  });

  test('market buy with a price is sized in quote currency (marketUnit quoteCoin)', async () => {
    const ex = bybitClient(fake);
    fake.setPrice('BTCUSDT', 50_000, 'spot');
    await ex.createOrder(SPOT, 'market', 'buy', 0.01, 50_000);
    expect(fake.createdOrders()[0]).toMatchObject({ quoteQty: 500, qty: 0.01 });
    expect(fake.getBalance('USDT')).toBeCloseTo(9_500, 6);
  });

  test('a resting limit sell locks the coins until it fills or is cancelled', async () => {
    const ex = bybitClient(fake);
    const placed = await ex.createOrder(SPOT, 'limit', 'sell', 0.5, 65_000, { clientOrderId: 'spot-tp' });
    let balance = await ex.fetchBalance();
    expect(balance['BTC']).toMatchObject({ total: 1, used: 0.5, free: 0.5 });
    fake.setPrice('BTCUSDT', 65_000, 'spot');
    const order = await ex.fetchOrder(idOf(placed), SPOT, { acknowledged: true });
    expect(order).toMatchObject({ status: 'closed', filled: 0.5, clientOrderId: 'spot-tp' });
    balance = await ex.fetchBalance();
    expect(balance['BTC']?.total).toBeCloseTo(0.5, 10);
    expect(balance['USDT']?.total).toBeCloseTo(42_500, 6);
  });

  test('a spot orderLinkId reused is refused with the spot code', async () => {
    const ex = bybitClient(fake);
    await ex.createOrder(SPOT, 'limit', 'buy', 0.001, 30_000, { clientOrderId: 'spot-dup' });
    await expect(ex.createOrder(SPOT, 'limit', 'buy', 0.001, 30_000, { clientOrderId: 'spot-dup' })).rejects.toThrow(/170141/);
  });
});
