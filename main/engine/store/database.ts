import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
  const file = join(dataDir, DATABASE_FILE);
  keepToOwner(dataDir, file);
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Sqlite(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(DRIVE_FLUSH_PRAGMA);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/**
 * The journal holds memos, strategies, masked keys and key digests: the data dir is the owner's alone
 * (0700) and so is the database (0600), whose mode SQLite gives its -wal and -shm files too. mkdir's
 * mode applies only to a folder it creates, and SQLite creates files by the umask (0644 usually), so
 * a data dir made beforehand (a service's state folder, say) is tightened here. Windows keeps its ACLs.
 */
function keepToOwner(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  chmodSync(dataDir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
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
