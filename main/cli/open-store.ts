import { ApiKeys } from '../engine/auth/api-keys.js';
import { resolveDataDir } from '../engine/config/data-dir.js';
import { openSecretStore } from '../engine/secrets/open-secret-store.js';
import { type Database, openDatabase } from '../engine/store/database.js';
import { installId } from '../engine/store/install-id.js';
import { Strategies } from '../engine/store/strategies.js';

/**
 * The CLI works on the same SQLite file as a running server (WAL lets both in); the server reads keys
 * and strategies on every request, so a change made here applies to the next order.
 */
export function openDataDir(flag: string | undefined): { db: Database; dataDir: string; strategies: Strategies } {
  const dataDir = resolveDataDir(flag);
  const db = openDatabase(dataDir);
  const strategies = new Strategies(db);
  strategies.ensureDefault();
  return { db, dataDir, strategies };
}

export async function openApiKeys(flag: string | undefined): Promise<{ db: Database; apiKeys: ApiKeys }> {
  const { db, dataDir } = openDataDir(flag);
  try {
    return { db, apiKeys: new ApiKeys(db, await openSecretStore(dataDir), installId(db)) };
  } catch (error) {
    db.close();
    throw error;
  }
}
