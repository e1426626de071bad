// An order's create is prepared while its journal rows are synced to the disk, and written to the
// exchange only once they are there (exchanges/send-gate.ts): real ccxt against the fake Bybit, the
// journal's disk sync held or failed by the test. Nothing reaches the exchange before the sync, nor at
// all when the sync fails or trading is paused meanwhile.

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

/** The order being sent: planned, its leg marked submitted in the journal, its sync under way. */
async function legUnderWay(sync: ReturnType<typeof holdNextSync>) {
  await until('the order waits for its disk sync', () => sync.started());
  const order = engine.services.journal.latest();
  const leg = order?.legs[0];
  expect(leg?.status).toBe('submitted');
  return { orderId: order?.id as number, clientOrderId: leg?.clientOrderId as string };
}

describe('an order and the disk sync before its create', () => {
  it('its create reaches the exchange only once the journal is on disk, and then fills', async () => {
    const sync = holdNextSync();
    try {
      const answer = order();
      const { clientOrderId } = await legUnderWay(sync);
      await sleep(300);
      expect(createsFor(clientOrderId)).toHaveLength(0);
      sync.release();
      const call = await answer;
      expect(call.status).toBe(200);
      expect(call.body.order?.status).toBe('filled');
      expect(createsFor(clientOrderId)).toHaveLength(1);
    } finally {
      sync.restore();
    }
  });

  it('a sync that fails sends nothing: internal_error, the leg in error, and the exchange account still healthy', async () => {
    const sync = holdNextSync();
    try {
      const answer = order();
      const { orderId, clientOrderId } = await legUnderWay(sync);
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
      expect(engine.services.status().exchanges.find((connection) => connection.exchange === 'bybit')?.state).toBe('ok');
    } finally {
      sync.restore();
    }
  });

  it('a pause while the sync runs sends nothing: 503 trading_paused, not_sent', async () => {
    const sync = holdNextSync();
    try {
      const answer = order();
      const { orderId, clientOrderId } = await legUnderWay(sync);
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

  it('the next order after those goes out as usual', async () => {
    const call = await order();
    expect(call.body.order?.status).toBe('filled');
    const legs = call.body.order?.orders as { client_order_id: string }[];
    expect(createsFor(legs[0]?.client_order_id as string)).toHaveLength(1);
  });
});
