// A protective order whose create went unanswered, and which the exchange never received: once the
// follower has waited for it, the position still needs it, so it is placed again with its journaled
// client id (as crash recovery does), not left `not_sent` with the position unguarded. Lost again,
// the order says protection_failed. Real ccxt against the fake Binance USDⓈ-M with the stream down.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeExchange } from '../fake-exchange/index.js';
import type { TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { type GuardedBinance, startGuardedBinance } from '../support/guarded-binance.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'never-placed-key-0123456789';
const SECRET = 'never-placed-secret-abcdefghijklmn';
const ALGO = '/fapi/v1/algoOrder';
/** The create's own look-ups by client id (ccxt-venue LOOKUP_ATTEMPTS). */
const LOOKUPS = 4;

let guarded: GuardedBinance;
let engine: TestEngine;
let fake: FakeExchange;
let key: GuardedBinance['key'];

beforeAll(async () => {
  guarded = await startGuardedBinance({ credentials: { apiKey: API_KEY, secret: SECRET }, settings: { exchangeTimeoutMs: 2_000 }, followerTiming: { notFoundGraceMs: 1_500 }, streams: 'refuse' });
  ({ engine, fake, key } = guarded);
});
afterAll(() => guarded?.stop());

const posts = () => fake.requests(ALGO).filter((request) => request.method === 'POST');

async function guardedLong() {
  const placed = await postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
  expect(placed.body.order?.status).toBe('filled');
  const id = placed.body.order?.id as number;
  return { id, stop: () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss') };
}

describe('a protective order the exchange never received', () => {
  it('is placed again with its client id once the follower has waited for it', async () => {
    const before = posts().length;
    // the create is refused with a 503 that says nothing certain, and its own look-ups fail
    fake.failNext('server_error', { path: ALGO, method: 'POST' });
    fake.failNext('server_error', { path: ALGO, method: 'GET', count: LOOKUPS });
    const { id, stop } = await guardedLong();
    expect(stop()).toMatchObject({ status: 'submitted', exchangeOrderId: null });

    const armed = await eventually(stop, (leg) => leg?.status === 'open', 10_000);
    expect(posts()).toHaveLength(before + 2);
    expect(posts().map((request) => request.params['clientAlgoId']).slice(-2)).toEqual([armed?.clientOrderId, armed?.clientOrderId]);
    expect(engine.services.journal.get(id)?.error).toBeNull();
    // it guards the position: the price through its trigger closes it
    fake.setPrice('BTCUSDT', 58_000);
    await eventually(stop, (leg) => leg?.status === 'filled', 8_000);
    expect(fake.positions()).toEqual([]);
  }, 20_000);

  it('lost again: the order says protection_failed, and nothing is left armed', async () => {
    fake.setPrice('BTCUSDT', 60_000);
    fake.failNext('server_error', { path: ALGO, method: 'POST', count: 2 });
    fake.failNext('server_error', { path: ALGO, method: 'GET', count: LOOKUPS });
    const { id, stop } = await guardedLong();
    const failed = await eventually(() => engine.services.journal.get(id), (order) => order?.error?.code === 'protection_failed', 12_000);
    expect(failed?.error?.message).toMatch(/^the position is open without its protection: stop-loss at 59000: .*not placed/);
    expect(stop()?.status).toBe('rejected');
    fake.setPrice('BTCUSDT', 58_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.01);
  }, 20_000);
});
