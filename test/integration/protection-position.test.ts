// Binance USDⓈ-M protection follows the position, not the order's first answer: an order whose fill
// ends or reverses the position retires the stops and targets of earlier entries also when that fill
// comes later (a resting Limit, the onProtectionFailure close), and an entry is protected for what it
// opened beyond closing the position held before it, when the fill is in its answer, learnt later, or
// learnt after a restart. Real ccxt against the fake Binance.

import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultAccountOf } from '../../shared/account-names.js';
import type { ExchangeOrderView } from '../../shared/order-view.js';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { binanceUsdmClient } from '../fake-exchange/ccxt-client.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, startServer, tempDataDir } from '../support/apisify-process.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, until } from '../support/eventually.js';
import { untilEngineSees } from '../support/live-state.js';
import { type OrderCall, postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'position-protect-key-0123456789';
const SECRET = 'position-protect-secret-abcdefghijklmnop';
const SYMBOL = 'BTC/USDT:USDT';

let engine: TestEngine;
let fake: FakeExchange;
let key: { apikey: string; secret: string };
let client: ReturnType<typeof binanceUsdmClient>;

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, fake.url);
  engine.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
  engine.services.strategies.add({ name: 'closing', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], onProtectionFailure: 'close' });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  client = binanceUsdmClient(fake, { apiKey: API_KEY, secret: SECRET });
  await client.loadMarkets();
});

afterAll(async () => {
  await client?.close();
  await engine?.stop();
  await fake?.close();
});

/** Every test starts flat at 60 000 with no conditional order resting (one left by a failed test is cancelled). */
beforeEach(async () => {
  for (const open of await openAlgoOrders()) await client.cancelOrder(open.id as string, SYMBOL, { trigger: true });
  for (const position of fake.positions()) fake.setPosition(position.symbol, 0, { kind: position.marketKind });
  fake.setBalance('USDT', 100_000);
  fake.setPrice('BTCUSDT', 60_000);
  await untilEngineSees(engine, 'binance', 'BTCUSDT', (position) => position.qty === 0);
});

let lastTimestamp = 0;
function order(fields: Record<string, unknown>): Promise<OrderCall> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', ...fields }, { timestamp: lastTimestamp });
}

function openAlgoOrders(): ReturnType<typeof client.fetchOpenOrders> {
  return client.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true });
}

const position = (): number => fake.positions().find((open) => open.symbol === 'BTCUSDT')?.qty ?? 0;
const protectiveOf = (id: number): ExchangeOrderView[] => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry') ?? [];
const entriesOf = (id: number): ExchangeOrderView[] => engine.services.journal.get(id)?.legs.filter((leg) => leg.role === 'entry') ?? [];
const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

