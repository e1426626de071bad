import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalView } from '../../shared/signal-view.js';
import { DATABASE_FILE, type Database, openDatabase } from '../../main/engine/store/database.js';
import { MIGRATIONS } from '../../main/engine/store/migrations.js';
import { type NewSignal, SignalLog } from '../../main/engine/store/signal-log.js';
import { SignalRetention } from '../../main/engine/store/signal-retention.js';
import { silentLog } from '../support/engine.js';
import { tempDataDir } from '../support/apisify-process.js';

const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function database(dataDir = tempDataDir()): Database {
  const db = openDatabase(dataDir);
  opened.push(db);
  return db;
}

function signal(changes: Partial<NewSignal> = {}): NewSignal {
  return {
    at: new Date().toISOString(),
    source: 'api',
    keyLabel: 'bot',
    apikeyMasked: 'ak_12ab…cdef',
    clientAddress: '127.0.0.1',
    strategy: 'trend',
    exchange: 'bybit',
    symbol: 'BTCUSDT',
    side: 'Buy',
    orderType: 'Market',
    qty: '1',
    price: null,
    status: 403,
    code: 'strategy_disabled',
    field: 'strategy',
    message: 'strategy: trend is disabled',
    orderId: null,
    ...changes,
  };
}

const rows = (db: Database) => (db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;

describe('SignalLog', () => {
  it('writes a refusal at once, and an accepted entry with the next batch', async () => {
    const db = database();
    const told: SignalView[][] = [];
    const log = new SignalLog(db, { batchMs: 50, onWritten: (written) => told.push(written) });
    log.recordAccepted({ ...signal({ status: 200, code: 'filled', field: null, message: null }), orderId: 7 });
    expect(rows(db)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(log.list()).toMatchObject([{ outcome: 'accepted', orderId: 7, code: 'filled', count: 1 }]);
    log.recordRefusal(signal());
    expect(rows(db)).toBe(2);
    expect(told.map((batch) => batch.map((entry) => entry.outcome))).toEqual([['accepted'], ['refused']]);
    expect(told[1]?.[0]?.id).toBe(log.list({ limit: 1 })[0]?.id);
  });

  it('writes what waits before a refusal, so the ids keep the order of the answers', () => {
    const db = database();
    const log = new SignalLog(db, { batchMs: 60_000 });
    log.recordAccepted({ ...signal({ status: 200, code: 'filled' }), orderId: 1 });
    log.recordAccepted({ ...signal({ status: 200, code: 'open' }), orderId: 2 });
    log.recordRefusal(signal({ code: 'unknown_strategy' }));
    expect(log.list().map((entry) => entry.orderId ?? entry.code)).toEqual(['unknown_strategy', 2, 1]);
  });

  it('commits a batch through the commit it is given, once', () => {
    const db = database();
    let commits = 0;
    const transaction = db.transaction((writes: () => void) => writes());
    const log = new SignalLog(db, { batchMs: 60_000, commit: (writes) => (commits++, transaction(writes)) });
    for (let index = 0; index < 10; index += 1) log.recordAccepted({ ...signal({ status: 200, code: 'filled' }), orderId: index + 1 });
    expect(commits).toBe(0);
    log.flush();
    expect(commits).toBe(1);
    expect(rows(db)).toBe(10);
  });

  it('reports a write it cannot make and goes on, so that a refusal is still answered', () => {
    const db = database();
    const warned: string[] = [];
    const log = new SignalLog(db, { commit: () => { throw new Error('database or disk is full'); }, log: { ...silentLog, warn: (message, fields) => warned.push(`${message} ${JSON.stringify(fields)}`) } });
    expect(() => log.recordRefusal(signal())).not.toThrow();
    expect(warned).toEqual(['signal log entries could not be written; they are lost {"entries":1,"error":"database or disk is full"}']);
    expect(rows(db)).toBe(0);
  });

  it('counts rate-limit refusals per sender, one entry each when the window ends', () => {
    const db = database();
    const log = new SignalLog(db, { countWindowMs: 60_000 });
    const limited = (address: string) => signal({ status: 429, code: 'rate_limited', field: null, message: `too many refused requests from ${address}`, apikeyMasked: null, keyLabel: null, source: null, clientAddress: address });
    for (let index = 0; index < 500; index += 1) log.countRateLimited(limited('10.0.0.1'));
    log.countRateLimited(limited('10.0.0.2'));
    expect(rows(db)).toBe(0);
    log.writeCounts();
    const counted = log.list({ outcome: 'refused' });
    expect(counted.map((entry) => [entry.clientAddress, entry.count])).toEqual([['10.0.0.2', 1], ['10.0.0.1', 500]]);
    expect(counted[1]?.message).toMatch(/^500 requests refused by the rate limit from .* to .*; the last: too many refused requests from 10\.0\.0\.1$/);
  });

  it('keeps a flood from many addresses to a bounded number of entries', () => {
    const db = database();
    const log = new SignalLog(db, { countWindowMs: 60_000 });
    for (let index = 0; index < 1000; index += 1) log.countRateLimited(signal({ status: 429, code: 'rate_limited', clientAddress: `10.0.${Math.floor(index / 250)}.${index % 250}` }));
    log.writeCounts();
    const counted = log.list({ limit: 1000 });
    expect(counted.length).toBe(101);
    expect(counted.reduce((sum, entry) => sum + entry.count, 0)).toBe(1000);
    expect(counted.find((entry) => entry.count === 900)).toMatchObject({ clientAddress: null, apikeyMasked: null });
  });

  it('filters by outcome and strategy and pages by id, newest first', () => {
    const db = database();
    const log = new SignalLog(db);
    for (let index = 0; index < 6; index += 1) {
      if (index % 2 === 0) log.recordRefusal(signal({ strategy: index < 3 ? 'a' : 'b' }));
      else log.recordAccepted({ ...signal({ strategy: index < 3 ? 'a' : 'b', status: 200, code: 'filled' }), orderId: index });
    }
    log.flush();
    expect(log.list({ outcome: 'refused' }).map((entry) => entry.strategy)).toEqual(['b', 'a', 'a']);
    expect(log.list({ outcome: 'accepted', strategy: 'b' }).map((entry) => entry.orderId)).toEqual([5, 3]);
    const [newest, next] = log.list({ limit: 2 });
    expect(log.list({ limit: 2, beforeId: next?.id }).map((entry) => entry.id)).toEqual([(next?.id ?? 0) - 1, (next?.id ?? 0) - 2]);
    expect((newest?.id ?? 0) - (next?.id ?? 0)).toBe(1);
  });
});

describe('SignalRetention', () => {
  it('deletes the entries older than the retention, in batches, and keeps the rest', async () => {
    const db = database();
    const log = new SignalLog(db);
    const now = Date.parse('2025-06-30T12:00:00.000Z');
    const daysAgo = (days: number) => new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
    for (let index = 0; index < 1234; index += 1) log.recordAccepted({ ...signal({ at: daysAgo(40), status: 200, code: 'filled' }), orderId: index + 1 });
    log.flush();
    log.recordRefusal(signal({ at: daysAgo(31) }));
    log.recordRefusal(signal({ at: daysAgo(29), code: 'kept' }));
    log.recordRefusal(signal({ at: daysAgo(0), code: 'today' }));
    let retentionDays = 30;
    const retention = new SignalRetention(log, () => retentionDays, silentLog, { batch: 100 });
    expect(await retention.runOnce(now)).toBe(1235);
    expect(log.list().map((entry) => entry.code)).toEqual(['today', 'kept']);
    retentionDays = 1;
    expect(await retention.runOnce(now)).toBe(1);
    expect(log.list().map((entry) => entry.code)).toEqual(['today']);
  });

  it('runs by itself soon after start', async () => {
    const db = database();
    const log = new SignalLog(db);
    log.recordRefusal(signal({ at: '2000-01-01T00:00:00.000Z' }));
    const retention = new SignalRetention(log, () => 30, silentLog, { firstAfterMs: 10, everyMs: 60_000 });
    retention.start();
    try {
      await expect.poll(() => rows(db), { timeout: 2_000 }).toBe(0);
    } finally {
      await retention.stop();
    }
  });
});

describe('migration 10', () => {
  it('moves the refusals of rejected_requests into the signal log', () => {
    const dataDir = tempDataDir();
    const old = new Sqlite(join(dataDir, DATABASE_FILE));
    for (const step of MIGRATIONS.slice(0, 7)) old.exec(step);
    old.pragma('user_version = 7');
    old.prepare('INSERT INTO rejected_requests (at, remote_address, apikey_masked, status, code, field, message) VALUES (?, ?, ?, ?, ?, ?, ?)').run('2025-01-01T00:00:00.000Z', '127.0.0.1', 'ak_12ab…cdef', 401, 'invalid_signature', 'sign', 'sign: does not match');
    old.close();
    const db = database(dataDir);
    expect(new SignalLog(db).list()).toMatchObject([{ outcome: 'refused', at: '2025-01-01T00:00:00.000Z', apikeyMasked: 'ak_12ab…cdef', clientAddress: '127.0.0.1', status: 401, code: 'invalid_signature', field: 'sign', source: null, orderId: null, count: 1 }]);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'rejected_requests'").get()).toEqual({ n: 0 });
  });
});
