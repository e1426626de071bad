import Sqlite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../main/engine/store/database.js';
import { MIGRATIONS } from '../../main/engine/store/migrations.js';

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
});
