// The exchange's clock apart from the machine's (setClockOffset): the time endpoints answer with it,
// signed requests and websocket authentication are checked against it (Bybit 10002, Binance -1021),
// ccxt maps the refusals to InvalidNonce, and loadTimeDifference() brings the same client back.

import { afterEach, describe, expect, test } from 'vitest';
import { AuthenticationError, InvalidNonce } from '../../node_modules/ccxt/js/src/base/errors.js';
import { API_KEY, binanceClient, binanceUsdmClient, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type Venue } from './index.js';
import { hmacSha256Hex } from './signing.js';
import { until, within } from './test-helpers.js';

let fake: FakeExchange | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake?.close();
  fake = undefined;
});

async function started(venue: Venue): Promise<FakeExchange> {
  fake = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 10_000);
  return fake;
}

const BYBIT_UNIFIED = { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } };

interface SignedClient {
  fetchTime(): Promise<number | undefined>;
  fetchBalance(): Promise<unknown>;
  loadTimeDifference(): Promise<number>;
  loadMarkets(): Promise<unknown>;
}

const CASES: { name: string; venue: Venue; client: (f: FakeExchange) => SignedClient; timePath: string }[] = [
  { name: 'bybit', venue: 'bybit', client: (f) => bybitClient(f, BYBIT_UNIFIED), timePath: '/v5/market/time' },
  { name: 'binance spot', venue: 'binance', client: (f) => binanceClient(f), timePath: '/api/v3/time' },
  { name: 'binance USDⓈ-M', venue: 'binance', client: (f) => binanceUsdmClient(f), timePath: '/fapi/v1/time' },
];

describe.each(CASES)('$name', (c) => {
  test('the time endpoint answers with the machine clock plus the offset', async () => {
    const exchange = await started(c.venue);
    const ex = c.client(exchange);
    exchange.setClockOffset(90_000);
    const before = Date.now();
    const serverTime = await ex.fetchTime();
    expect(serverTime).toBeGreaterThanOrEqual(before + 90_000);
    expect(serverTime).toBeLessThanOrEqual(Date.now() + 90_000);
    expect(exchange.requestCount(c.timePath)).toBe(1);
  });

  test.each([
    ['ahead of the client (its timestamps are too old)', 30_000],
    ['behind the client (its timestamps are from the future)', -5_000],
  ])('an exchange clock %s refuses signed calls as InvalidNonce until loadTimeDifference', async (_, offset) => {
    const exchange = await started(c.venue);
    const ex = c.client(exchange);
    await ex.loadMarkets();
    exchange.setClockOffset(offset);
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(InvalidNonce);
    const difference = await ex.loadTimeDifference();
    // ccxt keeps local minus server time, and signs with its own clock minus that
    expect(Math.abs(difference + offset)).toBeLessThan(500);
    await expect(ex.fetchBalance()).resolves.toBeDefined();
  });
});

/** A signed Binance GET with the timestamp given, sent without ccxt, to read the status and body as they are. */
async function binanceSigned(exchange: FakeExchange, path: string, timestamp: number): Promise<{ status: number; body: unknown }> {
  const query = `timestamp=${timestamp}&recvWindow=5000`;
  const res = await fetch(`${exchange.url}${path}?${query}&signature=${hmacSha256Hex(SECRET, query)}`, { headers: { 'X-MBX-APIKEY': API_KEY } });
  return { status: res.status, body: await res.json() };
}

describe('the refusals on the wire', () => {
  test('Binance: HTTP 400, -1021, ahead by a second or more, or outside the recvWindow', async () => {
    const exchange = await started('binance');
    exchange.setClockOffset(-2_000);
    expect(await binanceSigned(exchange, '/fapi/v2/balance', Date.now())).toEqual({
      status: 400,
      body: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
    });
    exchange.setClockOffset(6_000);
    expect(await binanceSigned(exchange, '/api/v3/account', Date.now())).toEqual({
      status: 400,
      body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
    });
    exchange.setClockOffset(0);
    expect((await binanceSigned(exchange, '/api/v3/account', Date.now())).status).toBe(200);
  });

  test('Bybit: HTTP 200, retCode 10002, naming both timestamps and the window', async () => {
    const exchange = await started('bybit');
    exchange.setClockOffset(20_000);
    const timestamp = String(Date.now());
    const query = 'accountType=UNIFIED';
    const res = await fetch(`${exchange.url}/v5/account/wallet-balance?${query}`, {
      headers: {
        'X-BAPI-API-KEY': API_KEY,
        'X-BAPI-TIMESTAMP': timestamp,
        'X-BAPI-RECV-WINDOW': '5000',
        'X-BAPI-SIGN': hmacSha256Hex(SECRET, timestamp + API_KEY + '5000' + query),
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { retCode: number; retMsg: string; time: number };
    expect(body.retCode).toBe(10002);
    expect(body.retMsg).toMatch(new RegExp(`^invalid request, please check your server timestamp or recv_window param\\. req_timestamp\\[${timestamp}\\],server_timestamp\\[\\d+\\],recv_window\\[5000\\]$`));
    // the answer's own time is the exchange's
    expect(body.time).toBeGreaterThanOrEqual(Number(timestamp) + 20_000);
  });
});

describe('websocket authentication reads the same clock', () => {
  test('Binance spot WebSocket API: -1021 is InvalidNonce, and loadTimeDifference lets the subscription through', async () => {
    const exchange = await started('binance');
    const ex = binanceClient(exchange);
    closers.push(() => ex.close());
    await ex.loadMarkets();
    exchange.setClockOffset(-5_000);
    await expect(within(ex.watchBalance())).rejects.toBeInstanceOf(InvalidNonce);
    await ex.loadTimeDifference();
    const balance = ex.watchBalance();
    await until(() => exchange.websocketStats().channels.includes('userData'));
    exchange.setBalance('USDT', 11_000, 'spot');
    expect((await within(balance))['USDT']).toMatchObject({ total: 11_000 });
  });

  test("Bybit private stream: `expires` must be ahead of the exchange's clock; ccxt sets it 10 s after its own clock, time difference or not", async () => {
    const exchange = await started('bybit');
    // within REST's 5 s window, so loading markets (a signed call) needs no time difference
    exchange.setClockOffset(3_000);
    const near = bybitClient(exchange, BYBIT_UNIFIED);
    closers.push(() => near.close());
    const watched = near.watchBalance();
    await until(() => exchange.websocketStats().channels.includes('wallet'));
    exchange.setBalance('USDT', 12_000);
    expect((await within(watched))['USDT']).toMatchObject({ total: 12_000 });

    exchange.setClockOffset(15_000);
    const far = bybitClient(exchange, BYBIT_UNIFIED);
    closers.push(() => far.close());
    await far.loadTimeDifference();
    await expect(within(far.watchBalance())).rejects.toBeInstanceOf(AuthenticationError);
  });
});
