import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Database = BetterSqlite3.Database;

const require = createRequire(import.meta.url);

export const DATABASE_FILE = 'apisify.sqlite';

/**
 * On macOS a plain fsync() leaves the writes in the drive's own cache, where a power cut loses them;
 * only F_FULLFSYNC reaches the medium, and SQLite uses it only when asked (elsewhere this is a no-op).
 * Every connection that syncs sets it: this one for its commits, the WAL checkpointer for the
 * database file it syncs before the WAL may be overwritten. The journal's group commit needs nothing:
 * Node's fdatasync() is libuv's, which already issues F_FULLFSYNC on macOS.
 */
export const DRIVE_FLUSH_PRAGMA = 'fullfsync = ON';

/**
 * Opens (creating if needed) the one SQLite file in the data dir and brings its schema up to date.
 * WAL lets the CLI and a running server share the file. synchronous=FULL makes every commit durable;
 * the journal's own writes use group commit instead (store/group-commit.ts), with the same guarantee
 * before an order reaches an exchange.
 */
export function openDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(DRIVE_FLUSH_PRAGMA);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Each step reads the version under the write lock, so a CLI and a server starting together never both apply it. */
function migrate(db: Database): void {
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const sql = MIGRATIONS[version];
    if (sql === undefined) return false;
    db.exec(sql);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // next step
  }
}
