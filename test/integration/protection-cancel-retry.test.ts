// A protective order apisify decided to cancel (a Close ended its position) whose cancel failed: it
// must not stay armed on the exchange. The cancel is tried again while the engine runs, and after a
// restart when the engine stopped before it got through. Real ccxt against the fake Binance USDⓈ-M.

import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { defaultAccountOf } from '../../shared/account-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { tempDataDir } from '../support/apisify-process.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'cancel-retry-key-0123456789';
const SECRET = 'cancel-retry-secret-abcdefghijklm';
const ALGO = '/fapi/v1/algoOrder';
const SETTINGS = { orderWaitMs: 8_000, exchangeTimeoutMs: 2_000 };

let fake: FakeExchange;
let engine: TestEngine | null = null;

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  fake.setBalance('USDT', 100_000);
  fake.setPrice('BTCUSDT', 60_000);
});
afterAll(async () => {
  await engine?.stop();
  await fake?.close();
});

async function start(dataDir: string): Promise<TestEngine> {
  engine = await startTestEngine(SETTINGS, dataDir);
  return engine;
}

/** The engine's default Binance account on the fake, a live swap strategy `guarded`, and an API key for it. */
async function tradeOnFake(running: TestEngine): Promise<{ apikey: string; secret: string }> {
  await running.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, fake.url);
  running.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
  return running.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
}

const deletes = () => fake.requests(ALGO).filter((request) => request.method === 'DELETE');

/** A long guarded by a stop on the exchange, then a Close whose fill retires that stop. */
async function closeGuardedLong(running: TestEngine, key: { apikey: string; secret: string }) {
  const order = (fields: Record<string, unknown>) => postSignedOrder(running.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', symbol: 'BTCUSDT', ...fields });
  const entry = await order({ side: 'Buy', qty: 0.01, stop_loss: 59_000 });
  const id = entry.body.order?.id as number;
  const stop = () => running.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
  await eventually(stop, (leg) => leg?.status === 'open', 5_000);
  const before = deletes().length;
  fake.failNext('server_error', { path: ALGO, method: 'DELETE' });
  expect((await order({ side: 'Close' })).body.order?.status).toBe('filled');
  await eventually(deletes, (sent) => sent.length === before + 1, 5_000);
  return { id, before };
}

describe('a protective order whose cancel failed', () => {
  it('is cancelled by a later try', async () => {
    const running = await start(tempDataDir());
    const key = await tradeOnFake(running);
    const { id, before } = await closeGuardedLong(running, key);
    const stop = () => running.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    expect(stop()?.status).toBe('open');

    await eventually(stop, (leg) => leg?.status === 'cancelled', 8_000);
    expect(deletes()).toHaveLength(before + 2);
    await running.stop();
    engine = null;
  }, 20_000);

  it('keeps backing off while it fails, though another order\'s cancel got through meanwhile', async () => {
    const running = await start(tempDataDir());
    const key = await tradeOnFake(running);
    const order = (fields: Record<string, unknown>) => postSignedOrder(running.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', ...fields });
    // a guarded ETH long, open before the BTC stop's cancel starts failing
    const eth = await order({ symbol: 'ETHUSDT', side: 'Buy', qty: 0.1, stop_loss: 2_900 });
    const ethStop = () => running.services.journal.get(eth.body.order?.id as number)?.legs.find((leg) => leg.role === 'stop_loss');
    await eventually(ethStop, (leg) => leg?.status === 'open', 5_000);
    const { id, before } = await closeGuardedLong(running, key);
    const attemptsAt = () => deletes().slice(before).map((request) => request.at);
    // the BTC stop's second try fails too (2 s after the first); its next is 4 s later
    const btcStop = () => running.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    fake.failNext('server_error', { path: ALGO, method: 'DELETE' });
    expect(await eventually(attemptsAt, (at) => at.length === 2, 5_000)).toHaveLength(2);
    // the ETH stop's cancel gets through in between (the BTC stop's third try is 4 s away)
    expect((await order({ symbol: 'ETHUSDT', side: 'Close' })).body.order?.status).toBe('filled');
    expect((await eventually(ethStop, (leg) => leg?.status === 'cancelled', 3_000))?.status).toBe('cancelled');
    expect(attemptsAt()).toHaveLength(3);
    fake.failNext('server_error', { path: ALGO, method: 'DELETE' });
    const third = await eventually(attemptsAt, (at) => at.length === 4, 8_000);
    expect(third).toHaveLength(4);
    expect((third[3] as number) - (third[1] as number)).toBeGreaterThan(3_000);
    // the BTC stop's third try failed: its fourth waits 8 s, not the first try's 2 s again
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(attemptsAt()).toHaveLength(4);
    expect(btcStop()?.status).toBe('open');
    // and it does come, 8 s after the third (waited for generously: a loaded machine delays timers),
    // and gets through: the stop ends cancelled
    const fourth = await eventually(attemptsAt, (at) => at.length === 5, 16_000);
    expect(fourth, `the DELETEs' times: ${JSON.stringify(fourth)}`).toHaveLength(5);
    expect((fourth[4] as number) - (fourth[3] as number)).toBeGreaterThan(7_000);
    expect((await eventually(btcStop, (leg) => leg?.status === 'cancelled', 5_000))?.status).toBe('cancelled');
    await running.stop();
    engine = null;
  }, 60_000);

  it('the engine stopped before it got through: cancelled after the restart', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const key = await tradeOnFake(first);
    const { id, before } = await closeGuardedLong(first, key);
    // stopped before the next try (2 s later)
    await first.stop();
    engine = null;
    expect(deletes()).toHaveLength(before + 1);

    const second = await start(dataDir);
    const stop = () => second.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    await eventually(stop, (leg) => leg?.status === 'cancelled', 8_000);
    expect(deletes()).toHaveLength(before + 2);
  }, 20_000);

  it('one the exchange never received is not placed again after the restart: its cancel was decided', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const key = await tradeOnFake(first);
    const entry = await postSignedOrder(first.url, key, { strategy: 'guarded', exchange: 'binance', order_type: 'Market', symbol: 'BTCUSDT', side: 'Buy', qty: 0.01, stop_loss: 59_000 });
    const id = entry.body.order?.id as number;
    const stopOf = (running: TestEngine) => running.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    const placed = await eventually(() => stopOf(first), (leg) => leg?.status === 'open', 5_000);
    await first.stop();
    engine = null;
    // As a killed run leaves it: the stop journaled as sent with its answer lost, a Close's fill had
    // decided its cancel, and the exchange has no order under its client id (one it never saw).
    const neverSeen = `${placed?.clientOrderId as string}n`;
    const db = new Sqlite(join(dataDir, DATABASE_FILE));
    db.prepare("UPDATE order_legs SET status = 'submitted', exchange_order_id = NULL, client_order_id = ?, cancel_wanted_at = ? WHERE order_id = ? AND leg = ?").run(neverSeen, new Date().toISOString(), id, placed?.leg);
    db.close();
    const creates = () => fake.requests(ALGO).filter((request) => request.method === 'POST' && request.params['clientAlgoId'] === neverSeen);

    const second = await start(dataDir);
    await eventually(() => stopOf(second), (leg) => leg?.status === 'cancelled', 8_000);
    expect(stopOf(second)?.status).toBe('cancelled');
    expect(creates()).toEqual([]);
  }, 20_000);
});
