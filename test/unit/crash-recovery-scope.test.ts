import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrashRecovery } from '../../main/engine/orders/crash-recovery.js';
import type { OrderFollower } from '../../main/engine/orders/order-follower.js';
import { openDatabase } from '../../main/engine/store/database.js';
import { Journal, type NewJournalEntry } from '../../main/engine/store/journal.js';

/**
 * Crash recovery settles what the last run left, and never an order this run took: the engine listens
 * a moment before recovery starts, and an order received then is under way, not left by a crash. Its
 * scope is fixed when it is made (before the engine listens). A real SQLite journal; no exchange is asked.
 */
const entry = (memo: string): NewJournalEntry => ({ source: 'api', apiKeyId: null, strategy: 'alpha', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'buy', intent: 'buy', orderType: 'market', qty: '0.01', price: null, memo, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });

describe('crash recovery', () => {
  it("settles the last run's unfinished order, and leaves alone one received after it was made", async () => {
    const journal = new Journal(openDatabase(mkdtempSync(join(tmpdir(), 'apisify-recovery-scope-'))));
    const left = journal.record(entry('left by a crash'));
    const published: number[] = [];
    const venueOf = () => Promise.reject(new Error('no exchange is asked: nothing of these orders was sent'));
    const recovery = new CrashRecovery({ journal, follower: {} as OrderFollower, venueOf, publish: (id) => published.push(id), log: { info: () => undefined, warn: () => undefined, error: () => undefined } as never, completeProtection: async () => undefined, afterPowerCut: () => false, clientOrderIdOf: (id, leg) => `apt-${id}-${leg}` });
    const underWay = journal.record(entry('taken by this run'));

    const report = await recovery.run();

    expect(report).toMatchObject({ notSent: 1, found: 0, following: 0, unchecked: 0 });
    expect(journal.get(left)?.status).toBe('not_sent');
    expect(journal.get(underWay)?.status).toBe('received');
    expect(published).toEqual([left]);
    recovery.stop();
  });
});
