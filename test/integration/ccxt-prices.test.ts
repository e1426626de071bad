// The last prices behind a Market order's minimum-value check (exchanges/ccxt/ccxt-prices.ts), with
// real ccxt against the fake exchanges: an order that a fresh snapshot answers starts no ticker stream
// before its create could leave (the stream starts a moment later, for the next order); an order with
// no price known reads once by REST and starts the stream at once; a closed instance starts none.

import { afterEach, describe, expect, test } from 'vitest';
import { CcxtPrices } from '../../main/engine/exchanges/ccxt/ccxt-prices.js';
import { binanceUsdmClient, bybitClient, API_KEY, SECRET } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange, type Venue } from '../fake-exchange/index.js';
import { until } from '../fake-exchange/test-helpers.js';

interface Case {
  venue: Venue;
  client: (fake: FakeExchange) => ReturnType<typeof bybitClient> | ReturnType<typeof binanceUsdmClient>;
  symbol: string;
  id: string;
  /** The ticker subscription the fake sees for the symbol. */
  channel: string;
  /** Where a single symbol's price is read by REST. */
  tickerPath: string;
}

const CASES: Case[] = [
  {
    venue: 'bybit',
    client: (fake) => bybitClient(fake, { options: { enableUnifiedAccount: true, enableUnifiedMargin: false, fetchMarkets: { types: ['linear'] } } }),
    symbol: 'BTC/USDT:USDT',
    id: 'BTCUSDT',
    channel: 'tickers.BTCUSDT',
    tickerPath: '/v5/market/tickers',
  },
  { venue: 'binance', client: (fake) => binanceUsdmClient(fake), symbol: 'BTC/USDT:USDT', id: 'BTCUSDT', channel: 'btcusdt@miniTicker', tickerPath: '/fapi/v1/ticker/24hr' },
];

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(c: Case): Promise<{ fake: FakeExchange; exchange: ReturnType<Case['client']> }> {
  const fake = await startFakeExchange({ venue: c.venue, apiKey: API_KEY, secret: SECRET });
  cleanups.push(() => fake.close());
  const exchange = c.client(fake);
  cleanups.push(() => exchange.close());
  await exchange.loadMarkets();
  return { fake, exchange };
}

const subscribed = (fake: FakeExchange, channel: string) => fake.websocketStats().channels.includes(channel);

describe.each(CASES)('$venue', (c) => {
  test('a price from a fresh snapshot: no stream is started on the order’s path; it starts a moment later and its pushes are used', async () => {
    const { fake, exchange } = await started(c);
    const prices = new CcxtPrices(exchange, 100);
    cleanups.push(async () => prices.close());
    await prices.snapshot();
    const reads = fake.requestCount(c.tickerPath);

    expect(await prices.forMinimum(c.symbol)).toBe(60_000);
    // the order's create would be under way now: nothing was subscribed, nothing read
    await sleep(40);
    expect(subscribed(fake, c.channel)).toBe(false);
    expect(fake.websocketStats().connections).toBe(0);
    // a second order meanwhile starts nothing either, nor a second stream later
    expect(await prices.forMinimum(c.symbol)).toBe(60_000);

    await until(() => subscribed(fake, c.channel));
    fake.setPrice(c.id, 61_500, 'linear');
    let price = await prices.forMinimum(c.symbol);
    for (let tries = 0; price !== 61_500 && tries < 100; tries++) {
      await sleep(20);
      price = await prices.forMinimum(c.symbol);
    }
    expect(price).toBe(61_500);
    expect(fake.requestCount(c.tickerPath)).toBe(reads);
    expect(fake.websocketStats().channels.filter((channel) => channel === c.channel)).toHaveLength(1);
  });

  test('no price known: one REST read, and the stream starts at once', async () => {
    const { fake, exchange } = await started(c);
    // a deferral far longer than the test: only the immediate start can subscribe
    const prices = new CcxtPrices(exchange, 60_000);
    cleanups.push(async () => prices.close());
    const reads = fake.requestCount(c.tickerPath);

    expect(await prices.forMinimum(c.symbol)).toBe(60_000);
    expect(fake.requestCount(c.tickerPath)).toBe(reads + 1);
    await until(() => subscribed(fake, c.channel));
  });

  test('closed before its deferred start: no stream is started', async () => {
    const { fake, exchange } = await started(c);
    const prices = new CcxtPrices(exchange, 30);
    await prices.snapshot();
    expect(await prices.forMinimum(c.symbol)).toBe(60_000);
    prices.close();
    await sleep(150);
    expect(subscribed(fake, c.channel)).toBe(false);
    expect(fake.websocketStats().connections).toBe(0);
  });
});
