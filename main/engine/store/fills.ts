import type { Statement, Transaction } from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import type { Database } from './database.js';

/** One fill as PnL reads it: a strategy's trade on one market of one account. */
export interface Fill extends FillContext {
  id: number;
  amount: string;
  /** null when the exchange told neither an average price nor trades (left out of PnL, and said so). */
  price: string | null;
  fee: string | null;
  feeCurrency: string | null;
  /** `trade`: from the exchange's trade list; `order`: from the order's own filled amount, average price and fee. */
  source: 'order' | 'trade';
  tradeId: string | null;
  at: string;
}

/** A leg's state before and after one update, as the journal holds it (cumulative, as exchanges report orders). */
export interface LegProgress {
  filled: string;
  averagePrice: string | null;
  fee: string | null;
  feeCurrency: string | null;
}

/** The order and leg a fill belongs to. */
export interface FillContext {
  orderId: number;
  leg: number;
  strategy: string;
  exchange: string;
  account: string;
  dryRun: boolean;
  marketSymbol: string;
  marketType: 'swap' | 'spot';
  side: 'buy' | 'sell';
}

/** One of the exchange's trades of an order (ccxt's fetchMyTrades by order id). */
export interface TradeFill {
  tradeId: string;
  amount: number;
  price: number;
  fee: number | null;
  feeCurrency: string | null;
  /** The exchange's time, ms. */
  at: number;
}

export interface FillQuery {
  strategy?: string;
  exchange?: string;
  account?: string;
  /** ISO time: fills at or after it. */
  since?: string;
  /** Only fills that sort after this one (by time, then id): where a reader that folds them left off. */
  after?: FillCursor;
  /** Only fills with ids up to this one: what was there when a reader took its mark. */
  throughId?: number;
}

/** A place in the fills' order (time, then id). */
export interface FillCursor {
  at: string;
  id: number;
}

/** Where a reader of the fills is: every id up to `lastId` seen, and every rewrite up to `rewrites`. */
export interface FillsMark {
  lastId: number;
  rewrites: number;
}

/** A leg's fills replaced by its trades: fills of that leg at or after `from` are gone, and the trades came in as new fills. */
export interface FillRewrite {
  seq: number;
  context: FillContext;
  from: string;
}

/** How many rewrites are kept for readers that fold fills; one further behind reads everything again. */
const REWRITES_KEPT = 10_000;

interface FillRow {
  id: number;
  order_id: number;
  leg: number;
  strategy: string;
  exchange: string;
  account: string;
  dry_run: number;
  market_symbol: string;
  market_type: 'swap' | 'spot';
  side: 'buy' | 'sell';
  amount: string;
  price: string | null;
  fee: string | null;
  fee_currency: string | null;
  source: 'order' | 'trade';
  trade_id: string | null;
  at: string;
}

function toFill(row: FillRow): Fill {
  return {
    id: row.id,
    orderId: row.order_id,
    leg: row.leg,
    strategy: row.strategy,
    exchange: row.exchange,
    account: row.account,
    dryRun: row.dry_run === 1,
    marketSymbol: row.market_symbol,
    marketType: row.market_type,
    side: row.side,
    amount: row.amount,
    price: row.price,
    fee: row.fee,
    feeCurrency: row.fee_currency,
    source: row.source,
    tradeId: row.trade_id,
    at: row.at,
  };
}

const text = (value: Decimal): string => value.toFixed();

/**
 * The fills table (migration 13): what each leg filled, as PnL needs it. Exchanges report an order's
 * fill as running totals (filled, average price, fee), so a change of the totals is one more fill:
 * its amount the difference, its price what the averages imply, its fee the fee's difference. Where
 * the exchange lists the order's trades, they replace what the totals implied, with their own ids,
 * prices and fees.
 *
 * Ids only grow: a leg's trades are written before the fills they replace are deleted, so the newest
 * row is never deleted and SQLite never hands out a used id again. A reader that keeps a running sum
 * (PnL) learns what is new from the ids above its mark, and what went from `rewritesBetween`.
 */
