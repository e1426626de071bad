// Several accounts on one exchange, each on a fake of its own (its own keys, its own orders), through
// POST /v1/order and real ccxt: a strategy bound to `main` never touches `default`, a request's
// `account` picks another the strategy allows (else 403, nothing sent), and an account changed or
// removed while its orders are followed: the follower moves to the new credentials (never asking with
// the old ones), or leaves the orders marked and settles them once the account is back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountRef, defaultAccountOf } from '../../shared/account-names.js';
import type { StrategyInput } from '../../main/engine/store/strategies.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { type OrderCall, postSignedOrder } from '../support/signed-order.js';

const KEYS = {
  default: { apiKey: 'default-account-key-0123456789', secret: 'default-account-secret-abcdefghij' },
  main: { apiKey: 'main-account-key-0123456789', secret: 'main-account-secret-abcdefghij' },
  sub2: { apiKey: 'sub2-account-key-0123456789', secret: 'sub2-account-secret-abcdefghij' },
} as const;
const ROTATED = { apiKey: 'main-account-new-key-98765', secret: 'main-account-new-secret-zyxwv' };

const MAIN: AccountRef = { exchange: 'bybit', account: 'main' };
const SUB2: AccountRef = { exchange: 'bybit', account: 'sub2' };
const BOUND: StrategyInput = { name: 'bound', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: ['bybit'], accounts: { bybit: ['main', 'sub2', 'sub3'] } };

let engine: TestEngine;
let key: { apikey: string; secret: string };
const fakes: Record<'default' | 'main' | 'sub2', FakeExchange> = {} as Record<'default' | 'main' | 'sub2', FakeExchange>;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  for (const name of ['default', 'main', 'sub2'] as const) {
    const fake = await startFakeExchange({ venue: 'bybit', ...KEYS[name] });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000);
    fakes[name] = fake;
    await engine.services.exchanges.set({ exchange: 'bybit', account: name }, KEYS[name], fake.url);
  }
  engine.services.strategies.add(BOUND);
});

afterAll(async () => {
  await engine?.stop();
  for (const fake of Object.values(fakes)) await fake.close();
});

let lastTimestamp = 0;
function order(fields: Record<string, unknown>): Promise<OrderCall> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'bound', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
}

const created = () => Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.createdOrders().length]));

describe('a strategy bound to accounts', () => {
  it('trades on its first account when the request names none, and never touches default', async () => {
    const call = await order({});
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'filled', exchange: 'bybit', account: 'main' });
    expect(fakes.main.createdOrders().at(-1)).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', qty: 0.01 });
    expect(engine.services.journal.get(call.body.order?.id as number)?.account).toBe('main');
    // not a request, not a stream: the default account was set up but no strategy may use it
    expect(fakes.default.requestCount()).toBe(0);
    expect(fakes.default.websocketStats().connections).toBe(0);
  });

  it('trades on another account it allows when the request names it', async () => {
    const before = created();
    const call = await order({ account: 'sub2', side: 'Sell' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'filled', account: 'sub2' });
    expect(created()).toEqual({ ...before, sub2: (before['sub2'] ?? 0) + 1 });
    // each account plans from its own position: sub2 sold from flat, main still holds what it bought
    expect(fakes.sub2.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: -0.01 })]);
    expect(fakes.main.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: 0.01 })]);
  });

  it.each([
    ['an account it does not allow', { account: 'default' }, 403, 'account_not_allowed', /strategy bound trades bybit only on main, sub2, sub3, not default/],
    ['a malformed account name', { account: 'main account' }, 400, 'invalid_field', /^account: expected an account name/],
    ['an allowed account that is not set up', { account: 'sub3' }, 400, 'exchange_not_configured', /bybit account sub3.*apisify exchange set bybit --account sub3/],
  ] as const)('refuses %s, naming the account field, journaling and sending nothing', async (_what, fields, status, code, message) => {
    const [rows, before] = [journalCount(engine), created()];
    const call = await order(fields);
    expect(call.status, JSON.stringify(call.body)).toBe(status);
    expect(call.body.error).toMatchObject({ code, field: code === 'exchange_not_configured' ? 'exchange' : 'account' });
    expect(call.body.error?.message).toMatch(message);
    expect(journalCount(engine)).toBe(rows);
    expect(created()).toEqual(before);
    expect(fakes.default.requestCount()).toBe(0);
  });

  it('takes a blank account as none (alert templates send empty fields)', async () => {
    const call = await order({ account: '', side: 'Sell' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order).toMatchObject({ account: 'main' });
  });
});

