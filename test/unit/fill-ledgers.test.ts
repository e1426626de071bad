import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FillLedgers, type LedgerSelection } from '../../main/engine/pnl/fill-ledgers.js';
import { PnlLedger } from '../../main/engine/pnl/pnl-ledger.js';
import { periodStarts, pnlCurves, strategyPnl } from '../../main/engine/pnl/pnl-report.js';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import type { Fill, FillContext } from '../../main/engine/store/fills.js';
import { Journal } from '../../main/engine/store/journal.js';
import { walkOfFills } from '../support/fill-walk.js';

const STARTS = periodStarts(new Date('2026-11-30T12:00:00.000Z'), '2026-11-30T00:00:00.000Z');
const BY_STRATEGY: LedgerSelection = { keyOf: (fill) => fill.strategy, queryOf: (fill) => ({ strategy: fill.strategy }) };

let db: Database;
let journal: Journal;
let orderId: number;
let nextLeg = 1;

beforeEach(() => {
  db = openDatabase(mkdtempSync(join(tmpdir(), 'apisify-ledgers-')));
  journal = new Journal(db);
  // fills name their order (a foreign key); their legs and strategies are what the ledgers tell apart
  orderId = journal.record({ source: 'api', apiKeyId: null, strategy: 'a', exchange: 'bybit', account: 'default', symbol: 'BTCUSDT', side: 'Buy', intent: 'buy', orderType: 'market', qty: '1', price: null, memo: null, dryRun: false, market: { symbol: 'BTC/USDT:USDT', type: 'swap' }, request: {}, bodyDigest: null });
});

afterEach(() => db.close());

/** Writes the walk's fills as legs of strategies `a` and `b` (every third is b's, unless told); returns each leg's context. */
function write(count: number, seed: number, shiftDays = 0, strategyOf = (index: number) => (index % 3 === 2 ? 'b' : 'a')): FillContext[] {
  const contexts: FillContext[] = [];
  db.transaction(() => {
    walkOfFills(count, seed).forEach((fill, index) => {
      const context: FillContext = { orderId, leg: nextLeg++, strategy: strategyOf(index), exchange: fill.exchange, account: fill.account, dryRun: false, marketSymbol: fill.marketSymbol, marketType: 'swap', side: fill.side };
      const at = new Date(Date.parse(fill.at) + shiftDays * 86_400_000).toISOString();
      journal.fills.recordProgress(context, { filled: '0', averagePrice: null, fee: null, feeCurrency: null }, { filled: fill.amount, averagePrice: fill.price, fee: fill.fee, feeCurrency: fill.feeCurrency }, at);
      contexts.push(context);
    });
  })();
  return contexts;
}

/** What a report and a curve of the strategy show: from the ledger kept, and from one fold of the strategy's fills as they are now. */
async function keptAndFresh(ledgers: FillLedgers, strategy: string): Promise<[string, string]> {
  const show = (ledger: PnlLedger) => JSON.stringify({ pnl: strategyPnl(strategy, ledger, STARTS, () => 50_000), curves: pnlCurves(strategy, ledger) });
  const kept = (await ledgers.current()).get(strategy);
  expect(kept).toBeDefined();
  return [show(kept as PnlLedger), show(PnlLedger.of(journal.fills.list({ strategy })))];
}

describe('PnL ledgers kept over the fills table', () => {
  it('keeps each strategy’s ledger as one fold of its fills would be, through fills added, replaced by trades and timed before the last', async () => {
    let pauses = 0;
    const ledgers = new FillLedgers(journal.fills, BY_STRATEGY, async () => void (pauses += 1));
    const legs = write(1_200, 3);
    const [kept, fresh] = await keptAndFresh(ledgers, 'a');
    expect(kept).toBe(fresh);
    expect(pauses).toBeGreaterThan(0); // the first read folds everything, a step at a time
    const ledgerOfA = (await ledgers.current()).get('a');

    const expectKeptAsFresh = async () => {
      for (const strategy of ['a', 'b']) {
        const [keptNow, freshNow] = await keptAndFresh(ledgers, strategy);
        expect(keptNow).toBe(freshNow);
      }
    };

    // more fills, all later (December): folded on
    write(300, 5, 36);
    // a leg of a's replaced by a trade timed after every fill: only the rewrite tells its old fill went
    const replaced = (context: FillContext) => journal.fills.ofLeg(context.orderId, context.leg)[0] as Fill;
    const late = legs[40] as FillContext;
    const lateAmount = replaced(late).amount;
    expect(journal.fills.replaceWithTrades(late, lateAmount, [{ tradeId: 't3', amount: Number(lateAmount), price: 62_000, fee: 0.02, feeCurrency: 'USDT', at: Date.parse('2027-02-01T00:00:00.000Z') }])).toBe(true);
    await expectKeptAsFresh();

    // an early leg of a's replaced by two trades, timed before everything after it
    const early = legs[30] as FillContext;
    const filled = replaced(early);
    const at = Date.parse(filled.at);
    const half = Number(filled.amount) / 2;
    expect(journal.fills.replaceWithTrades(early, filled.amount, [
      { tradeId: 't1', amount: half, price: 61_000, fee: 0.01, feeCurrency: 'USDT', at: at - 5_000 },
      { tradeId: 't2', amount: Number(filled.amount) - half, price: 59_000, fee: 0.01, feeCurrency: 'USDT', at: at - 4_000 },
    ])).toBe(true);
    // a fill of b's timed before the last one folded (an exchange's trade time, a clock that stepped back)
    write(1, 11, -10, () => 'b');
    await expectKeptAsFresh();
    // brought up to date, not built again (a build makes every ledger anew)
    expect((await ledgers.current()).get('a')).toBe(ledgerOfA);
  });

  it('reads everything again when more rewrites were made than the fills store keeps', async () => {
    const ledgers = new FillLedgers(journal.fills, BY_STRATEGY, async () => undefined);
    const [leg] = write(10, 3);
    const ledgerOfA = (await ledgers.current()).get('a');
    const context = leg as FillContext;
    const amount = Number(journal.fills.ofLeg(context.orderId, context.leg)[0]?.amount);
    db.transaction(() => {
      for (let turn = 0; turn <= 10_000; turn += 1) {
        journal.fills.replaceWithTrades(context, String(amount), [{ tradeId: `t${turn}`, amount, price: 60_000 + turn, fee: 0.01, feeCurrency: 'USDT', at: Date.parse('2026-11-01T00:00:00.000Z') + turn }]);
      }
    })();
    const [kept, fresh] = await keptAndFresh(ledgers, 'a');
    expect(kept).toBe(fresh);
    expect((await ledgers.current()).get('a')).not.toBe(ledgerOfA);
  });

  it('lets the event loop run between the steps of the first fold', async () => {
    write(8_000, 13);
    const ledgers = new FillLedgers(journal.fills, BY_STRATEGY);
    let done = false;
    let turns = 0;
    const turn = () => {
      turns += 1;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    await ledgers.current();
    done = true;
    // 8,000 ids read in steps of 2,000, then 8,000 fills folded in steps of 2,000: turns between them
    expect(turns).toBeGreaterThanOrEqual(6);
  });
});
