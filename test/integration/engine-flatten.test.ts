// The kill switch in-process, as the tray calls it (Engine.flatten, no HTTP): the paused status pushed
// with the answer for the tray to redraw, then pause first and every position closed on the fake exchange.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

const API_KEY = 'engine-flatten-key-0123456789';
const SECRET = 'engine-flatten-secret-abcdefghijkl';

let engine: TestEngine;
let bybit: FakeExchange;
const events: EngineEvent[] = [];

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  engine.subscribe((event) => events.push(event));
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
});

const statuses = () => events.filter((event): event is Extract<EngineEvent, { type: 'status' }> => event.type === 'status');

describe('Engine.flatten, the tray’s kill switch', () => {
  it('pushes the paused status with its answer, not a status timer later', async () => {
    // nothing open and no account to read: the answer comes before the status timer (250 ms) would fire
    const answer = await engine.flatten({ pause: true });

    expect(answer).toEqual({ paused: true, closes: [], cancelled: [], failures: [] });
    expect(statuses().at(-1)?.status.paused).toBe(true);
    engine.setPaused(false);
  });

  it('pauses, then closes what the account holds', async () => {
    await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
    bybit.setPrice('BTCUSDT', 60_000);
    bybit.setPosition('BTCUSDT', 0.02, { entryPrice: 59_000 });
    expect(engine.status().paused).toBe(false);

    const answer = await engine.flatten({ pause: true });

    expect(answer.paused).toBe(true);
    expect(answer.failures).toEqual([]);
    expect(answer.closes).toEqual([expect.objectContaining({ exchange: 'bybit', account: 'default', symbol: 'BTC/USDT:USDT', status: 'filled', error: null })]);
    expect(bybit.positions().filter((position) => position.qty !== 0)).toEqual([]);
    expect(engine.status().paused).toBe(true);
  });
});
