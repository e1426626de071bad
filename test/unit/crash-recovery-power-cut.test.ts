import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LegOutcome, MarketRef, Venue } from '../../main/engine/exchanges/venue.js';
import { CrashRecovery } from '../../main/engine/orders/crash-recovery.js';
import { legUpdateOf } from '../../main/engine/orders/leg-update.js';
import type { OrderFollower } from '../../main/engine/orders/order-follower.js';
import { openDatabase } from '../../main/engine/store/database.js';
import { Journal, type NewJournalEntry } from '../../main/engine/store/journal.js';

/**
 * A create leaves before its rows' disk sync, so after a power cut an order's row may have survived
 * without the writes that planned it or marked its leg sent, while the exchange has the order. After
 * such a stop, recovery asks the exchange by client id instead of calling those orders not sent; after
 * any other stop it does not ask (what was committed survived). A real SQLite journal; the exchange is
 * a venue that knows the client ids the test gives it.
 */
const entry = (memo: string): NewJournalEntry => ({ source: 'api', apiKeyId: null, strategy: 'alpha', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'buy', intent: 'buy', orderType: 'market', qty: '0.01', price: null, memo, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
const FILLED: LegOutcome = { exchangeOrderId: 'ex-77', status: 'filled', filled: 0.01, averagePrice: 60_000 };
const clientOrderIdOf = (orderId: number, leg: number) => `apt-${orderId}-${leg}`;

const MARKET: MarketRef = { symbol: 'BTC/USDT:USDT', type: 'swap' } as MarketRef;

function recoveryOf(journal: Journal, afterPowerCut: boolean, onExchange: ReadonlySet<string>, reachable = true) {
  const asked: string[] = [];
  const venue = {
    dryRun: false,
    fetchLeg: async (market: MarketRef, _exchangeOrderId: string | null, clientOrderId: string, conditional?: boolean) => {
      // asked where the order was placed, as an entry
      expect(market).toBe(MARKET);
      expect(conditional ?? false).toBe(false);
      asked.push(clientOrderId);
      return onExchange.has(clientOrderId) ? FILLED : null;
    },
  } as unknown as Venue;
  const follower = { record: (orderId: number, leg: number, outcome: LegOutcome) => journal.updateLeg(orderId, leg, legUpdateOf(outcome)), follow: () => undefined } as unknown as OrderFollower;
  const recovery = new CrashRecovery({
    journal,
    follower,
    venueOf: async () => (reachable ? { venue, market: MARKET } : Promise.reject(new Error('the exchange cannot be reached'))),
    publish: () => undefined,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined } as never,
    completeProtection: async () => undefined,
    afterPowerCut: () => afterPowerCut,
    clientOrderIdOf,
  });
  return { recovery, asked };
}

function leftByTheCut(journal: Journal) {
  const unplanned = journal.record(entry('its plan lost, on the exchange'));
  const unplannedNotThere = journal.record(entry('its plan lost, never sent'));
  // a two-leg plan (hedge mode's SAR): its first leg answered, its second's sent mark lost
  const planned = journal.record(entry('its second leg sent, its mark lost'));
  const leg = (n: number) => ({ leg: n, clientOrderId: clientOrderIdOf(planned, n), side: 'buy' as const, type: 'market' as const, amount: '0.01', price: null, reduceOnly: false });
  journal.plan(planned, 'close short, open long', [leg(1), leg(2)], 'submitted');
  journal.updateLeg(planned, 1, legUpdateOf(FILLED));
  return { unplanned, unplannedNotThere, planned };
}

describe('crash recovery after a power cut', () => {
  it('asks the exchange for orders never marked as sent: found ones are not called not sent', async () => {
    const journal = new Journal(openDatabase(mkdtempSync(join(tmpdir(), 'apisify-recovery-cut-'))));
    const { unplanned, unplannedNotThere, planned } = leftByTheCut(journal);
    const { recovery, asked } = recoveryOf(journal, true, new Set([clientOrderIdOf(unplanned, 1), clientOrderIdOf(planned, 2)]));

    const report = await recovery.run();

    expect(asked.sort()).toEqual([clientOrderIdOf(unplanned, 1), clientOrderIdOf(unplannedNotThere, 1), clientOrderIdOf(planned, 2)].sort());
    expect(journal.get(unplanned)).toMatchObject({ status: 'error', error: { code: 'outcome_unknown' } });
    expect(journal.get(unplanned)?.error?.message).toContain(`client id ${clientOrderIdOf(unplanned, 1)}, id ex-77`);
    expect(journal.get(unplannedNotThere)).toMatchObject({ status: 'not_sent', error: { code: 'not_sent' } });
    expect(journal.get(planned)?.status).toBe('filled');
    expect(journal.get(planned)?.legs[1]).toMatchObject({ status: 'filled', exchangeOrderId: 'ex-77' });
    expect(report).toMatchObject({ notSent: 1, found: 2, unchecked: 0 });
    expect(recovery.settledAll()).toBe(true);
    recovery.stop();
  });

  it('leaves an order it cannot ask about as it is, and says it has not settled everything (the warning is kept)', async () => {
    const journal = new Journal(openDatabase(mkdtempSync(join(tmpdir(), 'apisify-recovery-cut-'))));
    const { unplanned } = leftByTheCut(journal);
    const { recovery } = recoveryOf(journal, true, new Set([clientOrderIdOf(unplanned, 1)]), false);

    const report = await recovery.run();

    expect(report).toMatchObject({ unchecked: 3, notSent: 0 });
    expect(journal.get(unplanned)?.status).toBe('received');
    expect(recovery.settledAll()).toBe(false);
    recovery.stop();
  });

  it('after a stop the machine survived, such orders are not sent, and the exchange is not asked', async () => {
    const journal = new Journal(openDatabase(mkdtempSync(join(tmpdir(), 'apisify-recovery-cut-'))));
    const { unplanned, planned } = leftByTheCut(journal);
    const { recovery, asked } = recoveryOf(journal, false, new Set([clientOrderIdOf(unplanned, 1), clientOrderIdOf(planned, 1)]));

    const report = await recovery.run();

    expect(asked).toEqual([]);
    expect(journal.get(unplanned)?.status).toBe('not_sent');
    expect(journal.get(planned)?.legs[1]?.status).toBe('not_sent');
    expect(report).toMatchObject({ notSent: 2 });
    recovery.stop();
  });
});
