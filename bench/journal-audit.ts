import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../main/engine/store/database.js';

const require = createRequire(import.meta.url);

export interface JournalAudit {
  orders: number;
  /** Orders by journal status, e.g. { filled: 10000 }. */
  byStatus: Record<string, number>;
  legs: number;
  /** Legs that carry an exchange order id: the exchange answered and the answer was journaled. */
  legsAnswered: number;
  /** Client order ids used more than once (the schema forbids it; counted anyway). */
  duplicateClientIds: number;
  clientOrderIds: string[];
}

/** Reads the journal of a data dir read-only, after the run: what the engine recorded, not what it answered. */
export function auditJournal(dataDir: string): JournalAudit {
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare<[], { n: number }>(sql).get() as { n: number }).n;
    const byStatus = Object.fromEntries(db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM orders GROUP BY status').all().map((row) => [row.status, row.n]));
    return {
      orders: count('SELECT count(*) AS n FROM orders'),
      byStatus,
      legs: count('SELECT count(*) AS n FROM order_legs'),
      legsAnswered: count('SELECT count(*) AS n FROM order_legs WHERE exchange_order_id IS NOT NULL'),
      duplicateClientIds: count('SELECT count(*) - count(DISTINCT client_order_id) AS n FROM order_legs'),
      clientOrderIds: db.prepare<[], { id: string }>('SELECT client_order_id AS id FROM order_legs').all().map((row) => row.id),
    };
  } finally {
    db.close();
  }
}