/** A long of 0.01 guarded by a stop at 59 000 and a target at 65 000, both resting on the exchange. */
async function guardedLong(): Promise<{ id: number; clientIds: string[] }> {
  const entry = await order({ qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
  expect(entry.status, JSON.stringify(entry.body)).toBe(200);
  const id = entry.body.order?.id as number;
  const legs = await eventually(() => protectiveOf(id), (protective) => protective.length === 2 && protective.every((leg) => leg.status === 'open'));
  expect(legs.map((leg) => leg.status)).toEqual(['open', 'open']);
  const clientIds = legs.map((leg) => leg.clientOrderId);
  expect((await openAlgoOrders()).map((open) => open.clientOrderId).sort()).toEqual([...clientIds].sort());
  await untilEngineSees(engine, 'binance', 'BTCUSDT', (seen) => seen.qty === 0.01);
  return { id, clientIds };
}

/** The earlier entry's stop and target are gone from the exchange and cancelled in the journal, and a price through the stop closes nothing of a new, unguarded long. */
async function expectRetired(earlier: { id: number; clientIds: string[] }): Promise<void> {
  const legs = await eventually(() => protectiveOf(earlier.id), (protective) => protective.every((leg) => leg.status === 'cancelled'));
  expect(legs.map((leg) => leg.status)).toEqual(['cancelled', 'cancelled']);
  const resting = (await openAlgoOrders()).map((open) => open.clientOrderId);
  for (const clientId of earlier.clientIds) expect(resting).not.toContain(clientId);
}

describe('an order that ends or reverses the position after its first answer', () => {
  it('a resting Limit Close that fills later retires the stop and target of the position it ended', async () => {
    const earlier = await guardedLong();
    const close = await order({ side: 'Close', order_type: 'Limit', price: 61_000 });
    expect(close.body.order?.status, JSON.stringify(close.body)).toBe('open');
    const closeId = close.body.order?.id as number;
    fake.setPrice('BTCUSDT', 61_000);
    expect((await eventually(() => entriesOf(closeId)[0]?.status, (status) => status === 'filled')) ?? null).toBe('filled');
    expect(position()).toBe(0);
    await expectRetired(earlier);

    // what the stale stop would have done: close a later long that has nothing to do with it
    fake.setPrice('BTCUSDT', 60_000);
    expect((await order({ qty: 0.01 })).body.order?.status).toBe('filled');
    fake.setPrice('BTCUSDT', 58_500);
    await settle();
    expect(position()).toBe(0.01);
  });

  it('an entry placed while that Close rested keeps its own stop and target: they guard what it opened since', async () => {
    const earlier = await guardedLong();
    const close = await order({ side: 'Close', order_type: 'Limit', price: 61_000 });
    expect(close.body.order?.status, JSON.stringify(close.body)).toBe('open');
    const later = await order({ qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
    const laterId = later.body.order?.id as number;
    const guarding = await eventually(() => protectiveOf(laterId), (protective) => protective.length === 2 && protective.every((leg) => leg.status === 'open'));
    expect(guarding.map((leg) => leg.status)).toEqual(['open', 'open']);
    fake.setPrice('BTCUSDT', 61_000);
    expect(await eventually(() => entriesOf(close.body.order?.id as number)[0]?.status, (status) => status === 'filled')).toBe('filled');
    expect(position()).toBe(0.01);
    await expectRetired(earlier);
    await settle();
    expect(protectiveOf(laterId).map((leg) => leg.status)).toEqual(['open', 'open']);
    expect((await openAlgoOrders()).map((open) => open.clientOrderId).sort()).toEqual(guarding.map((leg) => leg.clientOrderId).sort());
  });

  it('a resting Limit Sarsell that fills later retires the stop and target of the long it reversed', async () => {
    const earlier = await guardedLong();
    const sar = await order({ side: 'Sarsell', order_type: 'Limit', price: 61_000, qty: 0.01 });
    expect(sar.body.order?.status, JSON.stringify(sar.body)).toBe('open');
    expect(engine.services.journal.get(sar.body.order?.id as number)?.plan).toBe('SAR: sell 0.02 to go from +0.01 to -0.01');
    fake.setPrice('BTCUSDT', 61_000);
    expect(await eventually(position, (qty) => qty === -0.01)).toBe(-0.01);
    await expectRetired(earlier);
  });

  it('the onProtectionFailure close, once filled, retires the protective order of its own that was placed', async () => {
    // the stop-loss goes out; the exchange refuses the take-profit
    fake.failNext('hold_before_accept', { path: '/fapi/v1/algoOrder', method: 'POST', delayMs: 1 });
    fake.failNext('insufficient_funds', { path: '/fapi/v1/algoOrder', method: 'POST' });
    const entry = await order({ strategy: 'closing', qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
    expect(entry.status, JSON.stringify(entry.body)).toBe(200);
    const id = entry.body.order?.id as number;
    const closed = await eventually(() => engine.services.journal.get(id)?.legs ?? [], (legs) => legs.length === 4 && legs[3]?.status === 'filled');
    expect(closed.map((leg) => [leg.role, leg.side, leg.reduceOnly, leg.status])).toEqual([
      ['entry', 'buy', false, 'filled'],
      ['stop_loss', 'sell', true, expect.stringMatching(/^(open|cancelled)$/)],
      ['take_profit', 'sell', true, 'rejected'],
      ['entry', 'sell', true, 'filled'],
    ]);
    expect(position()).toBe(0);
    const stop = await eventually(() => protectiveOf(id)[0], (leg) => leg?.status === 'cancelled');
    expect(stop?.status).toBe('cancelled');
    expect((await openAlgoOrders()).map((open) => open.clientOrderId)).not.toContain(stop?.clientOrderId);

    await untilEngineSees(engine, 'binance', 'BTCUSDT', (seen) => seen.qty === 0);
    expect((await order({ qty: 0.01 })).body.order?.status).toBe('filled');
    fake.setPrice('BTCUSDT', 58_500);
    await settle();
    expect(position()).toBe(0.01);
  });
});

describe('a plain Buy or Sell of a fixed amount, which reads no position before it goes out', () => {
  it('a Market Sell of the whole long retires its stop and target', async () => {
    const earlier = await guardedLong();
    const sell = await order({ side: 'Sell', qty: 0.01 });
    expect(sell.body.order?.status, JSON.stringify(sell.body)).toBe('filled');
    expect(position()).toBe(0);
    await expectRetired(earlier);
  });

  it('a resting Limit Sell that fills later, reversing the long, retires them', async () => {
    const earlier = await guardedLong();
    const sell = await order({ side: 'Sell', order_type: 'Limit', price: 61_000, qty: 0.02 });
    expect(sell.body.order?.status, JSON.stringify(sell.body)).toBe('open');
    await settle();
    expect(protectiveOf(earlier.id).map((leg) => leg.status)).toEqual(['open', 'open']);
    fake.setPrice('BTCUSDT', 61_000);
    expect(await eventually(position, (qty) => qty === -0.01)).toBe(-0.01);
    await expectRetired(earlier);
  });

  it('a Sell of the long and a Buy right behind it: the Sell still retires the old stops, the new long carries none of them', async () => {
    const earlier = await guardedLong();
    // the Sell's create is held at the exchange while the Buy arrives
    fake.failNext('hold_before_accept', { delayMs: 300 });
    const sell = order({ side: 'Sell', qty: 0.01 });
    await settle(50);
    const buy = order({ side: 'Buy', qty: 0.01 });
    expect((await sell).body.order?.status).toBe('filled');
    expect((await buy).body.order?.status).toBe('filled');
    expect(position()).toBe(0.01);
    await expectRetired(earlier);
    expect(await openAlgoOrders()).toEqual([]);
  });

  it('a Sell right behind a protected Buy waits for its stops, then retires them: nothing stays armed on the flat position', async () => {
    fake.failNext('hold_before_accept', { delayMs: 300 });
    const entry = order({ qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
    await settle(50);
    const sell = order({ side: 'Sell', qty: 0.01 });
    const entryId = (await entry).body.order?.id as number;
    expect((await sell).body.order?.status).toBe('filled');
    expect(position()).toBe(0);
    const legs = await eventually(() => protectiveOf(entryId), (protective) => protective.length === 2 && protective.every((leg) => leg.status === 'cancelled'));
    expect(legs.map((leg) => leg.status)).toEqual(['cancelled', 'cancelled']);
    expect(await openAlgoOrders()).toEqual([]);
  });

  it('a Sell of part of the long, or a Buy that adds to it, leaves them guarding what is left', async () => {
    const earlier = await guardedLong();
    expect((await order({ side: 'Sell', qty: 0.004 })).body.order?.status).toBe('filled');
    expect((await order({ side: 'Buy', qty: 0.002 })).body.order?.status).toBe('filled');
    expect(position()).toBe(0.008);
    await settle();
    expect(protectiveOf(earlier.id).map((leg) => leg.status)).toEqual(['open', 'open']);
    expect((await openAlgoOrders()).map((open) => open.clientOrderId).sort()).toEqual([...earlier.clientIds].sort());
  });
});

describe('an entry that reverses the position is protected for what it opened', () => {
  beforeEach(async () => {
    fake.setPosition('BTCUSDT', -0.01, { entryPrice: 60_000 });
    await untilEngineSees(engine, 'binance', 'BTCUSDT', (seen) => seen.qty === -0.01);
  });

  it('a Market Sarbuy of 0.02 from a short of 0.01 buys 0.03 and guards the long of 0.02', async () => {
    const sar = await order({ side: 'Sarbuy', qty: 0.02, stop_loss: 59_000, take_profit: 65_000 });
    expect(sar.status, JSON.stringify(sar.body)).toBe(200);
    const id = sar.body.order?.id as number;
    expect(entriesOf(id).map((leg) => [leg.side, leg.filled])).toEqual([['buy', '0.03']]);
    const legs = await eventually(() => protectiveOf(id), (protective) => protective.length === 2 && protective.every((leg) => leg.status === 'open'));
    expect(legs.map((leg) => [leg.role, leg.side, leg.amount])).toEqual([
      ['stop_loss', 'sell', '0.02'],
      ['take_profit', 'sell', '0.02'],
    ]);
    expect((await openAlgoOrders()).map((open) => open.amount)).toEqual([0.02, 0.02]);
    expect(position()).toBe(0.02);
  });

  it('a resting Limit Sarbuy that fills later guards the long of 0.02, not the 0.03 it bought', async () => {
    const sar = await order({ side: 'Sarbuy', order_type: 'Limit', price: 59_500, qty: 0.02, stop_loss: 59_000 });
    expect(sar.body.order?.status, JSON.stringify(sar.body)).toBe('open');
    const id = sar.body.order?.id as number;
    fake.setPrice('BTCUSDT', 59_500);
    const legs = await eventually(() => protectiveOf(id), (protective) => protective.length === 1 && protective[0]?.status === 'open');
    expect(legs.map((leg) => [leg.role, leg.side, leg.amount, leg.status])).toEqual([['stop_loss', 'sell', '0.02', 'open']]);
    expect(position()).toBe(0.02);
  });
});

describe('killed while a Sarbuy’s answer was on its way', () => {
  it('on restart, the entry found filled is protected for the long it opened', async () => {
    const killed = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
    const dataDir = tempDataDir();
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      killed.setBalance('USDT', 1_000_000);
      killed.setPrice('BTCUSDT', 60_000);
      killed.setPosition('BTCUSDT', -0.01, { entryPrice: 60_000 });
      const set = await apisify(dataDir, ['exchange', 'set', 'binance', '--api-key', API_KEY, '--secret', '-', '--base-url', killed.url], { input: SECRET });
      expect(set.code, set.stderr).toBe(0);
      expect((await apisify(dataDir, ['strategy', 'add', 'guarded', '--mode', 'live', '--market-type', 'swap'])).code).toBe(0);
      expect((await apisify(dataDir, ['settings', 'set', 'orderWaitMs', '20000', 'exchangeTimeoutMs', '20000'])).code).toBe(0);
      const issued = await createKey(dataDir);
      server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
      // the exchange fills the entry and holds its answer; the engine is killed while it waits
      killed.failNext('timeout_after_accept', { path: '/fapi/v1/order', method: 'POST', delayMs: 30_000 });
      void postSignedOrder(server.url, issued, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', side: 'Sarbuy', symbol: 'BTCUSDT', qty: 0.02, stop_loss: 59_000 }).catch(() => undefined);
      await until('the Sarbuy fills on the exchange', () => killed.positions().find((open) => open.symbol === 'BTCUSDT')?.qty === 0.02);
      expect(await server.stop('SIGKILL')).toBeNull();

      server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
      const read = (): { plan: string | null; legs: { role: string; amount: string; status: string }[] } => {
        const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
        try {
          const { plan } = db.prepare('SELECT plan FROM orders ORDER BY id DESC LIMIT 1').get() as { plan: string | null };
          const legs = db.prepare("SELECT role, amount, status FROM order_legs WHERE role != 'entry' ORDER BY order_id, leg").all() as { role: string; amount: string; status: string }[];
          return { plan, legs };
        } finally {
          db.close();
        }
      };
      const after = await eventually(read, (journaled) => journaled.legs.some((leg) => leg.status === 'open'), 20_000);
      expect(after.plan).toBe('SAR: buy 0.03 to go from -0.01 to +0.02');
      expect(after.legs).toEqual([{ role: 'stop_loss', amount: '0.02', status: 'open' }]);
    } finally {
      await server?.stop();
      await killed.close();
    }
  }, 60_000);
});
