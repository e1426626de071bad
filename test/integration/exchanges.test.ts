import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { postSignedOrder } from '../support/signed-order.js';
import { eventually } from '../support/eventually.js';
import { untilEngineSees } from '../support/live-state.js';

const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let key: { apikey: string; secret: string };
const fakes = new Map<ExchangeName, FakeExchange>();

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 5_000, exchangeTimeoutMs: 1_500 }); // short enough for the lost-answer tests, long enough for a busy CI machine
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  for (const name of ['bybit', 'bybit_testnet', 'binance', 'binance_testnet'] as const) {
    const fake = await startFakeExchange({ venue: name.startsWith('bybit') ? 'bybit' : 'binance', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 1_000_000);
    fake.setBalance('BTC', 10);
    fakes.set(name, fake);
    await engine.services.exchanges.set(defaultAccountOf(name), { apiKey: API_KEY, secret: SECRET }, fake.url);
  }
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  engine.services.strategies.add({ name: 'spot', mode: 'live', marketType: 'spot', maxQty: null, symbols: [], exchanges: [], enabled: true });
});
afterAll(async () => {
  await engine?.stop();
  for (const fake of fakes.values()) await fake.close();
});

const fake = (name: ExchangeName) => fakes.get(name) as FakeExchange;
const order = (fields: Record<string, unknown>) => postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT', ...fields });


describe.each(['bybit', 'bybit_testnet', 'binance', 'binance_testnet'] as const)('%s through ccxt', (exchange) => {
  it('Market Buy and Sell on the linear perpetual, with the journal id as client order id', async () => {
    for (const side of ['Buy', 'Sell']) {
      const call = await order({ exchange, side, symbol: 'BTCUSDT.P' });
      expect(call.status, JSON.stringify(call.body)).toBeLessThan(300);
      const legs = call.body.order?.['orders'] as { client_order_id: string; exchange_order_id: string }[];
      const sent = fake(exchange).createdOrders().at(-1);
      expect(sent).toMatchObject({ clientOrderId: legs[0]?.client_order_id, orderId: legs[0]?.exchange_order_id, side: side.toLowerCase(), type: 'market', marketKind: 'linear', symbol: 'BTCUSDT' });
      const id = call.body.order?.id as number;
      expect((await eventually(() => engine.services.journal.get(id), (view) => view?.status === 'filled'))?.status).toBe('filled');
    }
  });

  it.each([
    ['perp', 'linear', 0.01], // Binance USDⓈ-M needs an order value of at least 100 USDT
    ['spot', 'spot', 0.001],
  ] as const)('Market and Limit, Buy and Sell, on %s', async (strategy, marketKind, qty) => {
    for (const side of ['Buy', 'Sell'] as const) {
      for (const orderType of ['Market', 'Limit'] as const) {
        // Limits rest away from the 60 000 market: a buy below it, a sell above it.
        const price = side === 'Buy' ? 55_000 : 65_000;
        const call = await order({ exchange, strategy, side, order_type: orderType, qty, ...(orderType === 'Limit' ? { price } : {}) });
        expect(call.status, JSON.stringify(call.body)).toBe(200);
        expect(call.body.order?.status).toBe(orderType === 'Limit' ? 'open' : 'filled');
        expect(fake(exchange).createdOrders().at(-1)).toMatchObject({
          marketKind,
          side: side.toLowerCase(),
          type: orderType.toLowerCase(),
          qty,
          ...(orderType === 'Limit' ? { price, status: 'open' } : { status: 'filled' }),
        });
      }
    }
  });

  it('a spot Limit rests open, then fills when the price crosses it (followed without a reload)', async () => {
    const call = await order({ exchange, strategy: 'spot', order_type: 'Limit', side: 'Buy', qty: 0.001, price: 50_000 });
    expect(call.status).toBe(200);
    expect(call.body.order?.status).toBe('open');
    expect(fake(exchange).createdOrders().at(-1)).toMatchObject({ marketKind: 'spot', type: 'limit', price: 50_000, status: 'open' });
    fake(exchange).setPrice('BTCUSDT', 49_000, 'spot');
    const id = call.body.order?.id as number;
    const filled = await eventually(() => engine.services.journal.get(id), (view) => view?.status === 'filled');
    expect(filled?.legs[0]).toMatchObject({ status: 'filled', filled: '0.001' });
    fake(exchange).setPrice('BTCUSDT', 60_000, 'spot');
  });
});

