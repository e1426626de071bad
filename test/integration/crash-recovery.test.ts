// SIGKILL at each point of an order's way, then a restart: every unfinished order is settled against
// the exchange by its client order id, and nothing is ever sent twice.

import { defaultAccountOf } from '../../shared/account-names.js';
import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/order-view.js';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { postSignedOrder } from '../support/signed-order.js';
import { recordDryRunFill } from '../support/dry-run-fill.js';
import { until } from '../support/eventually.js';

const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';
const ENV = { APISIFY_EXCHANGE_RATE_LIMIT: 'off' };

let fake: FakeExchange;
let dataDir: string;
let key: IssuedKey;
let server: RunningServer;

async function cli(...args: string[]): Promise<void> {
  const result = await apisify(dataDir, args);
  if (result.code !== 0) throw new Error(`apisify ${args.join(' ')}: ${result.stderr}`);
}

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 1_000_000);
  fake.setPrice('BTCUSDT', 60_000);
  dataDir = tempDataDir();
  const set = await apisify(dataDir, ['exchange', 'set', 'bybit', '--api-key', API_KEY, '--secret', '-', '--base-url', fake.url], { input: SECRET });
  expect(set.code, set.stderr).toBe(0);
  await cli('strategy', 'add', 'perp', '--mode', 'live', '--market-type', 'swap');
  await cli('settings', 'set', 'orderWaitMs', '20000', 'exchangeTimeoutMs', '20000');
  key = await createKey(dataDir);
  server = await startServer(dataDir, [], ENV);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
afterEach(() => {
  fake.setPosition('BTCUSDT', 0);
});

/** The journal as the next start will find it, read straight from the file. */
function journal(): OrderView[] {
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const orders = db.prepare('SELECT id, status, error_code AS errorCode FROM orders ORDER BY id').all() as { id: number; status: string; errorCode: string | null }[];
    const legs = db.prepare('SELECT order_id AS orderId, client_order_id AS clientOrderId, exchange_order_id AS exchangeOrderId, status, filled FROM order_legs').all() as {
      orderId: number;
      clientOrderId: string;
      exchangeOrderId: string | null;
      status: string;
      filled: string;
    }[];
    return orders.map((order) => ({ ...order, legs: legs.filter((leg) => leg.orderId === order.id) })) as unknown as OrderView[];
  } finally {
    db.close();
  }
}

const lastOrder = (): OrderView & { errorCode: string | null } => journal().at(-1) as OrderView & { errorCode: string | null };


/** Posts an order and leaves it in flight: the answer will never come, the process is killed first. */
function postInFlight(fields: Record<string, unknown>): void {
  void postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', ...fields }).catch(() => undefined);
}

async function killAndRestart(): Promise<void> {
  expect(await server.stop('SIGKILL')).toBeNull();
  server = await startServer(dataDir, [], ENV);
}

function integrity(): string {
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  } finally {
    db.close();
  }
}

describe('killed after journaling, before anything was sent', () => {
  it('marks the order not_sent on restart and never sends it', async () => {
    fake.setPosition('BTCUSDT', 0.05);
    const ordersBefore = fake.createdOrders().length;
    const journaled = journal().length;
    // The Close reads the position first; the fake holds that read, so the engine dies between the two.
    fake.failNext('hold_before_accept', { path: '/v5/position/list', delayMs: 30_000 });
    const positionReads = fake.requestCount('/v5/position/list');
    postInFlight({ side: 'Close' });
    await until('the engine asks for the position', () => fake.requestCount('/v5/position/list') > positionReads);
    expect(lastOrder()).toMatchObject({ status: 'received', legs: [] });
    expect(journal()).toHaveLength(journaled + 1);

    await killAndRestart();
    await until('the order is settled', () => lastOrder().status !== 'received');
    expect(lastOrder()).toMatchObject({ status: 'not_sent', errorCode: 'not_sent', legs: [] });
    expect(fake.createdOrders()).toHaveLength(ordersBefore);
    expect(fake.positions()).toMatchObject([{ symbol: 'BTCUSDT', qty: 0.05 }]);
  });
});

