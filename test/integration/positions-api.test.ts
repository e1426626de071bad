// GET /api/positions and /api/balances and POST /api/flatten against two fake Bybit accounts through
// real ccxt: what the Positions page reads when it opens, what the account's stream pushes after, and
// what flatten touches.

import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { FlattenAnswer } from '../../shared/flatten-api.js';
import type { BalancesAnswer, PositionsAnswer } from '../../shared/positions-api.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, until } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';
import { openUiSession, type UiSessionCredentials } from '../support/ui-session.js';

const KEYS = {
  default: { apiKey: 'positions-default-key-0123456789', secret: 'positions-default-secret-abcdefghij' },
  sub2: { apiKey: 'positions-sub2-key-0123456789', secret: 'positions-sub2-secret-abcdefghij' },
  sub3: { apiKey: 'positions-sub3-key-0123456789', secret: 'positions-sub3-secret-abcdefghij' },
} as const;

let engine: TestEngine;
let key: { apikey: string; secret: string };
let session: UiSessionCredentials;
const fakes = {} as Record<keyof typeof KEYS, FakeExchange>;
const events: EngineEvent[] = [];

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${engine.url}${path}`, { headers: session.headers });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${engine.url}${path}`, { method: 'POST', headers: { ...session.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000 });
  engine.subscribe((event) => events.push(event));
  for (const name of ['default', 'sub2', 'sub3'] as const) {
    const fake = await startFakeExchange({ venue: 'bybit', ...KEYS[name] });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000);
    fakes[name] = fake;
    // sub3 is set up later, by its own test
    if (name !== 'sub3') await engine.services.exchanges.set({ exchange: 'bybit', account: name }, KEYS[name], fake.url);
  }
  engine.services.strategies.add({ name: 'paper', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], accounts: {} });
  engine.services.strategies.add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: ['bybit'], accounts: { bybit: ['default', 'sub2'] } });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  session = await openUiSession(engine.createUiUrl());
});

