import Sqlite from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDir } from '../../main/cli/open-store.js';
import type { Logger } from '../../main/engine/log.js';
import { DATABASE_FILE, type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal } from '../../main/engine/store/journal.js';
import { WalCheckpointer, type WalCheckpointerTuning } from '../../main/engine/store/wal-checkpointer.js';
import { tempDataDir } from '../support/apisify-process.js';
import { startTestEngine } from '../support/engine.js';
import { until } from '../support/eventually.js';

// Small figures so that checkpoints and restarts happen many times in a short test.
const TUNING: WalCheckpointerTuning = { intervalMs: 20, checkpointFrames: 100, restartFrames: 400 };
const ORDERS = 2_000;
/** Five commits per order at about three 4 KB frames each: ~120 MB of WAL if nothing checkpoints. */
const WAL_BOUND_BYTES = 24 * 2 ** 20;

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function walBytes(db: Database): number {
  return statSync(`${db.name}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * Orders the way the pipeline journals them: five small commits each (synchronous=NORMAL), awaiting
 * the group commit's sync before the "exchange" and before the answer, sixteen at a time.
 * Returns the largest WAL file seen.
 */
async function journalOrders(db: Database, journal: Journal, count: number): Promise<number> {
  let next = 0;
  let largestWal = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const id = journal.record({
        source: 'api',
        apiKeyId: null,
        strategy: 'default',
        exchange: 'bybit',
        account: 'default',
        symbol: 'BTCUSDT',
        side: 'buy',
        intent: 'open',
        orderType: 'market',
        qty: '0.01',
        price: null,
        memo: `order ${n}`,
        dryRun: true,
        market: { symbol: 'BTCUSDT', type: 'swap' },
        request: { n, note: 'x'.repeat(200) },
        bodyDigest: null,
      });
      await journal.durable();
      journal.plan(id, 'buy 0.01', [{ leg: 0, clientOrderId: `c-${id}`, side: 'buy', type: 'market', amount: '0.01', price: null, reduceOnly: false }], 'submitted');
      await journal.durable();
      journal.updateLeg(id, 0, { sentAt: new Date().toISOString(), status: 'submitted' });
      await new Promise((resolve) => setImmediate(resolve));
      journal.updateLeg(id, 0, { exchangeOrderId: `x-${id}`, status: 'filled', filled: '0.01', answeredAt: new Date().toISOString() });
      journal.setStatus(id, 'filled');
      await journal.durable();
      largestWal = Math.max(largestWal, walBytes(db));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return largestWal;
}

function filledOrders(file: string): number {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM orders WHERE status = 'filled'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('WalCheckpointer', () => {
  it('keeps the WAL bounded under thousands of journal commits and copies them into the database file', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    const journal = new Journal(db);
    const checkpointer = new WalCheckpointer(db, silent, TUNING);
    // The proof below must come from the worker, not from SQLite's own checkpoint on this connection.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    const largestWal = await journalOrders(db, journal, ORDERS);
    expect(largestWal).toBeLessThan(WAL_BOUND_BYTES);

    // Quiet now: the worker copies the rest and truncates the WAL; the database file alone holds every order.
    await until('the WAL is copied and truncated', () => walBytes(db) === 0);
    const copy = join(tempDataDir(), DATABASE_FILE);
    copyFileSync(db.name, copy);
    expect(filledOrders(copy)).toBe(ORDERS);

    // Orders up to the moment the engine closes, while another connection (a CLI command, say) is
    // open: no engine connection is the last to close, so none copies the WAL on closing.
    const other = new Sqlite(db.name);
    // Its first read opens the WAL: from then on it holds a shared lock on the database file.
    other.prepare('SELECT count(*) FROM orders').get();
    await journalOrders(db, journal, 100);
    journal.close();
    checkpointer.close();
    db.close();
    await checkpointer.ended;
    // The worker copied everything on its way out: the database file alone holds every order.
    expect(walBytes(db)).toBe(0);
    copyFileSync(db.name, copy);
    expect(filledOrders(copy)).toBe(ORDERS + 100);
    other.close();
  });

  it('is needed: without it (and without auto-checkpoint) the same writes grow the WAL past the bound', async () => {
    const db = openDatabase(tempDataDir());
    db.pragma('wal_autocheckpoint = 0');
    const journal = new Journal(db);
    expect(await journalOrders(db, journal, ORDERS)).toBeGreaterThan(WAL_BOUND_BYTES);
    journal.close();
    db.close();
  });

  it('ends its worker on close, while the engine connection stays usable until it closes', async () => {
    const db = openDatabase(tempDataDir());
    const checkpointer = new WalCheckpointer(db, silent, TUNING);
    checkpointer.close();
    await checkpointer.ended;
    db.prepare("INSERT INTO meta (key, value) VALUES ('after', 'close')").run();
    db.close();
    expect(existsSync(`${db.name}-wal`)).toBe(false);
  });

  it('logs a failed worker and gives the checkpoints back to the engine connection', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    // The worker cannot open a file that is gone (the engine's connection keeps its open handle).
    rmSync(join(dataDir, DATABASE_FILE));
    const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const log: Logger = { ...silent, error: (message, fields) => errors.push({ message, fields }) };
    const checkpointer = new WalCheckpointer(db, log, TUNING);
    await checkpointer.ended;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/WAL checkpointer failed/);
    expect(String(errors[0]?.fields?.['reason'])).toMatch(/unable to open database file/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    checkpointer.close();
    db.close();
  });

  it('runs in the engine only; CLI commands keep SQLite own checkpointing', async () => {
    const engine = await startTestEngine();
    try {
      expect(engine.services.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const cli = openDataDir(engine.dataDir);
      expect(cli.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      cli.db.close();
    } finally {
      await engine.stop();
    }
    // stop() closed the services, and with them the worker.
    expect(engine.services.db.open).toBe(false);
    await engine.services.walCheckpointer.ended;
  });
});