describe('killed while the order was on its way, before the exchange took it', () => {
  it('looks it up by client order id, does not find it, marks it not_sent, and does not resend', async () => {
    const ordersBefore = fake.createdOrders().length;
    const creates = fake.requestCount('/v5/order/create');
    fake.failNext('hold_before_accept', { delayMs: 30_000 });
    postInFlight({ side: 'Buy' });
    await until('the create reaches the exchange', () => fake.requestCount('/v5/order/create') > creates);
    expect(lastOrder()).toMatchObject({ status: 'submitted', legs: [{ status: 'submitted', exchangeOrderId: null }] });

    const lookups = fake.requestCount('/v5/order/realtime');
    await killAndRestart();
    await until('the order is settled', () => lastOrder().status !== 'submitted');
    expect(lastOrder()).toMatchObject({ status: 'not_sent', errorCode: 'not_sent', legs: [{ status: 'not_sent' }] });
    expect(fake.requestCount('/v5/order/realtime')).toBeGreaterThan(lookups); // asked the exchange, did not guess
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.createdOrders()).toHaveLength(ordersBefore);
    expect(fake.requestCount('/v5/order/create')).toBe(creates + 1);
  });
});

describe('stopped while the restart still waits for the exchange', () => {
  it('stops cleanly (exit code 0), journaling nothing once its journal is closed; the next start settles the order', async () => {
    const creates = fake.requestCount('/v5/order/create');
    fake.failNext('hold_before_accept', { path: '/v5/order/create', delayMs: 30_000 });
    postInFlight({ side: 'Buy' });
    await until('the create reaches the exchange', () => fake.requestCount('/v5/order/create') > creates);
    const lookups = fake.requestCount('/v5/order/realtime');
    // The restart's look-up by client order id waits at the exchange; SIGTERM comes meanwhile.
    fake.failNext('hold_before_accept', { path: '/v5/order/realtime', delayMs: 4_000 });
    await killAndRestart();
    await until('the restart asks the exchange', () => fake.requestCount('/v5/order/realtime') > lookups);
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).not.toMatch(/not open|unhandled|TypeError/i);
    expect(lastOrder()).toMatchObject({ status: 'submitted' });
    server = await startServer(dataDir, [], ENV);
    await until('the order is settled', () => lastOrder().status !== 'submitted');
    expect(lastOrder()).toMatchObject({ status: 'not_sent', legs: [{ status: 'not_sent' }] });
  });
});

describe('killed after the exchange accepted the order, before its answer was recorded', () => {
  it('finds it by client order id and records its real state, without sending it again', async () => {
    const ordersBefore = fake.createdOrders().length;
    fake.failNext('timeout_after_accept', { delayMs: 30_000 });
    postInFlight({ side: 'Buy', qty: 0.02 });
    await until('the exchange has the order', () => fake.createdOrders().length > ordersBefore);
    const placed = fake.createdOrders().at(-1);
    expect(lastOrder()).toMatchObject({ status: 'submitted', legs: [{ status: 'submitted', exchangeOrderId: null, clientOrderId: placed?.clientOrderId }] });

    const creates = fake.requestCount('/v5/order/create');
    await killAndRestart();
    await until('the order is settled', () => lastOrder().status !== 'submitted');
    expect(lastOrder()).toMatchObject({ status: 'filled', errorCode: null, legs: [{ status: 'filled', filled: '0.02', exchangeOrderId: placed?.orderId }] });
    expect(fake.createdOrders()).toHaveLength(ordersBefore + 1);
    expect(fake.requestCount('/v5/order/create')).toBe(creates);
    expect(fake.positions()).toMatchObject([{ symbol: 'BTCUSDT', qty: 0.02 }]);
  });
});

describe('killed after the answer was recorded, with a Limit resting open', () => {
  it('follows it again after the restart until it fills', async () => {
    const call = await postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Limit', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', price: 55_000 });
    expect(call.body.order?.status).toBe('open');
    const ordersBefore = fake.createdOrders().length;

    await killAndRestart();
    fake.setPrice('BTCUSDT', 54_000);
    await until('the fill is journaled', () => lastOrder().status === 'filled');
    expect(lastOrder()).toMatchObject({ legs: [{ status: 'filled', filled: '0.01' }] });
    expect(fake.createdOrders()).toHaveLength(ordersBefore);
    fake.setPrice('BTCUSDT', 60_000);
  });
});

