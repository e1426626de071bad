// GET /api/positions and /api/balances and POST /api/flatten against two fake Bybit accounts through
// real ccxt: what the Positions page reads when it opens, what the account's stream pushes after, and
// what flatten touches.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { PositionsAnswer } from '../../shared/positions-api.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { openUiSession, type UiSessionCredentials } from '../support/ui-session.js';

const KEYS = {
  default: { apiKey: 'positions-default-key-0123456789', secret: 'positions-default-secret-abcdefghij' },
  sub2: { apiKey: 'positions-sub2-key-0123456789', secret: 'positions-sub2-secret-abcdefghij' },
} as const;

let engine: TestEngine;
let session: UiSessionCredentials;
const fakes = {} as Record<keyof typeof KEYS, FakeExchange>;
const events: EngineEvent[] = [];

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${engine.url}${path}`, { headers: session.headers });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000 });
  engine.subscribe((event) => events.push(event));
  for (const name of ['default', 'sub2'] as const) {
    const fake = await startFakeExchange({ venue: 'bybit', ...KEYS[name] });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000);
    fakes[name] = fake;
    await engine.services.exchanges.set({ exchange: 'bybit', account: name }, KEYS[name], fake.url);
  }
  session = await openUiSession(engine.createUiUrl());
});

afterAll(async () => {
  await engine?.stop();
  for (const fake of Object.values(fakes)) await fake?.close();
});

describe('GET /api/positions', () => {
  it('lists each open position of each account once: linear and inverse, read by category', async () => {
    fakes.default.setPosition('BTCUSDT', 0.02, { entryPrice: 59_000 });
    fakes.default.setPosition('BTCUSD', -300, { entryPrice: 61_000, kind: 'inverse' });
    fakes.sub2.setPosition('BTCUSDT', -0.05, { entryPrice: 60_500 });

    const answer = await get<PositionsAnswer>('/api/positions');

    expect(answer.positions.map((row) => `${row.account} ${row.symbol} ${row.side} ${row.size}`)).toEqual(['default BTC/USD:BTC short 300', 'default BTC/USDT:USDT long 0.02', 'sub2 BTC/USDT:USDT short 0.05']);
    expect(answer.accounts.map((account) => `${account.account} ${account.state}`)).toEqual(['default ok', 'sub2 ok']);
    const categories = fakes.default.requests('/v5/position/list').map((request) => `${request.params['category']}${request.params['settleCoin'] ? ` ${request.params['settleCoin']}` : ''}`);
    expect(categories.sort()).toEqual(['inverse', 'linear USDC', 'linear USDT']);
  });
});
