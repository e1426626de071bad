// ccxt's sandbox and demo-trading modes, driven through the same fetch redirect. ccxt keeps
// building the test hosts' URLs (checked through onRequest); the fake answers them all.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { InsufficientFunds, InvalidOrder, NotSupported } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, idOf, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const PERP = 'BTC/USDT:USDT';

let fake: FakeExchange;
let hosts: Set<string>;
const record = (url: string): void => {
  hosts.add(new URL(url).host);
};

afterEach(async () => {
  await fake.close();
});

describe('bybit', () => {
  beforeEach(async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 5_000);
    hosts = new Set();
  });

  test('testnet (setSandboxMode) trades through api-testnet.bybit.com', async () => {
    const ex = bybitClient(fake, { env: 'testnet', onRequest: record });
    await ex.loadMarkets();
    const order = await ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'tn-1' });
    expect((await ex.fetchOrder(idOf(order), PERP, { acknowledged: true })).status).toBe('closed');
    expect((await ex.fetchPositions([PERP]))[0]?.contracts).toBe(0.01);
    expect([...hosts]).toEqual(['api-testnet.bybit.com']);
  });

  test('demo trading uses api-demo.bybit.com and skips the calls demo accounts lack', async () => {
    const ex = bybitClient(fake, { env: 'demo', onRequest: record });
    await ex.loadMarkets();
    expect((await ex.fetchBalance())['USDT']?.total).toBe(5_000);
    await ex.createOrder(PERP, 'market', 'buy', 0.01);
    expect([...hosts]).toEqual(['api-demo.bybit.com']);
    expect(fake.requestCount('/v5/asset/coin/query-info')).toBe(0);
    expect(fake.requestCount('/v5/user/query-api')).toBe(0);
    expect(fake.createdOrders()).toHaveLength(1);
  });
});

describe('binance', () => {
  beforeEach(async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 5_000);
    hosts = new Set();
  });

  test('spot testnet (setSandboxMode) trades through testnet.binance.vision', async () => {
    const ex = binanceClient(fake, { env: 'testnet', onRequest: record });
    await ex.loadMarkets();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'tn-spot' });
    expect((await ex.fetchOrder('', 'BTC/USDT', { clientOrderId: 'tn-spot' })).id).toBe(placed.id);
    expect((await ex.cancelOrder(idOf(placed), 'BTC/USDT')).status).toBe('canceled');
    expect([...hosts]).toEqual(['testnet.binance.vision']);
  });

  test('spot demo trading uses demo-api.binance.com', async () => {
    const ex = binanceClient(fake, { env: 'demo', onRequest: record });
    await ex.loadMarkets();
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01);
    expect((await ex.fetchBalance())['BTC']?.total).toBe(0.01);
    expect([...hosts]).toEqual(['demo-api.binance.com']);
  });

  test('USDⓈ-M sandbox refuses private calls in ccxt itself; nothing reaches the exchange', async () => {
    const ex = binanceUsdmClient(fake, { env: 'testnet', onRequest: record });
    await ex.loadMarkets();
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(NotSupported);
    expect([...hosts]).toEqual(['testnet.binancefuture.com']);
    expect(fake.requestCount('/fapi/v3/account')).toBe(0);
  });

  test('USDⓈ-M demo trading uses demo-fapi.binance.com and keeps the futures error map', async () => {
    const ex = binanceUsdmClient(fake, { env: 'demo', onRequest: record });
    await ex.loadMarkets();
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000, { clientOrderId: 'demo-1' });
    expect((await ex.fetchOpenOrders(PERP)).map((o) => o.clientOrderId)).toEqual(['demo-1']);
    // -4116 and -2019 map through ccxt's futures section, picked by the demo-fapi URL
    await expect(ex.createOrder(PERP, 'limit', 'buy', 0.01, 55_000, { clientOrderId: 'demo-1' })).rejects.toBeInstanceOf(InvalidOrder);
    await expect(ex.createOrder(PERP, 'market', 'buy', 2)).rejects.toBeInstanceOf(InsufficientFunds);
    expect([...hosts]).toEqual(['demo-fapi.binance.com']);
  });

  test('demo trading cannot be combined with sandbox mode', () => {
    const ex = binanceUsdmClient(fake, { env: 'testnet' });
    expect(() => ex.enableDemoTrading(true)).toThrow(NotSupported);
  });
});
