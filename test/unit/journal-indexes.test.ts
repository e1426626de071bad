import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { Journal, type NewLeg } from '../../main/engine/store/journal.js';
import { PROTECTIVE_LEGS_SQL } from '../../main/engine/store/protective-legs.js';
import { journalEntry } from '../support/journal-entry.js';

const ENDED = 1_500;
const LIVE = { dryRun: false, exchange: 'bybit', account: 'default' } as const;

function stopOf(orderId: number, status: string): NewLeg & { status: string } {
  return { leg: 2, clientOrderId: `stop-${orderId}`, side: 'sell', type: 'market', amount: '0.001', price: null, reduceOnly: true, role: 'stop_loss', triggerPrice: '59000', status };
}

/** An order with its entry filled and a stop in `status`. */
function guardedOrder(journal: Journal, status: string, changes: Parameters<typeof journalEntry>[0] = {}): number {
  const orderId = journal.record(journalEntry({ strategy: 'guarded', ...changes }));
  journal.plan(orderId, 'guarded', [{ leg: 1, clientOrderId: `entry-${orderId}`, side: 'buy', type: 'market', amount: '0.001', price: null, reduceOnly: false }], 'filled');
  const { status: stopStatus, ...stop } = stopOf(orderId, status);
  journal.addLegs(orderId, [stop]);
  if (stopStatus !== 'received') journal.updateLeg(orderId, 2, { status: stopStatus as 'open' });
  return orderId;
}

/** SQLite's plan for `sql`, each `?` bound to a placeholder value. */
function planOf(db: Database, sql: string): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from(sql.matchAll(/\?/g), () => 'x')) as { detail: string }[]).map((step) => step.detail);
}

describe('the protective legs in force', () => {
  let db: Database;
  let journal: Journal;
  const inForce: number[] = [];

  beforeAll(() => {
    db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-protective-')));
    journal = new Journal(db);
    for (let index = 0; index < ENDED; index++) {
      guardedOrder(journal, index % 2 === 0 ? 'cancelled' : 'filled');
      // one in force now and then, among them one on another market and one of a dry run
      if (index % 500 === 0) inForce.push(guardedOrder(journal, 'open'));
    }
    guardedOrder(journal, 'open', { market: { symbol: 'ETH/USDT:USDT', type: 'swap' }, symbol: 'ETHUSDT' });
    guardedOrder(journal, 'open', { dryRun: true });
  });

  afterAll(() => db.close());

  it('are read from their own index, whatever the journal holds: no walk through every leg', () => {
    for (const [name, sql] of Object.entries(PROTECTIVE_LEGS_SQL)) {
      const steps = planOf(db, sql);
      // those legs first, each order then looked up by its id
      expect(steps[0], name).toBe('SCAN l USING INDEX order_legs_protective_in_force');
      expect(steps[1], name).toBe('SEARCH o USING INTEGER PRIMARY KEY (rowid=?)');
      expect(steps.filter((step) => step.startsWith('SCAN') && step !== 'SCAN l USING INDEX order_legs_protective_in_force'), name).toEqual([]);
    }
  });

  it('are exactly those armed on the market asked about, oldest first, and leave the index when they end', () => {
    const read = () => journal.openProtectiveLegs(LIVE, 'BTC/USDT:USDT').map((leg) => leg.orderId);
    expect(read()).toEqual(inForce);
    const [first, ...rest] = inForce as [number, ...number[]];
    journal.updateLeg(first, 2, { status: 'cancelled' });
    expect(read()).toEqual(rest);
    expect(journal.openProtectiveLegs(LIVE, 'ETH/USDT:USDT')).toHaveLength(1);
    expect(journal.openProtectiveLegs({ dryRun: true, exchange: 'bybit', strategy: 'guarded' }, 'BTC/USDT:USDT')).toHaveLength(1);
  });

  it('marked to cancel are found by the same index until they end', () => {
    const [wanted] = journal.openProtectiveLegs(LIVE, 'BTC/USDT:USDT');
    journal.wantCancel(wanted?.orderId as number, 2);
    expect(journal.cancelsWanted().map((leg) => leg.orderId)).toEqual([wanted?.orderId]);
    journal.updateLeg(wanted?.orderId as number, 2, { status: 'cancelled' });
    expect(journal.cancelsWanted()).toEqual([]);
  });
});

describe('the journal’s own reads', () => {
  it('walk no table of orders or legs, nor sort a strategy’s orders, except to read the newest order', () => {
    const prepared: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'apisify-plans-'));
    const db = openDatabase(dir);
    const prepare = db.prepare.bind(db);
    try {
      db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
      const journal = new Journal(db);
      // the orders list and its CSV, filtered by strategy, a page and the next
      journal.list({ strategy: 'trend', limit: 500 });
      journal.list({ strategy: 'trend', beforeId: 1_000, limit: 500 });
      db.prepare = prepare;
      const walks = prepared
        .filter((sql) => /^\s*(SELECT|UPDATE|DELETE)/i.test(sql))
        .filter((sql) => {
          const plan = planOf(db, sql);
          const walk = (step: string) => /^SCAN (o|l|orders|order_legs)\b/.test(step) && !/COVERING INDEX|order_legs_protective_in_force/.test(step);
          return plan.some((step) => walk(step) || step.startsWith('USE TEMP B-TREE'));
        });
      expect(walks.map((sql) => sql.replace(/\s+/g, ' ').trim())).toEqual([
        // a resent body: its few copies within the window, sorted
        expect.stringMatching(/WHERE body_digest = \? AND received_at >= \? ORDER BY id LIMIT 1$/),
        // the newest order: the end of the primary key, one row
        expect.stringMatching(/ORDER BY o\.id DESC LIMIT 1$/),
      ]);
    } finally {
      db.close();
    }
  });

  it('count a strategy’s orders since a time, and tell when its last arrived', () => {
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-activity-')));
    try {
      const journal = new Journal(db);
      const first = journal.record(journalEntry({ strategy: 'trend' }));
      journal.record(journalEntry({ strategy: 'other' }));
      const last = journal.record(journalEntry({ strategy: 'trend' }));
      const at = (id: number) => journal.get(id)?.receivedAt as string;
      expect(journal.activityOf('trend', '2000-01-01T00:00:00.000Z')).toEqual({ since: 2, lastAt: at(last) });
      expect(journal.activityOf('trend', new Date(Date.parse(at(last)) + 1).toISOString())).toEqual({ since: 0, lastAt: at(last) });
      expect(journal.activityOf('quiet', '2000-01-01T00:00:00.000Z')).toEqual({ since: 0, lastAt: null });
      // received exactly then counts
      expect(journal.activityOf('trend', at(last)).since).toBeGreaterThanOrEqual(1);
      expect(journal.activityOf('trend', at(first))).toEqual({ since: 2, lastAt: at(last) });
    } finally {
      db.close();
    }
  });
});
