// The WAL checkpointer in a process of its own, from the built dist/ (what `apisify serve` runs):
// SIGKILLed under load, its journal comes back whole from the database file and the WAL; closed, the
// process ends by itself.

import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { tempDataDir } from '../support/apisify-process.js';

const STORE = new URL('../../dist/main/engine/store/', import.meta.url);

/**
 * Journals orders like the pipeline (five commits each, awaiting the group commit's sync) and prints
 * `durable <id>` once each is on disk. `crash`: until killed. `close`: 500 orders, then closes the
 * journal, the checkpointer and the database, and leaves the process to end by itself.
 */
const JOURNALING_PROCESS = `
const [dataDir, mode] = process.argv.slice(1);
const { openDatabase } = await import(${JSON.stringify(new URL('database.js', STORE).href)});
const { Journal } = await import(${JSON.stringify(new URL('journal.js', STORE).href)});
const { WalCheckpointer } = await import(${JSON.stringify(new URL('wal-checkpointer.js', STORE).href)});
const log = { info() {}, warn: (m) => console.error(m), error: (m, f) => console.error(m, JSON.stringify(f)) };
const db = openDatabase(dataDir);
const journal = new Journal(db);
const checkpointer = new WalCheckpointer(db, log, { intervalMs: 20, checkpointFrames: 100, restartFrames: 400 });
let next = 0;
const orders = mode === 'close' ? 500 : Infinity;
async function journalOrders() {
  while (next < orders) {
    next++;
    const id = journal.record({ source: 'api', apiKeyId: null, strategy: 'default', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'buy', intent: 'open',
      orderType: 'market', qty: '0.01', price: null, memo: null, dryRun: true, market: { symbol: 'BTCUSDT', type: 'swap' }, request: { note: 'x'.repeat(200) }, bodyDigest: null });
    await journal.durable();
    journal.plan(id, 'buy 0.01', [{ leg: 0, clientOrderId: 'c-' + id, side: 'buy', type: 'market', amount: '0.01', price: null, reduceOnly: false }], 'submitted');
    await journal.durable();
    journal.updateLeg(id, 0, { exchangeOrderId: 'x-' + id, status: 'filled', filled: '0.01' });
    journal.setStatus(id, 'filled');
    await journal.durable();
    process.stdout.write('durable ' + id + '\\n');
  }
}
await Promise.all(Array.from({ length: 8 }, journalOrders));
journal.close();
checkpointer.close();
db.close();
`;

function startJournaling(dataDir: string, mode: 'crash' | 'close') {
  const child = spawn(process.execPath, ['--input-type=module', '-e', JOURNALING_PROCESS, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const durableIds: number[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => durableIds.push(Number(line.replace('durable ', ''))));
  const durable = (count: number) =>
    new Promise<void>((resolve, reject) => {
      lines.on('line', () => {
        if (durableIds.length >= count) resolve();
      });
      void exited.then(({ code }) => reject(new Error(`the journaling process exited with ${code}: ${stderr}`)));
    });
  return { child, exited, durable, durableIds, stderr: () => stderr };
}

/** Opening it recovers what the WAL holds. */
function journalOf(dataDir: string) {
  const db = new Sqlite(join(dataDir, DATABASE_FILE));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      ...(db.prepare('SELECT count(*) AS orders, max(id) AS lastId FROM orders').get() as { orders: number; lastId: number }),
      filled: (db.prepare("SELECT id FROM orders WHERE status = 'filled'").pluck().all() as number[]).sort((a, b) => a - b),
    };
  } finally {
    db.close();
  }
}

const walBytes = (dataDir: string) => statSync(join(dataDir, `${DATABASE_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0;

describe('the WAL checkpointer in a process of its own', () => {
  it('SIGKILLed while it journals: every durable order comes back, from the database file and the WAL', async () => {
    const dataDir = tempDataDir();
    const journaling = startJournaling(dataDir, 'crash');
    await journaling.durable(3_000);
    journaling.child.kill('SIGKILL');
    expect((await journaling.exited).signal).toBe('SIGKILL');

    // What the process left: a WAL with frames not yet copied, bounded all the same (restarted in place).
    expect(walBytes(dataDir)).toBeGreaterThan(0);
    expect(walBytes(dataDir)).toBeLessThan(32 * 2 ** 20);
    const copied = tempDataDir();
    copyFileSync(join(dataDir, DATABASE_FILE), join(copied, DATABASE_FILE));
    const journal = journalOf(dataDir);
    // The last orders were in the WAL only (the database file alone lacks them), and came back from it.
    expect(journalOf(copied).orders).toBeLessThan(journal.orders);
    expect(journal.integrity).toBe('ok');
    // Every order reported durable came back filled, and none is missing in between.
    expect(journal.filled).toEqual(expect.arrayContaining(journaling.durableIds));
    expect(journal.orders).toBe(journal.lastId);
  });

  it('closed, ends by itself with nothing left in the WAL', async () => {
    const dataDir = tempDataDir();
    const journaling = startJournaling(dataDir, 'close');
    const { code } = await journaling.exited;
    expect(code, journaling.stderr()).toBe(0);
    expect(journaling.durableIds).toHaveLength(500);
    expect(walBytes(dataDir)).toBe(0);
    expect(journalOf(dataDir)).toEqual({ integrity: 'ok', orders: 500, lastId: 500, filled: Array.from({ length: 500 }, (_, i) => i + 1) });
  });
});
