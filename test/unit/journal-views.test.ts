import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal, type NewLeg } from '../../main/engine/store/journal.js';

const ORDERS = 1_200;

/** Order i has i % 3 legs (none, one, or two), so that a mix-up between orders shows. */
function legsOf(orderId: number, index: number): NewLeg[] {
  return Array.from({ length: index % 3 }, (_, n) => ({
    leg: n + 1,
    clientOrderId: `views-${orderId}-${n + 1}`,
    side: n === 0 ? 'sell' : 'buy',
    type: 'market',
    amount: String(n + 1),
    price: null,
    reduceOnly: n === 0,
  }));
}

describe('Journal views of many orders', () => {
  let db: Database;
  let journal: Journal;
  const planned = new Map<number, string[]>();

  beforeAll(() => {
    db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-views-')));
    journal = new Journal(db);
    for (let index = 0; index < ORDERS; index++) {
      const orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'views', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Sar', intent: 'sar', orderType: 'market', qty: '1', price: null, memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: { n: index }, bodyDigest: null });
      const legs = legsOf(orderId, index);
      journal.plan(orderId, 'views', legs, 'submitted');
      planned.set(orderId, legs.map((leg) => leg.clientOrderId));
    }
  });

  afterAll(() => db.close());

  it('list() gives every order its own legs, in leg order', () => {
    const listed = journal.list({ limit: 1000 });
    expect(listed).toHaveLength(1000);
    for (const order of listed) expect(order.legs.map((leg) => leg.clientOrderId)).toEqual(planned.get(order.id));
    expect(listed.some((order) => order.legs.length === 2)).toBe(true);
  });

  it('unfinished() reads the legs of more orders than one query takes', () => {
    const unfinished = journal.unfinished();
    expect(unfinished).toHaveLength(ORDERS);
    for (const order of unfinished) expect(order.legs.map((leg) => leg.clientOrderId)).toEqual(planned.get(order.id));
  });

  it('a view from the list is the same as the one read alone', () => {
    const [first] = journal.list({ limit: 1 });
    expect(first).toEqual(journal.get(first?.id as number));
  });
});
