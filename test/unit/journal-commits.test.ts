import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal, type NewLeg } from '../../main/engine/store/journal.js';
import { journalEntry } from '../support/journal-entry.js';

const ENTRY = journalEntry();

const LEG: NewLeg = { leg: 1, clientOrderId: 'apisify-test-1-1', side: 'buy', type: 'market', amount: '0.001', price: null, reduceOnly: false };

describe('Journal.inOneCommit', () => {
  const opened: Database[] = [];
  const open = (dataDir: string) => {
    const db = openDatabase(dataDir);
    opened.push(db);
    return db;
  };
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });

  it('commits the plan and the first leg sent together, visible to another connection', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apisify-journal-'));
    const journal = new Journal(open(dataDir));
    const orderId = journal.record({ ...ENTRY, request: { ...ENTRY.request } });
    journal.inOneCommit(() => {
      journal.plan(orderId, 'buy 0.001', [LEG], 'submitted');
      journal.updateLeg(orderId, 1, { status: 'submitted', sentAt: '2026-11-24T00:00:00.000Z' });
    });
    await journal.durable();
    const other = new Journal(open(dataDir));
    const order = other.get(orderId);
    expect(order?.status).toBe('submitted');
    expect(order?.legs.map((leg) => [leg.status, leg.sentAt])).toEqual([['submitted', '2026-11-24T00:00:00.000Z']]);
  });

  it('keeps none of the writes when one of them fails', () => {
    const journal = new Journal(open(mkdtempSync(join(tmpdir(), 'apisify-journal-'))));
    const orderId = journal.record({ ...ENTRY, request: { ...ENTRY.request } });
    expect(() =>
      journal.inOneCommit(() => {
        journal.plan(orderId, 'buy 0.001', [LEG], 'submitted');
        // The same leg twice breaks the table's key.
        journal.plan(orderId, 'buy 0.001', [LEG], 'submitted');
      }),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    const order = journal.get(orderId);
    expect(order?.status).toBe('received');
    expect(order?.legs).toEqual([]);
  });

  it('leaves every other writer on the connection with synchronous=FULL', () => {
    const db = open(mkdtempSync(join(tmpdir(), 'apisify-journal-')));
    const journal = new Journal(db);
    const orderId = journal.record({ ...ENTRY, request: { ...ENTRY.request } });
    journal.inOneCommit(() => journal.setStatus(orderId, 'error', { code: 'x', message: 'y' }));
    // 2 is FULL.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });
});
