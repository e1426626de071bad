// A key replaced on the exchange (a new one made, the old one deleted), proved against real ccxt:
// the old key is refused as unknown from the next request on, and each request records its key.

import { afterEach, describe, expect, test } from 'vitest';
import { binanceUsdmClient, bybitClient } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange } from './index.js';

const OLD = { apiKey: 'old-key', secret: 'old-secret' };
const NEW = { apiKey: 'new-key', secret: 'new-secret' };

let fake: FakeExchange;

afterEach(async () => {
  await fake.close();
});

describe.each(['bybit', 'binance'] as const)('%s: setCredentials', (venue) => {
  const client = (creds: typeof OLD) => (venue === 'bybit' ? bybitClient(fake, creds) : binanceUsdmClient(fake, creds));

  test('refuses the old key as unknown, takes the new one, and records which key each request carried', async () => {
    fake = await startFakeExchange({ venue, ...OLD });
    fake.setBalance('USDT', 1_000);
    const before = client(OLD);
    await before.loadMarkets();
    expect((await before.fetchBalance())['USDT']).toMatchObject({ total: 1_000 });

    fake.setCredentials(NEW.apiKey, NEW.secret);
    await expect(before.fetchBalance()).rejects.toThrow(venue === 'bybit' ? /10003|API key is invalid/i : /-2015|Invalid API-key/i);
    const after = client(NEW);
    await after.loadMarkets();
    expect((await after.fetchBalance())['USDT']).toMatchObject({ total: 1_000 });

    const balancePath = venue === 'bybit' ? '/v5/account/wallet-balance' : '/fapi/v3/account';
    expect(fake.requests(balancePath).map((request) => request.apiKey)).toEqual([OLD.apiKey, OLD.apiKey, NEW.apiKey]);
    const marketsPath = venue === 'bybit' ? '/v5/market/instruments-info' : '/fapi/v1/exchangeInfo';
    expect(fake.requests(marketsPath).map((request) => request.apiKey)).toContain(null);
  });
});
