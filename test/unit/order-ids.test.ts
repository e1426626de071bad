// Journal ids are reserved on disk ahead of use (store/order-ids.ts), so that an order's create need not
// wait for its rows' disk sync: a run that stopped without releasing them is never given them again.
// A power cut is played by copying the data dir's files at the last point known to be on disk (the
// reservation's sync) and opening the copy after more orders were journaled in the original.

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal } from '../../main/engine/store/journal.js';
import { journalTrouble } from '../../main/engine/store/journal-trouble.js';
import type { MachineBoot } from '../../main/engine/store/machine-boot.js';
import { journalEntry } from '../support/journal-entry.js';

const ENTRY = journalEntry({ strategy: 'ids_test' });

const HOUR = 3_600_000;
const BOOT: MachineBoot = { id: 'boot-1', bootedAt: Date.now() - HOUR };
const REBOOT: MachineBoot = { id: 'boot-2', bootedAt: Date.now() };

describe('journal ids reserved on disk', () => {
  const opened: Database[] = [];
  const open = (dataDir: string, boot = BOOT) => {
    const db = openDatabase(dataDir);
    opened.push(db);
    return { db, journal: new Journal(db, () => boot) };
  };
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
  });
  const reservedThrough = (db: Database) => Number((db.prepare("SELECT value FROM meta WHERE key = 'order_ids_reserved_through'").get() as { value: string }).value);
  const record = (journal: Journal, n: number) => Array.from({ length: n }, () => journal.record(ENTRY));

  it('a run that stopped cleanly is followed by the next id, none skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const first = open(dir);
    expect(record(first.journal, 3)).toEqual([1, 2, 3]);
    first.journal.close();
    first.db.close();
    const second = open(dir);
    expect(record(second.journal, 1)).toEqual([4]);
    expect(second.journal.possiblyLostIds()).toBeNull();
  });

  it('a run that was killed is followed by an id past its reservation; nothing is said lost on the same boot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const first = open(dir);
    expect(record(first.journal, 3)).toEqual([1, 2, 3]);
    expect(reservedThrough(first.db)).toBe(1_000);
    first.db.close(); // no journal.close(): the process ended without releasing its ids
    const second = open(dir, BOOT);
    expect(record(second.journal, 1)).toEqual([1_001]);
    expect(second.journal.possiblyLostIds()).toBeNull();
    expect(second.journal.get(3)).not.toBeNull();
  });

  it('after a power cut lost the last rows, their ids are not given again and the loss is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const onDisk = mkdtempSync(join(tmpdir(), 'apisify-ids-disk-'));
    const first = open(dir);
    first.journal.openForOrders();
    // what the disk holds at the cut: the reservation, synced; the orders after it were only in the OS's cache
    cpSync(dir, onDisk, { recursive: true });
    expect(record(first.journal, 2)).toEqual([1, 2]);
    expect(journalTrouble(first.journal, 'abcd1234')).toBeNull();
    first.db.close();

    const afterCut = open(onDisk, REBOOT);
    expect(afterCut.journal.get(1)).toBeNull();
    expect(record(afterCut.journal, 1)).toEqual([1_001]);
    expect(afterCut.journal.possiblyLostIds()).toEqual({ from: 1, through: 1_000 });
    // the engine's status tells the user where to look
    expect(journalTrouble(afterCut.journal, 'abcd1234')).toContain('client order ids from apabcd1234-1-1 on');
    // a command that opened the journal and closed it (apisify's CLI) does not consume the warning
    afterCut.journal.close();
    afterCut.db.close();
    const nextRun = open(onDisk, REBOOT);
    expect(nextRun.journal.possiblyLostIds()).toEqual({ from: 1, through: 1_000 });
    // an engine run that showed it and stopped cleanly does
    nextRun.journal.clearPossiblyLostIds();
    expect(journalTrouble(nextRun.journal, 'abcd1234')).toBeNull();
  });

  it('reserves the next block before the current one runs out, on disk before an id in it is used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const { db, journal } = open(dir);
    record(journal, 499);
    expect(reservedThrough(db)).toBe(1_000);
    record(journal, 2);
    await journal.durable();
    expect(reservedThrough(db)).toBe(2_000);
    record(journal, 1_000); // to 1,501: past half of the second block
    await journal.durable();
    expect(reservedThrough(db)).toBe(3_000);
    db.close();
    const next = open(dir);
    expect(record(next.journal, 1)).toEqual([3_001]);
  });

  it('an id past the reservation before its next block is on disk is reserved at once, with a sync', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const { db, journal } = open(dir);
    // no await: the next block's background sync cannot have ended
    record(journal, 1_001);
    expect(reservedThrough(db)).toBe(2_001);
    db.close();
    const next = open(dir);
    expect(record(next.journal, 1)).toEqual([2_002]);
  });

  it('a clean stop releases only a reservation that is still its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
    const one = open(dir);
    expect(record(one.journal, 1)).toEqual([1]);
    // a second journal on the same file (tests, a second connection) reserves past the first
    const two = open(dir);
    expect(record(two.journal, 1)).toEqual([1_001]);
    expect(reservedThrough(two.db)).toBe(2_000);
    one.journal.close();
    expect(reservedThrough(two.db)).toBe(2_000);
    two.journal.close();
    expect(reservedThrough(two.db)).toBe(1_001);
    // closed twice: nothing more is written
    two.journal.close();
    expect(reservedThrough(two.db)).toBe(1_001);
  });

  it('without a boot id, a machine that booted after the last run opened is a new boot, however quick', () => {
    for (const [bootedAt, lost] of [
      [Date.now() + 1_000, true],
      [Date.now() - HOUR, false],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'apisify-ids-'));
      const first = open(dir, { id: null, bootedAt: Date.now() - 2 * HOUR });
      record(first.journal, 1);
      first.db.close();
      const next = open(dir, { id: null, bootedAt });
      record(next.journal, 1);
      expect(next.journal.possiblyLostIds() !== null).toBe(lost);
    }
  });
});
