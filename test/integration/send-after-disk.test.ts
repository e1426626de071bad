// An order's create leaves while its journal rows are synced to the disk, and its answer waits for the
// sync (Journal.sendable; its ids are reserved on disk ahead, store/order-ids.ts): real ccxt against
// the fake Bybit, the journal's disk sync held or failed by the test. Once a sync has failed, creates
// wait for one that succeeds: nothing reaches the exchange while the disk fails, nor when trading is
// paused meanwhile.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { until } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'gate-exchange-key-0123456789';
const SECRET = 'gate-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 10_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  bybit.setBalance('USDT', 1_000_000);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  // one order first: the account's instance, markets and stream are warm, as in the tests below' real use
  expect((await order()).body.order?.status).toBe('filled');
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
});

let lastTimestamp = 0;
function order() {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT' }, { timestamp: lastTimestamp });
}

const createsFor = (clientOrderId: string) => bybit.requests('/v5/order/create').filter((request) => request.params['orderLinkId'] === clientOrderId);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The journal's next disk sync waits for `release()` (after the real sync) or fails with `fail()`. */
function holdNextSync() {
  const journal = engine.services.journal;
  const real = journal.durable.bind(journal);
  let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const spy = vi.spyOn(journal, 'durable').mockImplementationOnce(() => real().then(() => new Promise<void>((resolve, reject) => (settle = { resolve, reject }))));
  return {
    started: () => settle !== null,
    release: () => settle?.resolve(),
    fail: (error: Error) => settle?.reject(error),
    restore: () => spy.mockRestore(),
  };
}

/** The order being sent: planned, its leg marked submitted in the journal (or answered since), its sync under way. */
async function legUnderWay(sync: ReturnType<typeof holdNextSync>) {
  await until("the order's disk sync starts", () => sync.started());
  const order = engine.services.journal.latest();
  const leg = order?.legs[0];
  expect(leg?.status).not.toBe('received');
  return { orderId: order?.id as number, clientOrderId: leg?.clientOrderId as string };
}

const legStatus = (orderId: number) => engine.services.journal.get(orderId)?.legs[0]?.status;

const answered = async (answer: Promise<unknown>) => Promise.race([answer.then(() => true), sleep(300).then(() => false)]);
const bybitState = () => engine.services.status().exchanges.find((connection) => connection.exchange === 'bybit')?.state;
const diskError = () => engine.services.status().error ?? '';

describe('an order and the disk sync of its journal rows', () => {
  it('its create leaves while the rows sync, and its answer waits for them to be on disk', async () => {
    const sync = holdNextSync();
    try {
      const answer = order();
      const { clientOrderId } = await legUnderWay(sync);
      await until('the create reaches the exchange before the sync ends', () => createsFor(clientOrderId).length === 1);
      expect(await answered(answer)).toBe(false);
      sync.release();
      const call = await answer;
      expect(call.status).toBe(200);
      expect(call.body.order?.status).toBe('filled');
      expect(createsFor(clientOrderId)).toHaveLength(1);
    } finally {
      sync.restore();
    }
  });

  it('a sync that fails after the create left: the order is answered as the exchange answered it, and the status names the disk', async () => {
    const sync = holdNextSync();
    try {
      const answer = order();
      const { orderId, clientOrderId } = await legUnderWay(sync);
      await until('the create reaches the exchange', () => createsFor(clientOrderId).length === 1);
      sync.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      const call = await answer;
      expect(call.status).toBe(200);
      expect(call.body.order?.status).toBe('filled');
      expect(engine.services.journal.get(orderId)?.status).toBe('filled');
      expect(diskError()).toContain('cannot write its order journal to the disk');
    } finally {
      sync.restore();
    }
  });

  it('while the disk fails, a create waits for a sync, and one that fails too sends nothing: internal_error, the exchange account still healthy', async () => {
    // the test before this one left the disk failing (the tests of this file run in order)
    expect(diskError()).toContain('cannot write its order journal to the disk');
    const sync = holdNextSync();
    try {
      const answer = order();
      const { orderId, clientOrderId } = await legUnderWay(sync);
      await sleep(300);
      expect(createsFor(clientOrderId)).toHaveLength(0);
      expect(legStatus(orderId)).toBe('submitted');
      sync.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      const call = await answer;
      expect(call.status).toBe(500);
      expect(call.body.error).toMatchObject({ code: 'internal_error' });
      const journaled = engine.services.journal.get(orderId);
      expect(journaled?.status).toBe('error');
      expect(journaled?.legs[0]?.status).toBe('error');
      await sleep(200);
      expect(createsFor(clientOrderId)).toHaveLength(0);
      // the failure was apisify's disk, not the exchange: the account's connectivity says nothing of it
      expect(bybitState()).toBe('ok');
    } finally {
      sync.restore();
    }
  });

  it('a pause while a create waits for the failing disk sends nothing: 503 trading_paused, not_sent', async () => {
    // the test before this one left the disk failing (the tests of this file run in order)
    expect(diskError()).toContain('cannot write its order journal to the disk');
    const sync = holdNextSync();
    try {
      const answer = order();
      const { orderId, clientOrderId } = await legUnderWay(sync);
      expect(legStatus(orderId)).toBe('submitted');
      engine.services.settings.update({ paused: true });
      sync.release();
      const call = await answer;
      expect(call.status).toBe(503);
      expect(call.body.error).toMatchObject({ code: 'trading_paused' });
      expect(engine.services.journal.get(orderId)?.status).toBe('not_sent');
      await sleep(200);
      expect(createsFor(clientOrderId)).toHaveLength(0);
    } finally {
      sync.restore();
      engine.services.settings.update({ paused: false });
    }
  });

  it('once a sync succeeded, the next order leaves at once again and the status is clear', async () => {
    expect(diskError()).toBe('');
    const sync = holdNextSync();
    try {
      const answer = order();
      const { clientOrderId } = await legUnderWay(sync);
      await until('the create reaches the exchange before the sync ends', () => createsFor(clientOrderId).length === 1);
      sync.release();
      expect((await answer).body.order?.status).toBe('filled');
    } finally {
      sync.restore();
    }
  });
});
