import Sqlite from 'better-sqlite3';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, DRIVE_FLUSH_PRAGMA, openDatabase } from '../../main/engine/store/database.js';
import { runWalCheckpointWorker, type WalCheckpointWorkerData } from '../../main/engine/store/wal-checkpoint-worker.js';
import { tempDataDir } from '../support/apisify-process.js';

const require = createRequire(import.meta.url);
const TUNING = { intervalMs: 20, checkpointFrames: 100, restartFrames: 400 };

describe('syncs that reach the medium on macOS (F_FULLFSYNC)', () => {
  it('are asked for by every connection the data dir opens', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    expect(db.pragma('fullfsync', { simple: true })).toBe(1);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are asked for by the checkpointer connection too, which syncs the database file before the WAL is reused', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    const settings: unknown[] = [];
    // The worker body runs here, once: its stop flag is already set, so it does its final checkpoint and ends.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    class RecordingSqlite extends Sqlite {
      override close(): this {
        settings.push(this.pragma('fullfsync', { simple: true }), this.pragma('synchronous', { simple: true }));
        return super.close();
      }
    }
    const workerData: WalCheckpointWorkerData = { file: db.name, driveFlushPragma: DRIVE_FLUSH_PRAGMA, sqliteModule: 'better-sqlite3', stop: stop.buffer, ...TUNING };
    const load = ((id: string) => (id === 'better-sqlite3' ? RecordingSqlite : require(id))) as NodeJS.Require;
    runWalCheckpointWorker({ workerData } as typeof import('node:worker_threads'), load);
    // fullfsync on, synchronous FULL (2): what the connection was set to when it closed.
    expect(settings).toEqual([1, 2]);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the data dir', () => {
  it("is the owner's alone, with the database and its WAL, even when it was made beforehand with wider modes", () => {
    const dir = tempDataDir();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, DATABASE_FILE), '');
    chmodSync(join(dir, DATABASE_FILE), 0o644);
    const db = openDatabase(dir);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('mode-check', 'x');
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, DATABASE_FILE))).toBe(0o600);
    expect(mode(join(dir, `${DATABASE_FILE}-wal`))).toBe(0o600);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
