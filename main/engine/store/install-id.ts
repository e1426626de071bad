import { randomBytes } from 'node:crypto';
import type { Database } from './database.js';

/**
 * A short id of this installation, made on first run. Client order ids carry it, so a fresh data dir
 * (journal ids starting at 1 again) never reuses a client order id on the same exchange account.
 */
export function installId(db: Database): string {
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('install_id', randomBytes(4).toString('hex'));
  return (db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'install_id'").get() as { value: string }).value;
}

/** `ap<install>-<journal id>-<leg>`: at most 36 characters of [A-Za-z0-9-], valid on Bybit and Binance alike. */
export function clientOrderIdOf(install: string, orderId: number, leg: number): string {
  return `ap${install}-${orderId}-${leg}`;
}