describe('killed with an order in flight, and the exchange down at the restart', () => {
  it('leaves the order as it is while it cannot be checked, then settles it once the exchange answers', async () => {
    const ordersBefore = fake.createdOrders().length;
    fake.failNext('timeout_after_accept', { delayMs: 30_000 });
    postInFlight({ side: 'Sell', qty: 0.01 });
    await until('the exchange has the order', () => fake.createdOrders().length > ordersBefore);

    fake.failNext('server_error', { path: '/v5/order/realtime', count: 1 });
    const lookups = fake.requestCount('/v5/order/realtime');
    await killAndRestart();
    await until('the first lookup fails', () => fake.requestCount('/v5/order/realtime') > lookups);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lastOrder()).toMatchObject({ status: 'submitted', legs: [{ status: 'submitted' }] }); // not guessed either way

    await until('the retry settles it', () => lastOrder().status !== 'submitted', 15_000);
    expect(lastOrder()).toMatchObject({ status: 'filled', legs: [{ status: 'filled', filled: '0.01' }] });
    expect(fake.createdOrders()).toHaveLength(ordersBefore + 1);
  });
});

describe('the data dir after unclean stops', () => {
  it('is intact and the restarted server takes the next order', async () => {
    expect(integrity()).toBe('ok');
    const call = await postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Sell' });
    expect(call.status).toBe(200);
    expect(call.body.order?.status).toBe('filled');
    // Every order of this file is journaled, and none is left half-way.
    expect(journal().filter((order) => ['received', 'submitted'].includes(order.status))).toEqual([]);
  });
});

describe('killed while a dry-run Limit rests', () => {
  it('follows it again after the restart, and the price crossing it then fills it once, sending nothing to the exchange', async () => {
    await cli('strategy', 'add', 'rehearse', '--mode', 'dry-run', '--market-type', 'swap');
    const sent = fake.createdOrders().length;
    const rests = await postSignedOrder(server.url, key, { strategy: 'rehearse', exchange: 'bybit', order_type: 'Limit', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', price: 50_000 });
    expect(rests.body.order?.status, JSON.stringify(rests.body)).toBe('open');
    const id = rests.body.order?.id as number;

    await killAndRestart();
    try {
      await until('the restarted engine watches the price again', () => fake.websocketStats().channels.includes('tickers.BTCUSDT'));
      fake.setPrice('BTCUSDT', 49_000);
      await until('the Limit is filled', () => journal().find((order) => order.id === id)?.status === 'filled', 15_000);
      expect(journal().find((order) => order.id === id)?.legs).toMatchObject([{ status: 'filled', filled: '0.01' }]);
      const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
      try {
        expect(db.prepare("SELECT count(*) AS n FROM dry_run_fills WHERE strategy = 'rehearse'").get()).toEqual({ n: 1 });
        expect(db.prepare("SELECT qty, entry_price AS entry FROM dry_run_positions WHERE strategy = 'rehearse'").all()).toEqual([{ qty: '0.01', entry: '50000' }]);
      } finally {
        db.close();
      }
      expect(fake.createdOrders()).toHaveLength(sent);
      expect(integrity()).toBe('ok');
    } finally {
      fake.setPrice('BTCUSDT', 60_000);
    }
  });
});

describe('a dry-run order left unfinished', () => {
  /** A dry-run Market Buy of 1 BTCUSDT journaled with its leg marked sent, as just before the simulator was called. */
  function sentDryRunBuy(engine: TestEngine): { orderId: number; clientOrderId: string } {
    const { journal } = engine.services;
    const orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'test_strategy', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'market', qty: '1', price: '60000', memo: null, dryRun: true, market: { symbol: 'BTCUSDT', type: 'swap' }, request: {}, bodyDigest: null });
    const clientOrderId = `dry-crash-${orderId}-1`;
    journal.inOneCommit(() => {
      journal.plan(orderId, 'buy 1', [{ leg: 1, clientOrderId, side: 'buy', type: 'market', amount: '1', price: null, reduceOnly: false }], 'submitted');
      journal.updateLeg(orderId, 1, { status: 'submitted', sentAt: new Date().toISOString() });
    });
    return { orderId, clientOrderId };
  }

  it('whose simulated fill was recorded is found filled at the next start, and the position moved once', async () => {
    const engine = await startTestEngine();
    const { orderId, clientOrderId } = sentDryRunBuy(engine);
    // The simulator filled the leg (position and fill in one transaction); the process died before the leg's answer was journaled.
    recordDryRunFill(engine.services.db, { strategy: 'test_strategy', exchange: 'bybit', symbol: 'BTCUSDT', clientOrderId, signedAmount: 1, price: 60_000 });
    await engine.stop();
    const restarted = await startTestEngine({}, engine.dataDir);
    try {
      await until('the order is settled', () => restarted.services.journal.get(orderId)?.status !== 'submitted');
      expect(restarted.services.journal.get(orderId)).toMatchObject({ status: 'filled', legs: [{ status: 'filled', filled: '1', averagePrice: '60000' }] });
      expect(restarted.services.positions.get('test_strategy', 'bybit', 'BTCUSDT')?.qty).toBe(1);
      // The same leg can never move the position twice.
      expect(recordDryRunFill(restarted.services.db, { strategy: 'test_strategy', exchange: 'bybit', symbol: 'BTCUSDT', clientOrderId, signedAmount: 1, price: 60_000 })).toMatchObject({ status: 'filled', filled: 1 });
      expect(restarted.services.positions.get('test_strategy', 'bybit', 'BTCUSDT')?.qty).toBe(1);
    } finally {
      await restarted.stop();
    }
  });

  it('whose leg never reached the simulator is marked not_sent, the position untouched', async () => {
    const engine = await startTestEngine();
    const { orderId } = sentDryRunBuy(engine);
    await engine.stop();
    const restarted = await startTestEngine({}, engine.dataDir);
    try {
      await until('the order is settled', () => restarted.services.journal.get(orderId)?.status !== 'submitted');
      expect(restarted.services.journal.get(orderId)).toMatchObject({ status: 'not_sent', legs: [{ status: 'not_sent' }] });
      expect(restarted.services.positions.get('test_strategy', 'bybit', 'BTCUSDT')).toBeNull();
    } finally {
      await restarted.stop();
    }
  });

  it('is marked not_sent at the next start when it was never planned', async () => {
    const engine = await startTestEngine();
    const orderId = engine.services.journal.record({
      source: 'api',
      apiKeyId: null,
      strategy: 'test_strategy',
      exchange: 'bybit',
      account: 'default',
      symbol: 'BTCUSDT',
      side: 'Buy',
      intent: 'buy',
      orderType: 'market',
      qty: '1',
      price: null,
      memo: null,
      dryRun: true,
      market: { symbol: 'BTCUSDT', type: 'swap' },
      request: {},
      bodyDigest: null,
    });
    await engine.stop();
    const restarted = await startTestEngine({}, engine.dataDir);
    try {
      await until('the order is settled', () => restarted.services.journal.get(orderId)?.status !== 'received');
      expect(restarted.services.journal.get(orderId)).toMatchObject({ status: 'not_sent', error: { code: 'not_sent' } });
    } finally {
      await restarted.stop();
    }
  });
});

