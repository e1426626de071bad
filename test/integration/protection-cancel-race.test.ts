// A protective order cancelled while its create is still on its way to the exchange (a flatten as the
// entry's stop goes out): it must end cancelled on the exchange, not only in the journal, and a leg
// not yet sent must never go out.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeExchange } from '../fake-exchange/index.js';
import type { TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { type GuardedBinance, startGuardedBinance } from '../support/guarded-binance.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'race-exchange-key-0123456789';
const SECRET = 'race-exchange-secret-abcdefghijklmnop';

let guarded: GuardedBinance;
let engine: TestEngine;
let fake: FakeExchange;
let key: GuardedBinance['key'];

beforeAll(async () => {
  guarded = await startGuardedBinance({ credentials: { apiKey: API_KEY, secret: SECRET }, settings: { exchangeTimeoutMs: 5_000 } });
  ({ engine, fake, key } = guarded);
});
afterAll(() => guarded?.stop());

describe('a protective order cancelled while it is being placed', () => {
  it('is cancelled on the exchange once its create answers, and the leg not yet sent never goes out', async () => {
    // the stop-loss's create waits at the exchange: the take-profit waits behind it
    fake.failNext('hold_before_accept', { path: '/fapi/v1/algoOrder', delayMs: 1_500 });
    const placing = postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
    const legs = () => engine.services.journal.list({ limit: 1 })[0]?.legs.filter((leg) => leg.role !== 'entry') ?? [];
    await eventually(legs, (protective) => protective.map((leg) => leg.status).join() === 'submitted,received', 5_000);
    const id = engine.services.journal.list({ limit: 1 })[0]?.id as number;
    await engine.services.orders.protection.cancelLegs(legs().map((leg) => ({ orderId: id, leg: leg.leg, exchangeOrderId: leg.exchangeOrderId })));
    expect((await placing).body.order?.status).toBe('filled');
    expect((await eventually(legs, (protective) => protective.every((leg) => leg.status === 'cancelled'), 8_000)).map((leg) => leg.status)).toEqual(['cancelled', 'cancelled']);
    // nothing of them is left on the exchange: a price through either trigger closes nothing
    for (const price of [58_000, 66_000]) {
      fake.setPrice('BTCUSDT', price);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fake.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.01);
    }
  });
});