export class Fills {
  readonly #insert;
  readonly #ofLeg;
  readonly #replaceOfLeg: Transaction<(context: FillContext, trades: readonly TradeFill[]) => FillRow[]>;
  readonly #deleteOfLegThrough;
  readonly #lastId;
  readonly #byIds;
  /** list()'s statements, one per combination of filters, prepared on first use. */
  readonly #lists = new Map<string, Statement<(string | number)[], FillRow>>();
  /** The newest rewrites, oldest first; `#rewriteSeq` counts every one made since the store opened. */
  readonly #rewrites: FillRewrite[] = [];
  #rewriteSeq = 0;

  /**
   * `commit`: how a write of its own commits. The journal passes its lazy commit (no disk sync: a
   * fill's trades can be read again), so a background trade read never blocks orders on an fsync.
   */
  constructor(
    private readonly db: Database,
    private readonly commit: <T>(write: () => T) => T = (write) => write(),
  ) {
    this.#insert = db.prepare<[number, number, string, string, string, number, string, string, string, string, string | null, string | null, string | null, string, string | null, string]>(
      `INSERT INTO fills (order_id, leg, strategy, exchange, account, dry_run, market_symbol, market_type, side, amount, price, fee, fee_currency, source, trade_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#ofLeg = db.prepare<[number, number], FillRow>('SELECT * FROM fills WHERE order_id = ? AND leg = ? ORDER BY id');
    this.#deleteOfLegThrough = db.prepare<[number, number, number]>('DELETE FROM fills WHERE order_id = ? AND leg = ? AND id <= ?');
    this.#lastId = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM fills');
    this.#byIds = db.prepare<[number, number], FillRow>('SELECT * FROM fills WHERE id > ? AND id <= ? ORDER BY id');
    this.#replaceOfLeg = db.transaction((context: FillContext, trades: readonly TradeFill[]) => {
      const replaced = this.#ofLeg.all(context.orderId, context.leg);
      for (const trade of [...trades].sort((a, b) => a.at - b.at)) {
        this.#insertFill(context, {
          amount: text(new Decimal(trade.amount)),
          price: text(new Decimal(trade.price)),
          fee: trade.fee === null ? null : text(new Decimal(trade.fee)),
          feeCurrency: trade.feeCurrency,
          source: 'trade',
          tradeId: trade.tradeId,
          at: new Date(trade.at).toISOString(),
        });
      }
      const newest = replaced.at(-1);
      if (newest) this.#deleteOfLegThrough.run(context.orderId, context.leg, newest.id);
      return replaced;
    });
  }

  /** The fill a change of the leg's totals implies; nothing when the filled amount did not grow. Runs inside the journal's write. */
  recordProgress(context: FillContext, before: LegProgress, after: LegProgress, at: string): void {
    const amount = new Decimal(after.filled).minus(before.filled);
    if (amount.lte(0)) return;
    const price = impliedPrice(before, after, amount);
    const sameCurrency = before.feeCurrency === null || before.feeCurrency === after.feeCurrency;
    const fee = after.fee === null ? null : sameCurrency ? new Decimal(after.fee).minus(before.fee ?? 0) : new Decimal(after.fee);
    this.#insertFill(context, { amount: text(amount), price: price === null ? null : text(price), fee: fee === null ? null : text(fee), feeCurrency: after.feeCurrency, source: 'order', tradeId: null, at });
  }

  /**
   * The exchange's own trades of a leg in place of the fills its totals implied, when they add up to
   * the leg's filled amount (a list still being written, or cut by a limit, would lose money). Returns
   * whether they were taken.
   */
  replaceWithTrades(context: FillContext, filled: string, trades: readonly TradeFill[]): boolean {
    if (trades.length === 0) return false;
    const total = trades.reduce((sum, trade) => sum.plus(trade.amount), new Decimal(0));
    if (!total.eq(filled)) return false;
    const replaced = this.commit(() => this.#replaceOfLeg.immediate(context, trades));
    const from = replaced.reduce<string | null>((earliest, row) => (earliest === null || row.at < earliest ? row.at : earliest), null);
    if (from !== null) this.#noteRewrite(context, from);
    return true;
  }

  /** Where the fills are now, for a reader that will ask what changed since. */
  mark(): FillsMark {
    return { lastId: this.#lastId.get()?.id ?? 0, rewrites: this.#rewriteSeq };
  }

  /** The fills with ids above `afterId` up to `throughId`, by id; ids only grow, so between two marks' ids this is every fill added between them. */
  byIds(afterId: number, throughId: number): Fill[] {
    return this.#byIds.all(afterId, throughId).map(toFill);
  }

  /** The rewrites made after `since` up to `through`; null when some of them are no longer kept (read everything again). */
  rewritesBetween(since: FillsMark, through: FillsMark): FillRewrite[] | null {
    const first = this.#rewrites[0]?.seq ?? this.#rewriteSeq + 1;
    if (since.rewrites + 1 < first && since.rewrites < through.rewrites) return null;
    return this.#rewrites.filter((rewrite) => rewrite.seq > since.rewrites && rewrite.seq <= through.rewrites);
  }

  ofLeg(orderId: number, leg: number): Fill[] {
    return this.#ofLeg.all(orderId, leg).map(toFill);
  }

  /** Oldest first, as average cost reads them. */
  list(query: FillQuery = {}): Fill[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.strategy !== undefined) (where.push('strategy = ?'), params.push(query.strategy));
    if (query.exchange !== undefined) (where.push('exchange = ?'), params.push(query.exchange));
    if (query.account !== undefined) (where.push('account = ?'), params.push(query.account));
    if (query.since !== undefined) (where.push('at >= ?'), params.push(query.since));
    // `at >= ?` first: it is what an index on (…, at) can start from
    if (query.after !== undefined) (where.push('at >= ? AND (at > ? OR id > ?)'), params.push(query.after.at, query.after.at, query.after.id));
    if (query.throughId !== undefined) (where.push('id <= ?'), params.push(query.throughId));
    const sql = `SELECT * FROM fills ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id`;
    let statement = this.#lists.get(sql);
    if (!statement) this.#lists.set(sql, (statement = this.db.prepare<(string | number)[], FillRow>(sql)));
    return statement.all(...params).map(toFill);
  }

  #noteRewrite(context: FillContext, from: string): void {
    this.#rewriteSeq += 1;
    this.#rewrites.push({ seq: this.#rewriteSeq, context, from });
    if (this.#rewrites.length > REWRITES_KEPT) this.#rewrites.splice(0, this.#rewrites.length - REWRITES_KEPT);
  }

  #insertFill(context: FillContext, fill: Pick<Fill, 'amount' | 'price' | 'fee' | 'feeCurrency' | 'source' | 'tradeId' | 'at'>): void {
    this.#insert.run(
      context.orderId,
      context.leg,
      context.strategy,
      context.exchange,
      context.account,
      context.dryRun ? 1 : 0,
      context.marketSymbol,
      context.marketType,
      context.side,
      fill.amount,
      fill.price,
      fill.fee,
      fill.feeCurrency,
      fill.source,
      fill.tradeId,
      fill.at,
    );
  }
}

/**
 * The price of the part that filled between two totals: (new average × new filled − old average ×
 * old filled) / the difference. Without a new average there is no price; without an old one (the first
 * fill) it is the new average.
 */
function impliedPrice(before: LegProgress, after: LegProgress, amount: Decimal): Decimal | null {
  if (after.averagePrice === null) return null;
  if (before.averagePrice === null || new Decimal(before.filled).eq(0)) return new Decimal(after.averagePrice);
  const price = new Decimal(after.averagePrice).times(after.filled).minus(new Decimal(before.averagePrice).times(before.filled)).div(amount);
  // exchanges round averages: a rounding that leaves no sensible price falls back to the new average
  return price.gt(0) ? price.toDecimalPlaces(12) : new Decimal(after.averagePrice);
}