describe('Bybit specifics', () => {
  it('BTCUSD is the inverse perpetual', async () => {
    const call = await order({ symbol: 'BTCUSD', qty: 100 });
    expect(call.status).toBeLessThan(300);
    expect(fake('bybit').createdOrders().at(-1)).toMatchObject({ symbol: 'BTCUSD', marketKind: 'inverse', qty: 100 });
  });

  it('an open Limit can be cancelled through the UI API path', async () => {
    const call = await order({ order_type: 'Limit', side: 'Buy', price: 40_000 });
    expect(call.body.order?.status).toBe('open');
    const cancelled = await engine.services.orders.cancel(call.body.order?.id as number);
    expect(cancelled.status).toBe('cancelled');
    expect(fake('bybit').createdOrders().at(-1)?.status).toBe('cancelled');
  });
});

describe('Close and stop-and-reverse against real positions', () => {
  const plan = async (fields: Record<string, unknown>) => {
    const call = await order({ exchange: 'bybit', symbol: 'ETHUSDT', ...fields });
    expect(call.status, JSON.stringify(call.body)).toBeLessThan(300);
    return call.body.order as unknown as { plan: string; status: string; orders: { side: string; amount: string; reduce_only: boolean }[] };
  };
  it.each([
    [0, 'Close', undefined, 'skipped', 'Close: no open position', []],
    [2, 'Close', undefined, 'filled', 'Close: sell 2 to go from +2 to 0', [{ side: 'sell', amount: '2', reduce_only: true }]],
    [-1.5, 'Close', undefined, 'filled', 'Close: buy 1.5 to go from -1.5 to 0', [{ side: 'buy', amount: '1.5', reduce_only: true }]],
    [0, 'Sarbuy', 1, 'filled', 'SAR: buy 1 to go from 0 to +1', [{ side: 'buy', amount: '1', reduce_only: false }]],
    [1, 'Sarsell', 2, 'filled', 'SAR: sell 3 to go from +1 to -2', [{ side: 'sell', amount: '3', reduce_only: false }]],
    [-2, 'Sarbuy', 1, 'filled', 'SAR: buy 3 to go from -2 to +1', [{ side: 'buy', amount: '3', reduce_only: false }]],
    [1, 'Sarbuy', 1, 'skipped', 'SAR: already at +1', []],
  ] as const)('from %s, %s %s', async (position, side, qty, status, description, legs) => {
    fake('bybit').setPosition('ETHUSDT', position, { entryPrice: 3000 });
    const before = fake('bybit').createdOrders().length;
    const result = await plan({ side, ...(qty === undefined ? {} : { qty }) });
    expect(result.plan).toBe(description);
    expect(result.orders.map(({ side: s, amount, reduce_only }) => ({ side: s, amount, reduce_only }))).toEqual(legs);
    expect(fake('bybit').createdOrders().length - before).toBe(legs.length);
    expect(result.status).toBe(status);
  });

  it.each(['Sarbuy', 'Sarsell'])('refuses %s on a spot strategy before journaling it or asking the exchange anything', async (side) => {
    const before = journalCount(engine);
    const requests = fake('bybit').requestCount();
    const call = await order({ strategy: 'spot', side, qty: 0.001 });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'sar_not_supported', field: 'side' });
    expect(journalCount(engine)).toBe(before);
    expect(fake('bybit').requestCount()).toBe(requests);
  });

  it('refuses Close in hedge mode rather than guessing', async () => {
    // Switching mode needs a flat account, as on Bybit.
    for (const position of fake('bybit').positions()) fake('bybit').setPosition(position.symbol, 0, { kind: position.marketKind });
    fake('bybit').setHedgeMode(true);
    fake('bybit').setPosition('ETHUSDT', 1, { entryPrice: 3000, positionSide: 'long' });
    // the change reaches apisify by push, a moment later
    expect((await untilEngineSees(engine, 'bybit', 'ETHUSDT', (position) => position.mode === 'hedge'))?.mode).toBe('hedge');
    try {
      const call = await order({ exchange: 'bybit', symbol: 'ETHUSDT', side: 'Close' });
      expect(call.status).toBe(422);
      // Refused after it was journaled (the position is read in its symbol's queue): the answer still names the field.
      expect(call.body.error).toMatchObject({ code: 'hedge_mode_not_supported', field: 'side' });
      expect(engine.services.journal.get(call.body.order?.id as number)?.error).toMatchObject({ code: 'hedge_mode_not_supported', field: 'side' });
    } finally {
      fake('bybit').setPosition('ETHUSDT', 0);
      fake('bybit').setHedgeMode(false);
    }
  });
});

