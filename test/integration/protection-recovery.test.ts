// Protection that could not be placed, and protection interrupted by a kill: the entry stays filled and
// the order says protection_failed (and is closed at once when the strategy says so); an `apisify serve`
// SIGKILLed between an entry's fill and its protective orders completes them on restart, by the client
// order ids they were journaled with, placing nothing twice.

import { defaultAccountOf } from '../../shared/account-names.js';
import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { binanceUsdmClient } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { startTestEngine } from '../support/engine.js';
import { eventually, until } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'protect-exchange-key-0123456789';
const SECRET = 'protect-exchange-secret-abcdefghijklmnop';

describe('protection that cannot be placed', () => {
  it.each(['keep', 'close'] as const)('onProtectionFailure %s: the entry stays filled, the order says protection_failed, and the strategy decides', async (onProtectionFailure) => {
    const fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
    const events: { type: string; orderId?: number }[] = [];
    engine.subscribe((event) => events.push(event.type === 'protection_failed' ? { type: event.type, orderId: event.orderId } : { type: event.type }));
    try {
      fake.setBalance('USDT', 100_000);
      await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, fake.url);
      engine.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], onProtectionFailure });
      const key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
      // the exchange refuses every conditional order
      fake.failNext('insufficient_funds', { path: '/fapi/v1/algoOrder', count: 2 });
      const call = await postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss_percent: 2 });
      expect(call.status, JSON.stringify(call.body)).toBe(200);
      const id = call.body.order?.id as number;
      const failed = await eventually(() => engine.services.journal.get(id), (order) => order?.error?.code === 'protection_failed');
      expect(failed?.status).toBe('filled');
      expect(failed?.error?.message).toMatch(/the position is open without its protection: stop-loss at 58800: /);
      expect(events).toContainEqual({ type: 'protection_failed', orderId: id });
      const position = () => fake.positions().find((open) => open.symbol === 'BTCUSDT')?.qty ?? 0;
      if (onProtectionFailure === 'keep') {
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(position()).toBe(0.01);
      } else {
        expect(await eventually(position, (qty) => qty === 0)).toBe(0);
        const legs = engine.services.journal.get(id)?.legs ?? [];
        expect(legs.at(-1)).toMatchObject({ role: 'entry', side: 'sell', reduceOnly: true, amount: '0.01', status: 'filled' });
      }
    } finally {
      await engine.stop();
      await fake.close();
    }
  });
});

describe('killed between an entry’s fill and its protection', () => {
  let fake: FakeExchange;
  let dataDir: string;
  let key: IssuedKey;
  let server: RunningServer;

  beforeAll(async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    fake.setBalance('USDT', 1_000_000);
    dataDir = tempDataDir();
    const set = await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', '-', '--base-url', fake.url], { input: SECRET });
    expect(set.code, set.stderr).toBe(0);
    expect((await apisify(dataDir, ['strategy', 'add', 'guarded', '--mode', 'live', '--market-type', 'swap'])).code).toBe(0);
    expect((await apisify(dataDir, ['settings', 'set', 'orderWaitMs', '20000', 'exchangeTimeoutMs', '20000'])).code).toBe(0);
    key = await createKey(dataDir);
    server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
  });

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  function protectiveLegs(): { leg: number; role: string; status: string; clientOrderId: string; exchangeOrderId: string | null }[] {
    const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      return db
        .prepare("SELECT leg, role, status, client_order_id AS clientOrderId, exchange_order_id AS exchangeOrderId FROM order_legs WHERE role != 'entry' ORDER BY order_id, leg")
        .all() as { leg: number; role: string; status: string; clientOrderId: string; exchangeOrderId: string | null }[];
    } finally {
      db.close();
    }
  }

  it('places the protection on restart with the ids it was journaled with, nothing twice', async () => {
    const entries = fake.createdOrders().length;
    const algoPosts = () => fake.requests('/fapi/v1/algoOrder').filter((request) => request.method === 'POST');
    const postsBefore = algoPosts().length;
    // the exchange holds the first protective order; the engine is killed while it waits
    fake.failNext('hold_before_accept', { path: '/fapi/v1/algoOrder', delayMs: 30_000 });
    void postSignedOrder(server.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000, take_profit: 62_000 }).catch(() => undefined);
    await until('the stop-loss reaches the exchange', () => algoPosts().length > postsBefore);
    expect(fake.createdOrders().length).toBe(entries + 1);
    expect(protectiveLegs().map((leg) => [leg.role, leg.status])).toEqual([
      ['stop_loss', 'submitted'],
      ['take_profit', 'received'],
    ]);

    expect(await server.stop('SIGKILL')).toBeNull();
    server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
    await until('both protective orders rest on the exchange', () => protectiveLegs().every((leg) => leg.status === 'open'), 20_000);

    const legs = protectiveLegs();
    const ccxt = binanceUsdmClient(fake, { apiKey: API_KEY, secret: SECRET });
    await ccxt.loadMarkets();
    try {
      const resting = await ccxt.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, { trigger: true });
      expect(resting.map((open) => open.clientOrderId).sort()).toEqual(legs.map((leg) => leg.clientOrderId).sort());
    } finally {
      await ccxt.close();
    }
    // the entry was never sent again; each protective order went out once more than the held one at most
    expect(fake.createdOrders().length).toBe(entries + 1);
    const posted = algoPosts().slice(postsBefore).map((request) => request.params['clientAlgoId']);
    expect(posted.filter((id) => id === legs[1]?.clientOrderId)).toHaveLength(1);
  });
});

describe('killed after an entry filled in part and ended, before its protection was journaled', () => {
  it('places the protection for what it filled on restart', async () => {
    const fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const dataDir = tempDataDir();
    try {
      fake.setBalance('USDT', 100_000);
      fake.setPrice('BTCUSDT', 60_000);
      const first = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 }, dataDir);
      await first.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, fake.url);
      first.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
      const key = await first.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
      // a protected Limit Buy that rests below the price
      const call = await postSignedOrder(first.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Limit', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, price: 55_000, stop_loss: 54_000 });
      expect(call.body.order?.status, JSON.stringify(call.body)).toBe('open');
      const id = call.body.order?.id as number;
      await first.stop();
      // As a killed run leaves it: the Limit filled 0.004 and was then cancelled, and the engine died
      // before it journaled the stop for those 0.004.
      const db = new Sqlite(join(dataDir, DATABASE_FILE));
      db.prepare("UPDATE order_legs SET status = 'cancelled', filled = '0.004', average_price = '55000' WHERE order_id = ? AND leg = 1").run(id);
      db.prepare("UPDATE orders SET status = 'cancelled' WHERE id = ?").run(id);
      db.close();
      const algoPosts = () => fake.requests('/fapi/v1/algoOrder').filter((request) => request.method === 'POST');
      expect(algoPosts()).toEqual([]);

      const second = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 }, dataDir);
      try {
        const stop = await eventually(() => second.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss'), (leg) => leg?.status === 'open', 8_000);
        expect(stop).toMatchObject({ side: 'sell', amount: '0.004', reduceOnly: true, triggerPrice: '54000', status: 'open' });
        expect(algoPosts()).toHaveLength(1);
        expect(algoPosts()[0]?.params).toMatchObject({ side: 'SELL', quantity: '0.004', triggerPrice: '54000' });
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