describe('a live order the exchange took but no longer returns', () => {
  it('is never marked not_sent at the next start: its outcome is unknown, and the answer says so', async () => {
    const engine = await startTestEngine();
    await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, fake.url);
    engine.services.strategies.add({ name: 'forgotten', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const { journal } = engine.services;
    const orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'forgotten', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'market', qty: '0.01', price: null, memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
    journal.inOneCommit(() => {
      journal.plan(orderId, 'buy 0.01', [{ leg: 1, clientOrderId: `forgotten-${orderId}-1`, side: 'buy', type: 'market', amount: '0.01', price: null, reduceOnly: false }], 'submitted');
      // The create answered with ids only, then the engine died before it learnt the state.
      journal.updateLeg(orderId, 1, { status: 'submitted', exchangeOrderId: 'an-id-the-exchange-forgot', sentAt: new Date().toISOString() });
    });
    await journal.durable();
    await engine.stop();
    const restarted = await startTestEngine({}, engine.dataDir);
    try {
      await until('the order is settled', () => restarted.services.journal.get(orderId)?.status !== 'submitted');
      const settled = restarted.services.journal.get(orderId);
      expect(settled).toMatchObject({ status: 'error', error: { code: 'outcome_unknown' } });
      expect(settled?.legs[0]).toMatchObject({ status: 'error', exchangeOrderId: 'an-id-the-exchange-forgot' });
      expect(settled?.error?.message).toMatch(/took this order .* no longer returns it/);
    } finally {
      await restarted.stop();
    }
  });
});
