// A protective order leaves only once its journal rows are on disk: unlike an entry's create, which
// leaves beside its sync (send-after-disk.test.ts), a stop placed after its entry filled waits for
// it, so that after a power cut its leg is as journaled. Real ccxt against the fake Binance USDⓈ-M,
// the journal's disk sync held by the test.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { until } from '../support/eventually.js';
import { startGuardedBinance, type GuardedBinance } from '../support/guarded-binance.js';
import { postSignedOrder } from '../support/signed-order.js';

const ALGO = '/fapi/v1/algoOrder';
let guarded: GuardedBinance;

beforeAll(async () => {
  guarded = await startGuardedBinance({ credentials: { apiKey: 'after-disk-key-0123456789', secret: 'after-disk-secret-abcdefghijklm' } });
});
afterAll(async () => {
  await guarded?.stop();
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('a stop placed after its entry filled', () => {
  it('reaches the exchange only once its rows are on disk', async () => {
    const { engine, fake, key } = guarded;
    const journal = engine.services.journal;
    const real = journal.durable.bind(journal);
    const held: (() => void)[] = [];
    let calls = 0;
    // the first sync is the entry's, beside its create; every later one (the stop's) is held
    const spy = vi.spyOn(journal, 'durable').mockImplementation(() => (++calls === 1 ? real() : real().then(() => new Promise<void>((release) => held.push(release)))));
    try {
      const answer = postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', symbol: 'BTCUSDT', side: 'Buy', qty: 0.01, stop_loss: 59_000 });
      const stopLeg = () => journal.latest()?.legs.find((leg) => leg.role === 'stop_loss');
      await until('the stop is journaled as being sent', () => stopLeg()?.status === 'submitted');
      await until("the stop's sync is under way", () => held.length > 0);
      await sleep(300);
      expect(fake.requests(ALGO).filter((request) => request.method === 'POST')).toHaveLength(0);

      for (const release of held.splice(0)) release();
      spy.mockRestore();
      expect((await answer).body.order?.status).toBe('filled');
      await until('the stop rests on the exchange', () => stopLeg()?.status === 'open');
      expect(fake.requests(ALGO).filter((request) => request.method === 'POST')).toHaveLength(1);
    } finally {
      spy.mockRestore();
      for (const release of held.splice(0)) release();
    }
  });
});
