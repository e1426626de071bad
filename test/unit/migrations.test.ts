import Sqlite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../main/engine/store/database.js';
import { MIGRATIONS } from '../../main/engine/store/migrations.js';
import { Strategies } from '../../main/engine/store/strategies.js';
import { ExchangeAccounts } from '../../main/engine/exchanges/accounts.js';
import type { SecretStore } from '../../main/engine/secrets/secret-store.js';
import { defaultAccountOf } from '../../shared/account-names.js';

describe('migrations', () => {
  it('bring a data dir of the first release up to date, keeping its orders', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apisify-migrate-'));
    const old = new Sqlite(join(dataDir, DATABASE_FILE));
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old
      .prepare(
        "INSERT INTO orders (received_at, updated_at, source, strategy, exchange, symbol, side, intent, order_type, dry_run, status, request_json) VALUES ('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'api', 's', 'bybit', 'BTCUSDT', 'Buy', 'buy', 'market', 1, 'filled', '{}')",
      )
      .run();
    old.close();

    const db = openDatabase(dataDir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n).toBe(1);
      // "Orders today" reads the index, not the whole journal.
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) AS n FROM orders WHERE received_at >= '2026-01-01'").all() as { detail: string }[];
      expect(plan.map((step) => step.detail).join(' ')).toMatch(/USING COVERING INDEX orders_by_received/);
    } finally {
      db.close();
    }
  });

  it('move dry-run positions kept under a unified symbol to the simulator name, leaving one that would collide', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apisify-migrate-'));
    const old = new Sqlite(join(dataDir, DATABASE_FILE));
    for (const step of MIGRATIONS.slice(0, 4)) old.exec(step);
    old.pragma('user_version = 4');
    const put = old.prepare("INSERT INTO dry_run_positions (strategy, exchange, symbol, qty, entry_price, updated_at) VALUES ('s', 'bybit', ?, ?, NULL, '2026-01-01T00:00:00Z')");
    put.run('BTC/USDT:USDT', '2');
    put.run('ETH/USDT', '1');
    put.run('SOL/USDT:USDT', '3');
    put.run('SOLUSDT', '4');
    put.run('BTC/USDT:USDT-250328', '5');
    old.close();

    const db = openDatabase(dataDir);
    try {
      const rows = db.prepare('SELECT symbol, qty FROM dry_run_positions ORDER BY symbol').all();
      expect(rows).toEqual([
        { symbol: 'BTCUSDT', qty: '2' },
        { symbol: 'BTCUSDT-250328', qty: '5' },
        { symbol: 'ETHUSDT', qty: '1' },
        { symbol: 'SOL/USDT:USDT', qty: '3' },
        { symbol: 'SOLUSDT', qty: '4' },
      ]);
    } finally {
      db.close();
    }
  });

  it('name the accounts set up before (default), keeping every account, strategy and order, and their keychain entries where they were', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apisify-migrate-'));
    const old = new Sqlite(join(dataDir, DATABASE_FILE));
    const beforeNames = MIGRATIONS.indexOf(MIGRATIONS.find((step) => step.includes('exchange_accounts_named')) as string);
    for (const step of MIGRATIONS.slice(0, beforeNames)) old.exec(step);
    old.pragma(`user_version = ${beforeNames}`);
    old.prepare("INSERT INTO exchange_accounts (exchange, api_key_masked, base_url, updated_at) VALUES ('bybit', 'abcd…wxyz', NULL, '2026-01-01T00:00:00Z'), ('binance', 'efgh…stuv', 'http://127.0.0.1:9', '2026-01-02T00:00:00Z')").run();
    old.prepare("INSERT INTO strategies (name, mode, market_type, max_qty, symbols, exchanges, enabled, created_at, updated_at) VALUES ('swing', 'live', 'swap', 1, '[]', '[\"bybit\"]', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run();
    old
      .prepare(
        "INSERT INTO orders (received_at, updated_at, source, strategy, exchange, symbol, side, intent, order_type, dry_run, status, request_json) VALUES ('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'api', 'swing', 'bybit', 'BTCUSDT', 'Buy', 'buy', 'market', 0, 'open', '{}')",
      )
      .run();
    old.close();

    const db = openDatabase(dataDir);
    try {
      expect(db.prepare('SELECT exchange, account, api_key_masked, base_url, updated_at FROM exchange_accounts ORDER BY exchange').all()).toEqual([
        { exchange: 'binance', account: 'default', api_key_masked: 'efgh…stuv', base_url: 'http://127.0.0.1:9', updated_at: '2026-01-02T00:00:00Z' },
        { exchange: 'bybit', account: 'default', api_key_masked: 'abcd…wxyz', base_url: null, updated_at: '2026-01-01T00:00:00Z' },
      ]);
      expect(new Strategies(db).find('swing')).toMatchObject({ exchanges: ['bybit'], accounts: {}, maxQty: 1 });
      expect(db.prepare('SELECT strategy, exchange, account, status FROM orders').all()).toEqual([{ strategy: 'swing', exchange: 'bybit', account: 'default', status: 'open' }]);
      // the default account reads the keychain entries it was saved under before accounts had names
      const saved = new Map<string, string>([['exchange/install-1/bybit/api-key', 'the-key'], ['exchange/install-1/bybit/secret', 'the-secret']]);
      const secrets: SecretStore = { kind: 'keychain', get: async (name) => saved.get(name) ?? null, set: async () => undefined, delete: async () => undefined };
      expect(await new ExchangeAccounts(db, secrets, 'install-1').credentials(defaultAccountOf('bybit'))).toEqual({ apiKey: 'the-key', secret: 'the-secret' });
    } finally {
      db.close();
    }
  });

  it('journal what filled before fills were kept, from each leg’s amount and average price', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apisify-migrate-'));
    const old = new Sqlite(join(dataDir, DATABASE_FILE));
    const beforeFills = MIGRATIONS.findIndex((step) => step.includes('CREATE TABLE fills'));
    for (const step of MIGRATIONS.slice(0, beforeFills)) old.exec(step);
    old.pragma(`user_version = ${beforeFills}`);
    const order = old
      .prepare(
        "INSERT INTO orders (received_at, updated_at, source, strategy, exchange, account, symbol, side, intent, order_type, dry_run, status, request_json, market_symbol, market_type) VALUES ('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 'api', 'swing', 'bybit', 'main', 'BTCUSDT', 'Sar', 'sar', 'market', 0, 'filled', '{}', 'BTC/USDT:USDT', 'swap')",
      )
      .run().lastInsertRowid;
    const leg = old.prepare("INSERT INTO order_legs (order_id, leg, client_order_id, side, type, amount, price, reduce_only, status, filled, average_price, answered_at) VALUES (?, ?, ?, 'buy', 'market', ?, NULL, 0, ?, ?, ?, ?)");
    leg.run(order, 1, 'apx-1-1', '1', 'filled', '1', '60000', '2026-01-01T00:00:01Z');
    leg.run(order, 2, 'apx-1-2', '2', 'rejected', '0', null, '2026-01-01T00:00:01Z');
    old.close();

    const db = openDatabase(dataDir);
    try {
      expect(db.prepare('SELECT order_id, leg, strategy, account, market_symbol, side, amount, price, source, at FROM fills').all()).toEqual([
        { order_id: Number(order), leg: 1, strategy: 'swing', account: 'main', market_symbol: 'BTC/USDT:USDT', side: 'buy', amount: '1', price: '60000', source: 'order', at: '2026-01-01T00:00:01Z' },
      ]);
    } finally {
      db.close();
    }
  });
});

