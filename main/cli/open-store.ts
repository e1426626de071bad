import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeys } from '../engine/auth/api-keys.js';
import { resolveDataDir } from '../engine/config/data-dir.js';
import { openSecretStore } from '../engine/secrets/open-secret-store.js';
import { DATABASE_FILE, type Database, openDatabase } from '../engine/store/database.js';
import { installId } from '../engine/store/install-id.js';
import { Strategies } from '../engine/store/strategies.js';
import { UsageError } from './usage-error.js';

/**
 * What a command does to the data dir: a reader (orders, lists, ui) needs one that holds apisify's
 * database, so a mistyped --data-dir is named instead of answered from a new, empty database; a
 * writer (serve, keys create, strategy add...) may start one.
 */
export type DataDirUse = 'read' | 'write';

export function existingDataDir(flag: string | undefined): string {
  const dataDir = resolveDataDir(flag);
  if (!existsSync(dataDir)) throw new UsageError(`data dir ${dataDir} does not exist; check --data-dir (or APISIFY_DATA_DIR), or create it with apisify serve`);
  if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`data dir ${dataDir} holds no apisify data (no ${DATABASE_FILE}); check --data-dir (or APISIFY_DATA_DIR), or create it with apisify serve`);
  return dataDir;
}

/**
 * The CLI works on the same SQLite file as a running server (WAL lets both in); the server reads keys
 * and strategies on every request, so a change made here applies to the next order.
 */
export function openDataDir(flag: string | undefined, use: DataDirUse = 'write'): { db: Database; dataDir: string; strategies: Strategies } {
  const dataDir = use === 'read' ? existingDataDir(flag) : resolveDataDir(flag);
  const db = openDatabase(dataDir);
  const strategies = new Strategies(db);
  strategies.ensureDefault();
  return { db, dataDir, strategies };
}

export async function openApiKeys(flag: string | undefined, use: DataDirUse): Promise<{ db: Database; apiKeys: ApiKeys; strategies: Strategies }> {
  const { db, dataDir, strategies } = openDataDir(flag, use);
  try {
    return { db, apiKeys: new ApiKeys(db, await openSecretStore(dataDir), installId(db)), strategies };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs `work` with the data dir open and closes it after, whatever happens. */
export async function withDataDir<T>(flag: string | undefined, use: DataDirUse, work: (opened: ReturnType<typeof openDataDir>) => T | Promise<T>): Promise<T> {
  const opened = openDataDir(flag, use);
  try {
    return await work(opened);
  } finally {
    opened.db.close();
  }
}