/** The fakes' request counts once none of them has been asked anything for `quietMs`. */
async function quietRequestCounts(asked: FakeExchange[], quietMs: number): Promise<number[]> {
  const counts = () => asked.map((fake) => fake.requests().length);
  let last = counts();
  const giveUpAt = Date.now() + 10_000;
  for (let since = Date.now(); Date.now() - since < quietMs; ) {
    if (Date.now() > giveUpAt) throw new Error(`the fake exchanges were never quiet for ${quietMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
    const now = counts();
    if (now.some((count, index) => count !== last[index])) since = Date.now();
    last = now;
  }
  return last;
}

let lastTimestamp = 0;
function order(fields: Record<string, unknown>) {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
}

/** Until the account's private stream is connected and subscribed: from then on its changes are pushed. */
async function untilStreamLive(account: keyof typeof KEYS): Promise<void> {
  const venue = await engine.services.ccxt.venueFor({ exchange: 'bybit', account }, 'swap');
  await until(`the ${account} stream is live`, () => engine.services.accounts.of(venue as NonNullable<typeof venue>)?.live === true);
}

function pushedPositions(account: string) {
  return events.flatMap((event) => (event.type === 'positions' && event.account === account ? [event.positions] : []));
}

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

describe('the positions events', () => {
  it('push a live fill with no position read, and name the strategy once its fill is journaled', async () => {
    // the page's first read, taken while the stream is live: the account's state then holds every position
    await untilStreamLive('default');
    await get<PositionsAnswer>('/api/positions');
    const reads = fakes.default.requestCount('/v5/position/list');
    events.length = 0;

    const call = await order({});
    expect(call.body.order?.status, JSON.stringify(call.body)).toBe('filled');

    const shown = await eventually(() => pushedPositions('default').at(-1)?.find((row) => row.symbol === 'BTC/USDT:USDT'), (row) => row?.strategies.length === 1);
    expect(shown).toMatchObject({ side: 'long', size: '0.03', strategies: [{ strategy: 'perp', qty: '0.01' }] });
    expect(fakes.default.requestCount('/v5/position/list')).toBe(reads);
    // the other account neither changed nor was asked
    expect(pushedPositions('sub2')).toEqual([]);
  });

  it('list every open position of an account first read before its stream was live', async () => {
    fakes.sub3.setPosition('BTCUSDT', 0.04, { entryPrice: 58_000 });
    await engine.services.exchanges.set({ exchange: 'bybit', account: 'sub3' }, KEYS.sub3, fakes.sub3.url);
    onTestFinished(() => void engine.services.exchanges.remove({ exchange: 'bybit', account: 'sub3' }));
    // the first look starts the account's stream: its rows come from REST, before the stream vouches for anything
    const first = await get<PositionsAnswer>('/api/positions');
    expect(first.accounts.find((account) => account.account === 'sub3')).toMatchObject({ state: 'ok', live: false });
    expect(first.positions.filter((row) => row.account === 'sub3').map((row) => row.symbol)).toEqual(['BTC/USDT:USDT']);
    await untilStreamLive('sub3');
    events.length = 0;

    fakes.sub3.setPosition('ETHUSDT', -1, { entryPrice: 3_000 });

    const shown = await eventually(() => pushedPositions('sub3').at(-1), (rows) => rows !== undefined);
    expect(shown?.map((row) => `${row.symbol} ${row.side} ${row.size}`)).toEqual(['BTC/USDT:USDT long 0.04', 'ETH/USDT:USDT short 1']);
  });
});

describe('POST /api/flatten of one account', () => {
  it('closes its positions and cancels its resting order, leaving the other account and the dry runs alone', async () => {
    const resting = await order({ order_type: 'Limit', price: 50_000 });
    expect(resting.body.order?.status).toBe('open');
    const paper = await order({ strategy: 'paper', price: 60_000 });
    expect(paper.body.order?.status).toBe('filled');
    const sub2Orders = fakes.sub2.createdOrders().length;

    const answer = await post<FlattenAnswer>('/api/flatten', { exchange: 'bybit', account: 'default' });

    expect(answer.failures).toEqual([]);
    expect(answer.closes.map((close) => `${close.account} ${close.symbol} ${close.strategy} ${close.status}`).sort()).toEqual([
      'default BTC/USD:BTC (flatten) filled',
      // the share perp's fill built, then what was opened outside apisify
      'default BTC/USDT:USDT (flatten) filled',
      'default BTC/USDT:USDT perp filled',
    ]);
    expect(answer.cancelled).toEqual([{ orderId: resting.body.order?.id, status: 'cancelled' }]);
    expect(fakes.default.positions()).toEqual([]);
    expect(fakes.sub2.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: -0.05 })]);
    expect(fakes.sub2.createdOrders().length).toBe(sub2Orders);
    const left = await get<PositionsAnswer>('/api/positions');
    expect(left.positions.map((row) => `${row.dryRun ? `dry-run ${row.strategy}` : row.account} ${row.symbol} ${row.size}`)).toEqual(['dry-run paper BTCUSDT 0.01', 'sub2 BTC/USDT:USDT 0.05']);
  });
});

describe('?dry_run=only', () => {
  it('answers the dry runs alone from what apisify holds, asking no exchange', async () => {
    // The flatten before left balance pushes, each read again up to 500 ms later (account-views.ts):
    // counted from once the accounts have been quiet longer than that, what follows is this test's own.
    const before = await quietRequestCounts([fakes.default, fakes.sub2], 800);

    const positions = await get<PositionsAnswer>('/api/positions?dry_run=only');
    const balances = await get<BalancesAnswer>('/api/balances?dry_run=only');

    expect(positions).toEqual({ positions: [expect.objectContaining({ dryRun: true, strategy: 'paper', symbol: 'BTCUSDT', side: 'long', size: '0.01', entryPrice: '60000' })], accounts: [] });
    expect(balances.accounts).toEqual([]);
    expect(balances.balances.map((row) => `${row.strategy} ${row.exchange} ${row.currency} ${row.dryRun}`)).toEqual(['paper bybit USDT true']);
    // The flatten's follow-ups may still read its fills' trades meanwhile; nothing reads an account.
    const asked = [fakes.default.requests().slice(before[0]), fakes.sub2.requests().slice(before[1])].flat().map((request) => request.path);
    expect(asked.filter((path) => /position|balance|account/.test(path))).toEqual([]);
  });

  it('refuses another value, naming the field', async () => {
    const response = await fetch(`${engine.url}/api/positions?dry_run=yes`, { headers: session.headers });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: 'invalid_field', field: 'dry_run' });
  });
});