describe('symbols, precision and minimums', () => {
  it('rounds qty to the market step', async () => {
    const call = await order({ qty: 0.0123456 });
    expect(call.status).toBeLessThan(300);
    expect(fake('bybit').createdOrders().at(-1)?.qty).toBe(0.012);
  });

  it('refuses below the minimum size before journaling, naming the minimum', async () => {
    const before = journalCount(engine);
    const sent = fake('bybit').createdOrders().length;
    const call = await order({ qty: 0.0001 });
    expect(call.status).toBe(422);
    expect(call.body.error).toMatchObject({ code: 'below_minimum', field: 'qty' });
    expect(call.body.error?.message).toMatch(/minimum order size of 0\.001/);
    expect(journalCount(engine)).toBe(before);
    expect(fake('bybit').createdOrders().length).toBe(sent);
  });

  it('refuses an unknown symbol with close matches', async () => {
    const call = await order({ symbol: 'BTCUSDX' });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'unknown_symbol', field: 'symbol' });
    expect(call.body.error?.message).toContain('BTCUSDT');
  });

  it('settles an id that is both spot and swap by the strategy market type, and takes unified symbols', async () => {
    await order({ strategy: 'spot', qty: 0.001 });
    expect(fake('bybit').createdOrders().at(-1)?.marketKind).toBe('spot');
    await order({ strategy: 'perp', symbol: 'BTC/USDT:USDT' });
    expect(fake('bybit').createdOrders().at(-1)?.marketKind).toBe('linear');
  });
});

