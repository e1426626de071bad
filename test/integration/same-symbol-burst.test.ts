// Orders on one symbol leave in arrival order. A plain Buy or Sell of a fixed amount plans from nothing
// the orders before it change, so it leaves right after them instead of a round trip later, when their
// answers come; a Close reads the position they leave, so it waits for their answers. Real ccxt
// against the fake Binance USDⓈ-M, with a 400 ms round trip to it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'burst-key-0123456789abcdef';
const SECRET = 'burst-secret-abcdefghijklmnopqrs';
const ROUND_TRIP_MS = 400;
const CREATE = '/fapi/v1/order';

let engine: TestEngine;
let fake: FakeExchange;
let key: { apikey: string; secret: string };

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, roundTripMs: ROUND_TRIP_MS });
  fake.setBalance('USDT', 100_000);
  fake.setPrice('BTCUSDT', 60_000);
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 4_000 });
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, fake.url);
  engine.services.strategies.add({ name: 'plain', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  // warm: markets, position mode and the account's stream are known before the timings below
  expect((await order('Buy')).status).toBe(200);
  expect((await order('Close')).status).toBe(200);
}, 30_000);
afterAll(async () => {
  await engine?.stop();
  await fake?.close();
});

function order(side: 'Buy' | 'Sell' | 'Close') {
  return postSignedOrder(engine.url, key, { strategy: 'plain', exchange: 'binance', order_type: 'Market', side, symbol: 'BTCUSDT', qty: 0.01 });
}

const creates = () => fake.requests(CREATE).filter((request) => request.method === 'POST');

/** Posts `first`, and `then` once the first's create has reached the exchange (its answer a round trip away). */
async function oneAfterAnother(first: 'Buy' | 'Sell', then: 'Buy' | 'Sell' | 'Close') {
  const before = creates().length;
  const answers = [order(first)];
  await eventually(creates, (seen) => seen.length === before + 1, 5_000);
  answers.push(order(then));
  const bodies = await Promise.all(answers);
  const sent = await eventually(creates, (seen) => seen.length === before + 2, 5_000);
  const ids = bodies.map((answer) => answer.body.order?.id);
  return { bodies, sent: sent.slice(before), ids };
}

describe('orders on one symbol', () => {
  it('a plain Buy after another leaves before the first one’s answer, and after it', async () => {
    const { bodies, sent, ids } = await oneAfterAnother('Buy', 'Sell');
    expect(bodies.map((answer) => answer.body.order?.status)).toEqual(['filled', 'filled']);
    // in arrival order: the journal ids are in the client order ids
    expect(sent.map((request) => String(request.params['newClientOrderId']))).toEqual(ids.map((id) => expect.stringContaining(`-${String(id)}-`)));
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeLessThan(ROUND_TRIP_MS / 2);
  });

  it('a Close after a Buy waits for the Buy’s answer: it closes what the Buy left', async () => {
    const { bodies, sent } = await oneAfterAnother('Buy', 'Close');
    expect(bodies.map((answer) => answer.body.order?.status)).toEqual(['filled', 'filled']);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(ROUND_TRIP_MS);
    expect(sent[1]?.params).toMatchObject({ side: 'SELL', quantity: '0.01', reduceOnly: 'true' });
    expect(fake.positions()).toEqual([]);
  });
});