describe('an account changed or removed while its orders are followed', () => {
  it('moves a resting order to the new key (the old one is never used again) and settles it there', async () => {
    const call = await order({ order_type: 'Limit', price: 50_000 });
    expect(call.body.order).toMatchObject({ status: 'open', account: 'main' });
    const id = call.body.order?.id as number;
    const connections = fakes.main.websocketStats().connections;

    // as `apisify exchange set bybit --account main` in another process: the engine finds it by itself
    await engine.services.exchanges.set(MAIN, ROTATED, fakes.main.url);
    await eventually(() => engine.services.ccxt.health.list().some((item) => item.account === 'main'), (seen) => !seen, 3_000);
    const changedAt = performance.timeOrigin + performance.now();
    fakes.main.setCredentials(ROTATED.apiKey, ROTATED.secret);

    fakes.main.setPrice('BTCUSDT', 49_000);
    expect(await eventually(() => engine.services.journal.get(id)?.status, (status) => status === 'filled', 10_000)).toBe('filled');
    const withOldKey = fakes.main.requests().filter((request) => request.apiKey === KEYS.main.apiKey && request.at >= changedAt);
    expect(withOldKey).toEqual([]);
    // one stream left on the account, a new one, logged in with the new key (the fake refuses the old
    // one now): the fill may come by its push alone, with no REST request at all
    const stats = await eventually(() => fakes.main.websocketStats(), (now) => now.subscribed === 1 && now.connections > connections, 5_000);
    expect(stats).toMatchObject({ subscribed: 1 });
    expect(stats.connections).toBeGreaterThan(connections);
  });

  it('keeps an account shown live across a change of its credentials: the new stream’s pushes are shown', async () => {
    await engine.services.accountViews.positions(); // as the Positions page opens: main is watched
    const connections = fakes.main.websocketStats().connections;
    const again = { apiKey: 'main-account-key-rotated-again-0123', secret: 'main-account-secret-rotated-again-abcdef' };
    fakes.main.setCredentials(again.apiKey, again.secret);
    await engine.services.exchanges.set(MAIN, again, fakes.main.url);
    // the account's new stream, logged in with the new key, before the order it is to push
    await eventually(() => fakes.main.websocketStats(), (stats) => stats.connections > connections && stats.subscribed === 1, 10_000);
    const shown: string[] = [];
    const stop = engine.subscribe((event) => {
      if (event.type === 'positions' && event.account === 'main') shown.push(event.positions.find((position) => position.symbol === 'BTC/USDT:USDT')?.size ?? '0');
    });
    try {
      expect((await order({})).body.order?.status).toBe('filled');
      const onExchange = String(fakes.main.positions().find((position) => position.symbol === 'BTCUSDT')?.qty);
      // what the exchange holds now, the fill just made included: from the new stream, not the retired one's state
      expect(await eventually(() => shown.at(-1), (size) => size === onExchange, 8_000)).toBe(onExchange);
    } finally {
      stop();
    }
  });

  it('leaves an order of a removed account as it is, marked, asks nothing more, and settles it once the account is back', async () => {
    const call = await order({ account: 'sub2', order_type: 'Limit', price: 50_000 });
    expect(call.body.order).toMatchObject({ status: 'open', account: 'sub2' });
    const id = call.body.order?.id as number;

    await engine.services.exchanges.remove(SUB2);
    expect(engine.services.journal.get(id)).toMatchObject({ status: 'open', error: { code: 'account_removed' } });
    expect(await eventually(() => fakes.sub2.websocketStats().subscribed, (open) => open === 0, 5_000)).toBe(0);

    // it fills on the exchange meanwhile; nobody asks
    const asked = fakes.sub2.requestCount();
    fakes.sub2.setPrice('BTCUSDT', 49_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fakes.sub2.requestCount()).toBe(asked);
    expect(engine.services.journal.get(id)?.status).toBe('open');

    await engine.services.exchanges.set(SUB2, KEYS.sub2, fakes.sub2.url);
    const settled = await eventually(() => engine.services.journal.get(id), (view) => view?.status === 'filled', 10_000);
    expect(settled).toMatchObject({ status: 'filled', error: null });
  });

  it('leaves an order its account’s new credentials do not see (another sub-account’s) as it is, marked at once, and follows it again once they change back', async () => {
    const call = await order({ account: 'sub2', order_type: 'Limit', price: 45_000 });
    expect(call.body.order).toMatchObject({ status: 'open', account: 'sub2' });
    const id = call.body.order?.id as number;
    const [leg] = call.body.order?.orders as { exchange_order_id: string | null; client_order_id: string }[];

    // sub2 now holds the default account's keys: another UID, where this order does not exist
    await engine.services.exchanges.set(SUB2, KEYS.default, fakes.default.url);
    const marked = await eventually(() => engine.services.journal.get(id), (view) => view?.error?.code === 'account_keys_changed', 5_000);
    expect(marked).toMatchObject({ status: 'open', error: { code: 'account_keys_changed' } });
    expect(marked?.error?.message).toMatch(/previous credentials.*no longer followed/);
    // not asked about again meanwhile, and never counted lost
    const askedAbout = () => fakes.default.requests().filter((request) => request.params['orderId'] === leg?.exchange_order_id || request.params['orderLinkId'] === leg?.client_order_id).length;
    const asked = askedAbout();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(askedAbout()).toBe(asked);
    expect(engine.services.journal.get(id)).toMatchObject({ status: 'open', error: { code: 'account_keys_changed' } });

    await engine.services.exchanges.set(SUB2, KEYS.sub2, fakes.sub2.url);
    expect(await eventually(() => engine.services.journal.get(id)?.error, (error) => error === null, 5_000)).toBeNull();
    fakes.sub2.setPrice('BTCUSDT', 44_000);
    const settled = await eventually(() => engine.services.journal.get(id), (view) => view?.status === 'filled', 10_000);
    expect(settled).toMatchObject({ status: 'filled', error: null });
  });

  it('refuses an account name that differs from one set up only in case, leaving both keychain entries as they were', async () => {
    const before = await engine.services.exchanges.credentials(MAIN);
    await expect(engine.services.exchanges.set({ exchange: 'bybit', account: 'MAIN' }, KEYS.sub2, fakes.sub2.url)).rejects.toMatchObject({ status: 409, code: 'account_exists', field: 'account' });
    expect(await engine.services.exchanges.credentials(MAIN)).toEqual(before);
    expect(await engine.services.exchanges.credentials({ exchange: 'bybit', account: 'MAIN' })).toBeNull();
    expect(engine.services.exchanges.list().map((account) => account.account)).not.toContain('MAIN');
  });

  it('keeps each account’s connectivity apart', async () => {
    await engine.services.ccxt.test(defaultAccountOf('bybit'));
    const accounts = engine.services.status().exchanges.map((item) => `${item.exchange}/${item.account}:${item.state}`);
    expect(accounts).toEqual(expect.arrayContaining(['bybit/default:ok', 'bybit/main:ok', 'bybit/sub2:ok']));
  });
});
