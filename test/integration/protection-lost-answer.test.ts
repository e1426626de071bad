// A protective order whose create's answer was lost (the exchange placed it, and could not say so),
// cancelled before anything learnt its id: it must end cancelled on the exchange, not only in the
// journal, where it would stay armed and unfollowed. The account's stream is down, so no push tells
// the id either; real ccxt against the fake Binance USDⓈ-M.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeExchange } from '../fake-exchange/index.js';
import type { TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { type GuardedBinance, startGuardedBinance } from '../support/guarded-binance.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'lost-answer-key-0123456789';
const SECRET = 'lost-answer-secret-abcdefghijklmnop';
const ALGO = '/fapi/v1/algoOrder';

let guarded: GuardedBinance;
let engine: TestEngine;
let fake: FakeExchange;
let key: GuardedBinance['key'];

beforeAll(async () => {
  guarded = await startGuardedBinance({ credentials: { apiKey: API_KEY, secret: SECRET }, settings: { exchangeTimeoutMs: 2_000 }, streams: 'refuse' });
  ({ engine, fake, key } = guarded);
});
afterAll(() => guarded?.stop());

describe('a protective order cancelled after its answer was lost', () => {
  it('is found by its client id and cancelled on the exchange', async () => {
    // the stop is placed, its answer says the exchange cannot tell, and the create's own look-ups fail
    fake.failNext('unknown_after_accept', { path: ALGO, method: 'POST' });
    fake.failNext('server_error', { path: ALGO, method: 'GET', count: 4 });
    const placed = await postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
    expect(placed.body.order?.status).toBe('filled');
    const id = placed.body.order?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    await eventually(() => fake.requests(ALGO).filter((request) => request.method === 'GET').length, (lookUps) => lookUps === 4, 8_000);
    // the create has given up asking; the follower's first look is a second away
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stop()).toMatchObject({ status: 'submitted', exchangeOrderId: null });
    expect(fake.requests(ALGO).filter((request) => request.method === 'DELETE')).toEqual([]);

    await engine.services.orders.protection.cancelLegs([{ orderId: id, leg: stop()?.leg as number, exchangeOrderId: null }]);

    const ended = await eventually(stop, (leg) => leg?.status === 'cancelled', 5_000);
    expect(ended?.exchangeOrderId).not.toBeNull();
    expect(fake.requests(ALGO).filter((request) => request.method === 'DELETE')).toHaveLength(1);
    // nothing is left armed: a price through the trigger closes nothing
    fake.setPrice('BTCUSDT', 58_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.01);
  });

  it('cancelled while its create is on its way, and that answer is then lost: cancelled once the follower finds it', async () => {
    fake.setPrice('BTCUSDT', 60_000);
    const placedBefore = fake.requests(ALGO).filter((request) => request.method === 'POST').length;
    // placed, its answer held past the engine's timeout; the create's own look-ups fail
    fake.failNext('timeout_after_accept', { path: ALGO, method: 'POST', delayMs: 4_000 });
    fake.failNext('server_error', { path: ALGO, method: 'GET', count: 4 });
    // the order's answer waits for its protection: the cancel comes meanwhile
    const placing = postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
    await eventually(() => fake.requests(ALGO).filter((request) => request.method === 'POST').length, (count) => count === placedBefore + 1, 5_000);
    const id = engine.services.journal.latest()?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    const deletesBefore = fake.requests(ALGO).filter((request) => request.method === 'DELETE').length;

    await engine.services.orders.protection.cancelLegs([{ orderId: id, leg: stop()?.leg as number, exchangeOrderId: null }]);
    expect(stop()).toMatchObject({ status: 'submitted', exchangeOrderId: null });
    expect((await placing).body.order?.status).toBe('filled');

    const ended = await eventually(stop, (leg) => leg?.status === 'cancelled', 12_000);
    expect(ended?.exchangeOrderId).not.toBeNull();
    expect(fake.requests(ALGO).filter((request) => request.method === 'DELETE')).toHaveLength(deletesBefore + 1);
    fake.setPrice('BTCUSDT', 58_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.02);
  }, 20_000);

  it('fired before its lost answer was looked up, and the order it placed cannot be read yet: stays submitted, and the follower learns it filled', async () => {
    fake.setPrice('BTCUSDT', 60_000);
    const placedBefore = fake.requests(ALGO).filter((request) => request.method === 'POST').length;
    fake.failNext('timeout_after_accept', { path: ALGO, method: 'POST', delayMs: 4_000 });
    const placing = postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
    await eventually(() => fake.requests(ALGO).filter((request) => request.method === 'POST').length, (count) => count === placedBefore + 1, 5_000);
    const id = engine.services.journal.latest()?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    // the stop fires while its answer is held; the create's look-up then finds it triggered, and the
    // read of the order it placed fails once
    fake.setPrice('BTCUSDT', 58_000);
    await eventually(() => fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty, (qty) => qty === 0.02, 3_000);
    const readsBefore = fake.requests('/fapi/v1/order').filter((request) => request.method === 'GET').length;
    fake.failNext('server_error', { path: '/fapi/v1/order', method: 'GET' });

    expect((await placing).body.order?.status).toBe('filled');
    expect(stop()?.status).not.toBe('rejected');
    const ended = await eventually(stop, (leg) => leg?.status === 'filled', 12_000);
    expect(ended).toMatchObject({ filled: '0.01' });
    // the placed order was read: once by the create's look-up (refused), then by the follower
    expect(fake.requests('/fapi/v1/order').filter((request) => request.method === 'GET').length).toBeGreaterThanOrEqual(readsBefore + 2);
    expect(engine.services.journal.get(id)?.error?.code).not.toBe('protection_failed');
    expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.02);
  }, 20_000);
});
