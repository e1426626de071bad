// GET /api/positions' read of a live account against a fake Bybit through real ccxt: every open
// contract position once, linear and inverse alike.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

const KEY = { apiKey: 'account-positions-key-0123', secret: 'account-positions-secret-abcdefgh' };

let engine: TestEngine;
let fake: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine();
  fake = await startFakeExchange({ venue: 'bybit', ...KEY });
  fake.setBalance('USDT', 10_000);
  fake.setPrice('BTCUSDT', 60_000, 'linear');
  fake.setPrice('BTCUSD', 60_000, 'inverse');
  await engine.services.exchanges.set(defaultAccountOf('bybit'), KEY, fake.url);
});

afterAll(async () => {
  await engine?.stop();
  await fake?.close();
});

it('lists each open Bybit position once: USDT linear and inverse, each category asked apart', async () => {
  fake.setPosition('BTCUSDT', 0.02, { entryPrice: 59_000 });
  fake.setPosition('ETHUSDT', -0.5, { entryPrice: 3_000 });
  fake.setPosition('BTCUSD', 100, { entryPrice: 58_000, kind: 'inverse' });
  const answer = await engine.services.accountViews.positions();
  expect(answer.accounts).toEqual([expect.objectContaining({ exchange: 'bybit', account: 'default', state: 'ok' })]);
  expect(answer.positions.map((position) => `${position.symbol} ${position.side} ${position.size}`).sort()).toEqual(['BTC/USD:BTC long 100', 'BTC/USDT:USDT long 0.02', 'ETH/USDT:USDT short 0.5']);
  expect(fake.requests('/v5/position/list').map((request) => `${request.params['category']}/${request.params['settleCoin'] ?? ''}`).sort()).toEqual(['inverse/', 'linear/USDC', 'linear/USDT']);
});
