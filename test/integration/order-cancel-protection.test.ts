// The UI's Cancel on an order whose entry filled and whose stop-loss rests on Binance USDⓈ-M's algo
// service: the stop is cancelled there (its cancel goes to the algo endpoint, journaled as wanted until
// it ended), not asked of the order endpoint, which does not know it. Real ccxt against the fake.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeExchange } from '../fake-exchange/index.js';
import type { TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { type GuardedBinance, startGuardedBinance } from '../support/guarded-binance.js';
import { postSignedOrder } from '../support/signed-order.js';

const ALGO = '/fapi/v1/algoOrder';

let guarded: GuardedBinance;
let engine: TestEngine;
let fake: FakeExchange;

beforeAll(async () => {
  guarded = await startGuardedBinance({ credentials: { apiKey: 'cancel-protection-key-0123456789', secret: 'cancel-protection-secret-abcdefghijkl' } });
  ({ engine, fake } = guarded);
});
afterAll(() => guarded?.stop());

describe("Cancel on an order whose stop rests on the exchange", () => {
  it('cancels the stop on the algo service, and the order shows it cancelled', async () => {
    const placed = await postSignedOrder(engine.url, guarded.key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
    expect(placed.body.order?.status).toBe('filled');
    const id = placed.body.order?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    expect((await eventually(stop, (leg) => leg?.status === 'open', 5_000))?.status).toBe('open');

    await engine.services.orders.cancel(id);

    expect((await eventually(stop, (leg) => leg?.status === 'cancelled', 5_000))?.status).toBe('cancelled');
    expect(fake.requests(ALGO).filter((request) => request.method === 'DELETE')).toHaveLength(1);
    expect(fake.requests('/fapi/v1/order').filter((request) => request.method === 'DELETE')).toEqual([]);
    // nothing armed is left: a price through the trigger closes nothing
    fake.setPrice('BTCUSDT', 58_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.01);
  });

  it('a cancel the exchange does not confirm is answered as such, and tried again until the stop ended', async () => {
    fake.setPrice('BTCUSDT', 60_000);
    const placed = await postSignedOrder(engine.url, guarded.key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000 });
    const id = placed.body.order?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    expect((await eventually(stop, (leg) => leg?.status === 'open', 5_000))?.status).toBe('open');
    fake.failNext('server_error', { path: ALGO, method: 'DELETE' });

    await expect(engine.services.orders.cancel(id)).rejects.toMatchObject({ status: 502, code: 'cancel_not_confirmed', message: expect.stringMatching(/^the exchange did not confirm the cancel of the stop-loss of order \d+; it stays armed for now/) });
    expect(stop()?.status).toBe('open');
    expect((await eventually(stop, (leg) => leg?.status === 'cancelled', 6_000))?.status).toBe('cancelled');
  });
});
