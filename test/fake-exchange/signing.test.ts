// Raw HTTP against the fake, signed by hand from the exchanges' documented recipes (not by
// ccxt), so the fake's checks are tested on their own terms.

import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { startFakeExchange, type FakeExchange } from './index.js';

const KEY = 'raw-key';
const SECRET = 'raw-secret';

const hmac = (payload: string, secret = SECRET): string => createHmac('sha256', secret).update(payload).digest('hex');

let fake: FakeExchange;

afterEach(async () => {
  await fake.close();
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json();
  if (!isRecord(body)) throw new Error(`not an object: ${JSON.stringify(body)}`);
  return body;
}

describe('bybit', () => {
  const bybitHeaders = (payload: string, opts: { timestamp?: number; secret?: string } = {}): Record<string, string> => {
    const timestamp = String(opts.timestamp ?? Date.now());
    return {
      'X-BAPI-API-KEY': KEY,
      'X-BAPI-TIMESTAMP': timestamp,
      'X-BAPI-RECV-WINDOW': '5000',
      'X-BAPI-SIGN': hmac(timestamp + KEY + '5000' + payload, opts.secret),
      'Content-Type': 'application/json',
    };
  };

  test('public calls need no signature; private calls without one are refused', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: KEY, secret: SECRET });
    const time = await json(await fetch(`${fake.url}/v5/market/time`));
    expect(time['retCode']).toBe(0);
    const unsigned = await json(await fetch(`${fake.url}/v5/account/wallet-balance?accountType=UNIFIED`));
    expect(unsigned['retCode']).toBe(10003);
    const keyOnly = await json(await fetch(`${fake.url}/v5/account/wallet-balance?accountType=UNIFIED`, { headers: { 'X-BAPI-API-KEY': KEY } }));
    expect(keyOnly['retCode']).toBe(10002);
  });

  test('GET signs the raw query, POST the raw body; a wrong secret or changed body is 10004', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: KEY, secret: SECRET });
    fake.setBalance('USDT', 1_000);
    const query = 'accountType=UNIFIED&coin=USDT';
    const ok = await json(await fetch(`${fake.url}/v5/account/wallet-balance?${query}`, { headers: bybitHeaders(query) }));
    expect(ok['retCode']).toBe(0);
    const wrong = await json(await fetch(`${fake.url}/v5/account/wallet-balance?${query}`, { headers: bybitHeaders(query, { secret: 'x' }) }));
    expect(wrong['retCode']).toBe(10004);

    const body = JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01' });
    const tampered = body.replace('0.01', '0.02');
    const refused = await json(await fetch(`${fake.url}/v5/order/create`, { method: 'POST', body: tampered, headers: bybitHeaders(body) }));
    expect(refused['retCode']).toBe(10004);
    expect(fake.createdOrders()).toEqual([]);
    const placed = await json(await fetch(`${fake.url}/v5/order/create`, { method: 'POST', body, headers: bybitHeaders(body) }));
    expect(placed['retCode']).toBe(0);
    expect(fake.createdOrders()).toHaveLength(1);
  });

  test('timestamps older than recvWindow or 1 s ahead are 10002', async () => {
    fake = await startFakeExchange({ venue: 'bybit', apiKey: KEY, secret: SECRET });
    const query = 'accountType=UNIFIED';
    const url = `${fake.url}/v5/account/wallet-balance?${query}`;
    const stale = await json(await fetch(url, { headers: bybitHeaders(query, { timestamp: Date.now() - 6_000 }) }));
    expect(stale['retCode']).toBe(10002);
    const ahead = await json(await fetch(url, { headers: bybitHeaders(query, { timestamp: Date.now() + 2_000 }) }));
    expect(ahead['retCode']).toBe(10002);
    const slightlyOld = await json(await fetch(url, { headers: bybitHeaders(query, { timestamp: Date.now() - 3_000 }) }));
    expect(slightlyOld['retCode']).toBe(0);
  });
});

describe('binance', () => {
  const signed = (params: string, secret = SECRET): string => `${params}&signature=${hmac(params, secret)}`;

  test('private calls need the key header and a signature', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: KEY, secret: SECRET });
    const publicCall = await fetch(`${fake.url}/fapi/v1/time`);
    expect(publicCall.status).toBe(200);
    const params = `timestamp=${Date.now()}`;
    const noKey = await fetch(`${fake.url}/fapi/v3/account?${signed(params)}`);
    expect(noKey.status).toBe(401);
    expect((await json(noKey))['code']).toBe(-2014);
    const noSignature = await fetch(`${fake.url}/fapi/v3/account?${params}`, { headers: { 'X-MBX-APIKEY': KEY } });
    expect((await json(noSignature))['code']).toBe(-1102);
    const badSignature = await fetch(`${fake.url}/fapi/v3/account?${signed(params, 'nope')}`, { headers: { 'X-MBX-APIKEY': KEY } });
    expect((await json(badSignature))['code']).toBe(-1022);
    const good = await fetch(`${fake.url}/fapi/v3/account?${signed(params)}`, { headers: { 'X-MBX-APIKEY': KEY } });
    expect(good.status).toBe(200);
  });

  test('POST signs query + body concatenated; the signature may sit in either', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: KEY, secret: SECRET });
    fake.setBalance('USDT', 10_000);
    const query = 'symbol=BTCUSDT&side=BUY&type=MARKET';
    const body = `quantity=0.01&newClientOrderId=raw-1&timestamp=${Date.now()}`;
    const response = await fetch(`${fake.url}/fapi/v1/order?${query}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${body}&signature=${hmac(query + body)}`,
    });
    expect(response.status).toBe(200);
    expect((await json(response))['clientOrderId']).toBe('raw-1');
    expect(fake.createdOrders()).toMatchObject([{ clientOrderId: 'raw-1', qty: 0.01 }]);
  });

  test('timestamp rules: recvWindow, 1 s into the future, and at most 60 000', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: KEY, secret: SECRET });
    const call = async (params: string): Promise<Record<string, unknown>> =>
      json(await fetch(`${fake.url}/api/v3/account?${signed(params)}`, { headers: { 'X-MBX-APIKEY': KEY } }));
    expect((await call(`timestamp=${Date.now() - 6_000}`))['code']).toBe(-1021);
    expect((await call(`timestamp=${Date.now() - 6_000}&recvWindow=10000`))['accountType']).toBe('SPOT');
    expect((await call(`timestamp=${Date.now() + 2_000}`))['code']).toBe(-1021);
    expect((await call(`timestamp=${Date.now()}&recvWindow=60001`))['code']).toBe(-1131);
    expect((await call('recvWindow=5000'))['code']).toBe(-1102);
  });

  test('unknown paths are 404 and counted', async () => {
    fake = await startFakeExchange({ venue: 'binance', apiKey: KEY, secret: SECRET });
    expect((await fetch(`${fake.url}/fapi/v9/nothing`)).status).toBe(404);
    expect(fake.requestCount('/fapi/v9/nothing')).toBe(1);
    expect(fake.requestCount()).toBe(1);
  });
});
