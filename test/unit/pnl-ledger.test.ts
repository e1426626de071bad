import { describe, expect, it } from 'vitest';
import { PnlLedger, sortsAfter } from '../../main/engine/pnl/pnl-ledger.js';
import { periodStarts, pnlCurves, strategyPnl } from '../../main/engine/pnl/pnl-report.js';
import type { Fill } from '../../main/engine/store/fills.js';
import { walkOfFills } from '../support/fill-walk.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const STARTS = periodStarts(NOW, '2026-11-30T00:00:00.000Z');

/** Everything a report and a curve show of a ledger. */
const shown = (ledger: PnlLedger) => JSON.stringify({ pnl: strategyPnl('walk', ledger, STARTS, () => 50_000), curves: pnlCurves('walk', ledger) });

describe('a PnL ledger kept up to date one fill at a time', () => {
  const fills = walkOfFills(3_000);

  it('shows, after a rewind and the fills from there folded again, what one fold of them all shows', () => {
    const whole = shown(PnlLedger.of(fills));
    for (const cut of [1, 17, 255, 256, 257, 1_000, 2_222, 2_999]) {
      const ledger = PnlLedger.of(fills);
      const at = (fills[cut] as Fill).at;
      const from = ledger.rewindBefore(at);
      // back to before the cut: every fill at its time or later is to be folded again
      if (from !== null) expect(from.at < at).toBe(true);
      // a checkpoint, not the start, once enough fills came before the cut
      if (cut >= 1_000) expect(from).not.toBeNull();
      for (const fill of fills) if (sortsAfter(fill, from)) ledger.add(fill);
      expect(shown(ledger)).toBe(whole);
    }
  });

  it('forgets what a rewind took back: a currency first paid after it, trades, fills without a price', () => {
    const first = fills.slice(0, 600);
    const ledger = PnlLedger.of(first);
    const before = shown(ledger);
    const later = walkOfFills(300, 99).map((fill, index) => ({ ...fill, id: 10_000 + index, at: '2026-12-01T00:00:00.000Z', feeCurrency: 'XYZ', price: index % 3 === 0 ? null : fill.price }));
    for (const fill of later) ledger.add(fill);
    expect(ledger.currencies()).toContain('XYZ');
    ledger.rewindBefore('2026-12-01T00:00:00.000Z');
    for (const fill of first) if (sortsAfter(fill, ledger.cursor)) ledger.add(fill);
    expect(ledger.currencies()).not.toContain('XYZ');
    expect(shown(ledger)).toBe(before);
  });

  it('refuses a fill that sorts before the last one folded', () => {
    const ledger = PnlLedger.of(fills.slice(0, 10));
    expect(() => ledger.add(fills[5] as Fill)).toThrow(/rewind first/);
  });

  it('sums a period from the running totals as adding its amounts would', () => {
    const ledger = PnlLedger.of(fills);
    // the fees of the last 7 days, added one by one
    const direct = fills
      .filter((fill) => fill.at >= STARTS.days7 && fill.feeCurrency === 'USDT' && fill.fee !== null && fill.price !== null)
      .reduce((total, fill) => total + Number(fill.fee), 0);
    expect(Number(ledger.feesFrom('USDT', STARTS.days7))).toBeCloseTo(direct, 9);
    expect(direct).toBeGreaterThan(0);
  });
});