describe('exchange failures map to codes; nothing is sent twice', () => {
  it.each([
    ['insufficient_funds', 422, 'insufficient_funds'],
    ['rate_limit', 429, 'exchange_rate_limited'],
    ['auth', 422, 'exchange_auth_failed'],
  ] as const)('%s → %s %s', async (kind, status, code) => {
    await order({ exchange: 'bybit_testnet' }); // warm the account first
    fake('bybit_testnet').failNext(kind, { path: '/v5/order/create' });
    const call = await order({ exchange: 'bybit_testnet' });
    expect(call.status).toBe(status);
    expect(call.body.error?.code).toBe(code);
    // The exchange refused (422): rejected; it could not be asked (429): error.
    expect(engine.services.journal.get(call.body.order?.id as number)?.status).toBe(status === 429 ? 'error' : 'rejected');
  });

  it('binance spot: a key refused after it has worked (-2015) is an auth failure, not a rate limit', async () => {
    await order({ exchange: 'binance', strategy: 'spot', qty: 0.001 }); // ccxt now counts the key as having worked
    fake('binance').failNext('auth', { path: '/api/v3/order' });
    const call = await order({ exchange: 'binance', strategy: 'spot', qty: 0.001 });
    expect(call.status).toBe(422);
    expect(call.body.error?.code).toBe('exchange_auth_failed');
    expect(call.body.error?.message).toMatch(/-2015/);
  });

  it('a 5xx where the order never arrived: 502, looked up and reported as not placed', async () => {
    fake('binance').failNext('server_error', { path: '/fapi/v1/order', count: 1 });
    const sent = fake('binance').createdOrders().length;
    const call = await order({ exchange: 'binance' });
    expect(call.status).toBe(502);
    expect(call.body.error?.code).toBe('exchange_unavailable');
    expect(call.body.error?.message).toMatch(/not placed/);
    expect(fake('binance').createdOrders().length).toBe(sent);
  });

  it.each([
    ['bybit', '/v5/order/create'],
    ['binance', '/fapi/v1/order'],
  ] as const)('%s: an "execution status unknown" answer is looked up; the order it took is recorded as filled, never resent', async (exchange, path) => {
    await order({ exchange });
    fake(exchange).failNext('unknown_after_accept', { path });
    const sent = fake(exchange).createdOrders().length;
    const call = await order({ exchange });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.['status']).toBe('filled');
    const legs = call.body.order?.['orders'] as { client_order_id: string; exchange_order_id: string }[];
    expect(fake(exchange).createdOrders().length).toBe(sent + 1);
    expect(legs[0]?.exchange_order_id).toBe(fake(exchange).createdOrders().at(-1)?.orderId);
    expect(engine.services.journal.get(call.body.order?.id as number)?.status).toBe('filled');
  });

  it.each(['server_error', 'rate_limit'] as const)('bybit: a lost answer whose look-ups fail too (%s) is never called not placed; it is settled once the exchange tells', async (failure) => {
    await order({ exchange: 'bybit' });
    fake('bybit').failNext('timeout_after_accept', { path: '/v5/order/create', delayMs: 3_000 });
    fake('bybit').failNext(failure, { path: '/v5/order/realtime', count: 4 });
    const sent = fake('bybit').createdOrders().length;
    const call = await order({ exchange: 'bybit' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(JSON.stringify(call.body)).not.toMatch(/not placed/);
    // Sent, state not known yet (the stream's push may already have told it).
    expect(['submitted', 'filled']).toContain(call.body.order?.['status']);
    expect(fake('bybit').createdOrders().length).toBe(sent + 1);
    const id = call.body.order?.id as number;
    const settled = await eventually(() => engine.services.journal.get(id), (view) => view?.status === 'filled', 5_000);
    expect(settled?.legs[0]?.exchangeOrderId).toBe(fake('bybit').createdOrders().at(-1)?.orderId);
  });

  it('bybit: look-ups that fail and then answer "not there" at the last try say the order was not placed', async () => {
    await order({ exchange: 'bybit' });
    fake('bybit').failNext('server_error', { path: '/v5/order/create' });
    fake('bybit').failNext('server_error', { path: '/v5/order/realtime', count: 3 });
    const sent = fake('bybit').createdOrders().length;
    const lookups = fake('bybit').requestCount('/v5/order/realtime');
    const call = await order({ exchange: 'bybit' });
    expect(call.status).toBe(502);
    expect(call.body.error?.message).toMatch(/not placed/);
    expect(fake('bybit').requestCount('/v5/order/realtime') - lookups).toBeGreaterThanOrEqual(4); // its four tries (a follow-up may look too)
    expect(fake('bybit').createdOrders().length).toBe(sent);
  });

  it.each(['bybit', 'binance'] as const)('%s: a timeout after the exchange accepted finds the order by client id and never resends it', async (exchange) => {
    await order({ exchange });
    fake(exchange).failNext('timeout_after_accept', { delayMs: 3_000 });
    const sent = fake(exchange).createdOrders().length;
    const call = await order({ exchange });
    expect(call.status, JSON.stringify(call.body)).toBeLessThan(300);
    const legs = call.body.order?.['orders'] as { client_order_id: string; exchange_order_id: string }[];
    expect(fake(exchange).createdOrders().length).toBe(sent + 1);
    expect(fake(exchange).createdOrders().at(-1)?.clientOrderId).toBe(legs[0]?.client_order_id);
    expect(legs[0]?.exchange_order_id).toBe(fake(exchange).createdOrders().at(-1)?.orderId);
  });
});

describe('pause', () => {
  it('stops an order still waiting in its symbol queue: it is not sent, and says so', async () => {
    await order({ exchange: 'bybit' });
    // The first order is held at the exchange; the second, a Close (it plans from the position the
    // first leaves), waits behind it in BTCUSDT's queue.
    fake('bybit').failNext('hold_before_accept', { path: '/v5/order/create', delayMs: 500 });
    const sent = fake('bybit').createdOrders().length;
    const creates = fake('bybit').requestCount('/v5/order/create');
    const first = order({ exchange: 'bybit' });
    await eventually(() => fake('bybit').requestCount('/v5/order/create'), (count) => count > creates);
    const second = order({ exchange: 'bybit', side: 'Close' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    engine.services.setPaused(true);
    try {
      expect((await first).status).toBe(200);
      const stopped = await second;
      expect(stopped.status).toBe(503);
      expect(stopped.body.error).toMatchObject({ code: 'trading_paused' });
      expect(stopped.body.order?.['status']).toBe('not_sent');
      expect(engine.services.journal.get(stopped.body.order?.id as number)?.legs[0]?.status).toBe('not_sent');
      expect(fake('bybit').createdOrders().length).toBe(sent + 1);
    } finally {
      engine.services.setPaused(false);
    }
  });
});

describe('an order stays on the market it was placed on, whatever becomes of its strategy', () => {
  it('binance: a Limit resting on USDⓈ-M is cancelled there after its strategy was renamed and switched to spot', async () => {
    engine.services.strategies.add({ name: 'switcher', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const call = await order({ strategy: 'switcher', exchange: 'binance', order_type: 'Limit', price: 30_000 });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.['status']).toBe('open');
    const id = call.body.order?.id as number;
    expect(engine.services.journal.get(id)?.market).toEqual({ symbol: 'BTC/USDT:USDT', type: 'swap' });

    engine.services.strategies.update('switcher', { name: 'switched', marketType: 'spot' });
    const cancelled = await engine.services.orders.cancel(id);
    expect(cancelled.status).toBe('cancelled');
    const placed = fake('binance').createdOrders().find((created) => created.orderId === cancelled.legs[0]?.exchangeOrderId);
    expect(placed).toMatchObject({ marketKind: 'linear', status: 'cancelled' });
  });
});

describe('dry run with a reachable exchange', () => {
  it('fills a Market order sent without a price at the live price, sending nothing to the exchange', async () => {
    engine.services.strategies.add({ name: 'rehearsal', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    fake('bybit').setPrice('BTCUSDT', 61_000, 'linear');
    const sent = fake('bybit').createdOrders().length;
    const call = await order({ strategy: 'rehearsal', symbol: 'BTCUSDT' });
    expect(call.status).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'filled', dry_run: true });
    expect((call.body.order?.['orders'] as { average_price: string }[])[0]?.average_price).toBe('61000');
    expect(fake('bybit').createdOrders().length).toBe(sent);
  });
});

describe('apisify exchange commands', () => {
  it('set (secret from stdin), list masked, test, remove', async () => {
    const { apisify, tempDataDir } = await import('../support/apisify-process.js');
    const dataDir = tempDataDir();
    const venue = fake('binance');
    const set = await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', '-', '--base-url', venue.url], { input: `${SECRET}\n` });
    expect(set.code, set.stderr).toBe(0);
    const listed = await apisify(dataDir, ['exchange', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ exchange: 'binance', baseUrl: venue.url })]);
    expect(listed.stdout).not.toContain(API_KEY);
    expect(listed.stdout).not.toContain(SECRET);
    expect((await apisify(dataDir, ['exchange', 'test', 'binance'])).stdout).toMatch(/credentials work/);
    // A secret is taken from standard input only: as an argument, other users of the machine could read it.
    const inArgs = await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', 'wrong-secret', '--base-url', venue.url]);
    expect(inArgs.code).toBe(2);
    expect(inArgs.stderr).toMatch(/--secret - is required, with the secret on standard input/);
    expect(inArgs.stderr).not.toContain('wrong-secret');
    expect((await apisify(dataDir, ['exchange', 'test', 'binance'])).stdout).toMatch(/credentials work/);
    await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', '-', '--base-url', venue.url], { input: 'wrong-secret\n' });
    const failed = await apisify(dataDir, ['exchange', 'test', 'binance']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/refused apisify's API credentials/);
    expect(failed.stderr).not.toContain('wrong-secret');
    expect((await apisify(dataDir, ['exchange', 'remove', 'binance'])).code).toBe(0);
    expect(JSON.parse((await apisify(dataDir, ['exchange', 'list', '--json'])).stdout)).toEqual([]);
    expect((await apisify(dataDir, ['exchange', 'set', 'kraken', '--api-key', 'a', '--secret', '-'], { input: 'b' })).stderr).toMatch(/expected one of bybit, bybit_testnet, binance, binance_testnet/);
  });
});
