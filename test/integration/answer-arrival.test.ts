// The scheduler counts each request's window from when its answer arrived, as the transport saw it
// (scheduling/answer-arrival.ts): proven through real ccxt and apisify's owned instance against the
// fake Bybit, so a lost async context (the arrival never noted, every release falling back to "now")
// fails here, not only in the transport's own test.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCcxtExchange } from '../../main/engine/exchanges/ccxt/ccxt-exchange.js';
import type { OwnedExchange } from '../../main/engine/exchanges/ccxt/owned-exchange.js';
import { bybitLimits } from '../../main/engine/exchanges/scheduling/bybit-limits.js';
import { type Charge, type Release, type RequestClass, RequestScheduler } from '../../main/engine/exchanges/scheduling/request-scheduler.js';
import { API_KEY, SECRET } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';

/** A scheduler that notes, for every release, the arrival it was given and when it was called. */
class RecordingScheduler extends RequestScheduler {
  readonly releases: { answeredAt: number | undefined; releasedAt: number }[] = [];

  override async admit(charges: readonly Charge[], requestClass: RequestClass): Promise<Release> {
    const release = await super.admit(charges, requestClass);
    return (answeredAt) => {
      this.releases.push({ answeredAt, releasedAt: performance.now() });
      release(answeredAt);
    };
  }
}

let fake: FakeExchange;
let instance: OwnedExchange;
const scheduler = new RecordingScheduler();

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 100_000);
  instance = await createCcxtExchange({
    exchange: 'bybit',
    marketType: 'swap',
    credentials: { apiKey: API_KEY, secret: SECRET },
    baseUrl: fake.url,
    timeoutMs: 2_000,
    budget: { scheduler, limits: bybitLimits(), account: 'main' },
  });
});

afterAll(async () => {
  await instance?.close();
  await fake?.close();
});

it('every request, public and signed, is released with the time its answer arrived, before ccxt had parsed it', async () => {
  const started = performance.now();
  await instance.loadMarkets();
  await instance.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
  await instance.fetchOpenOrders('BTC/USDT:USDT');
  expect(scheduler.releases.length).toBeGreaterThanOrEqual(3);
  for (const { answeredAt, releasedAt } of scheduler.releases) {
    expect(answeredAt).toBeDefined();
    expect(answeredAt as number).toBeGreaterThanOrEqual(started);
    expect(answeredAt as number).toBeLessThanOrEqual(releasedAt);
  }
  // the markets' answer is large: ccxt parsed it well after its headers came
  const [markets] = scheduler.releases;
  expect((markets?.releasedAt ?? 0) - (markets?.answeredAt ?? 0)).toBeGreaterThan(0);
});

it('a request that fails at the exchange is released too, with its answer’s arrival', async () => {
  const before = scheduler.releases.length;
  await expect(instance.createOrder('BTC/USDT:USDT', 'market', 'buy', 1e9)).rejects.toThrow();
  const failed = scheduler.releases.slice(before);
  expect(failed).toHaveLength(1);
  expect(failed[0]?.answeredAt).toBeDefined();
});
