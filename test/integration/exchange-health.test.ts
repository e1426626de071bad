import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../shared/engine-status.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let fake: FakeExchange;
let key: { apikey: string; secret: string };
const statuses: EngineStatus[] = [];

beforeAll(async () => {
  engine = await startTestEngine({ exchangeTimeoutMs: 1_500, orderWaitMs: 10_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 1_000_000);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, fake.url);
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  engine.services.events.subscribe((event) => {
    if (event.type === 'status') statuses.push(event.status);
  });
});
afterAll(async () => {
  await engine?.stop();
  await fake?.close();
});

const order = () => postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT' });
const bybit = () => engine.services.status().exchanges.find((connection) => connection.exchange === 'bybit');

describe('exchange connectivity in the engine’s status', () => {
  it('is unknown until the account is used, then connected', async () => {
    expect(engine.services.status().exchanges).toEqual([]);
    expect((await order()).status).toBe(200);
    expect(bybit()).toMatchObject({ state: 'ok', message: null });
    // A fill's trades (its fees) are taken from the stream a moment later, or read if it missed them:
    // let that pass before the next test counts the requests it makes fail.
    const id = engine.services.journal.latest()?.id as number;
    expect(await eventually(() => engine.services.journal.fills.ofLeg(id, 1).every((fill) => fill.source === 'trade'), (taken) => taken, 6_000)).toBe(true);
  });

  it('turns failing when the exchange cannot be reached, and is published as a status event', async () => {
    // The create, its four look-ups by client order id and the state's look-up after it: all fail.
    fake.failNext('server_error', { count: 6 });
    const call = await order();
    // Sent, and nobody could tell whether it was placed: it stays submitted for the follower.
    expect(call.status).toBe(200);
    expect(call.body.order?.['status']).toBe('submitted');
    expect(bybit()).toMatchObject({ state: 'failing', message: expect.stringMatching(/unreachable or failing/) });
    // The tray and the status bar's alert show it too.
    expect(engine.services.status().error).toBe(bybit()?.message);
    const published = await eventually(() => statuses.at(-1), (status) => status?.exchanges.some((item) => item.exchange === 'bybit' && item.state === 'failing') === true, 2_000);
    expect(published?.exchanges).toEqual([expect.objectContaining({ exchange: 'bybit', state: 'failing' })]);
  });

  it('an order the exchange refuses still shows the account connected', async () => {
    fake.failNext('insufficient_funds');
    const call = await order();
    expect(call.body.error?.code).toBe('insufficient_funds');
    expect(bybit()).toMatchObject({ state: 'ok' });
    expect(engine.services.status().error).toBeNull();
  });

  it('refused credentials show as failing with the reason; removing the account drops it', async () => {
    fake.failNext('auth', { count: 2 });
    expect((await engine.services.ccxt.test(defaultAccountOf('bybit'))).ok).toBe(false);
    expect(bybit()).toMatchObject({ state: 'failing', message: expect.stringMatching(/refused apisify's API credentials/) });
    expect(JSON.stringify(engine.services.status())).not.toContain(SECRET);
    await engine.services.exchanges.remove(defaultAccountOf('bybit'));
    expect(engine.services.status().exchanges).toEqual([]);
  });
});
