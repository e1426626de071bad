import type { Decimal } from 'decimal.js';
import type { Fill, FillCursor } from '../store/fills.js';
import { AverageCost, type AverageCostEvents, type BooksSnapshot, type OpenBook } from './average-cost.js';
import { CumulativeSeries } from './cumulative-series.js';
import { CurvePoints, type CurveSnapshot } from './curve-points.js';

/** One currency's figures: realized and fees as running totals, and the net curve. */
interface CurrencyFigures {
  realized: CumulativeSeries;
  fees: CumulativeSeries;
  curve: CurvePoints;
}

interface Checkpoint {
  cursor: FillCursor;
  books: BooksSnapshot;
  currencies: ReadonlyMap<string, { realized: number; fees: number; curve: CurveSnapshot }>;
  trades: number;
  wins: number;
  unpriced: number;
}

/**
 * A checkpoint every so many fills, and never closer than a copy of the books is worth: rewinding
 * to one refolds at most that many fills, and the copies stay a small part of what the ledger holds.
 */
const spacingFor = (books: number) => Math.max(256, 16 * books);

/** Whether `fill` sorts after `cursor` in the fills' order (time, then id). */
export const sortsAfter = (fill: FillCursor, cursor: FillCursor | null): boolean => cursor === null || fill.at > cursor.at || (fill.at === cursor.at && fill.id > cursor.id);

export const byFillOrder = (a: FillCursor, b: FillCursor): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id);

/**
 * Some fills (a strategy's, an account's) folded by average cost, kept up to date one fill at a time:
 * what is open, the round trips closed, and per currency the running totals of realized PnL and fees
 * and the net curve. A fill that changes the past (a leg's trades replacing what its totals implied,
 * or a fill timed before the last one folded) rewinds it to a checkpoint before the change, and the
 * fills from there are folded again: a report stays a few lookups however long the journal grows.
 */
export class PnlLedger {
  readonly #costs = new AverageCost();
  readonly #currencies = new Map<string, CurrencyFigures>();
  readonly #checkpoints: Checkpoint[] = [];
  #cursor: FillCursor | null = null;
  #sinceCheckpoint = 0;
  #trades = 0;
  #wins = 0;
  #unpriced = 0;

  readonly #events: AverageCostEvents = {
    realized: (event) => {
      const figures = this.#figuresOf(event.currency);
      figures.realized.push(event.at, event.amount);
      figures.curve.add(event.at, event.amount);
    },
    fee: (event) => {
      const figures = this.#figuresOf(event.currency);
      figures.fees.push(event.at, event.amount);
      figures.curve.add(event.at, event.amount.neg());
    },
    tripClosed: (trip) => {
      this.#trades += 1;
      if (trip.realized.minus(trip.fees).gt(0)) this.#wins += 1;
    },
    unpriced: () => {
      this.#unpriced += 1;
    },
  };

  /** A ledger of these fills, in any order. */
  static of(fills: Iterable<Fill>): PnlLedger {
    const ledger = new PnlLedger();
    for (const fill of [...fills].sort(byFillOrder)) ledger.add(fill);
    return ledger;
  }

  /** The last fill folded; null before the first. */
  get cursor(): FillCursor | null {
    return this.#cursor;
  }

  /** Folds one more fill; it must sort after every fill folded so far (rewind first otherwise). */
  add(fill: Fill): void {
    if (!sortsAfter(fill, this.#cursor)) throw new Error(`fill ${fill.id} at ${fill.at} sorts before the ledger's last fill: rewind first`);
    this.#costs.add(fill, this.#events);
    this.#cursor = { at: fill.at, id: fill.id };
    this.#sinceCheckpoint += 1;
    if (this.#sinceCheckpoint >= spacingFor(this.#costs.size)) this.#checkpoint();
  }

  /**
   * Back to the last checkpoint before `at` (ISO), so every fill at or after it can be folded again;
   * returns where the ledger now stands (the fills after it are to be folded), null at the start.
   */
  rewindBefore(at: string): FillCursor | null {
    while (this.#checkpoints.length > 0 && (this.#checkpoints.at(-1) as Checkpoint).cursor.at >= at) this.#checkpoints.pop();
    const checkpoint = this.#checkpoints.at(-1);
    this.#sinceCheckpoint = 0;
    if (!checkpoint) {
      this.#costs.restore(new Map());
      this.#currencies.clear();
      this.#cursor = null;
      this.#trades = this.#wins = this.#unpriced = 0;
      return null;
    }
    this.#costs.restore(checkpoint.books);
    for (const [currency, figures] of this.#currencies) {
      const kept = checkpoint.currencies.get(currency);
      if (!kept) {
        this.#currencies.delete(currency);
        continue;
      }
      figures.realized.truncate(kept.realized);
      figures.fees.truncate(kept.fees);
      figures.curve.restore(kept.curve);
    }
    this.#cursor = checkpoint.cursor;
    this.#trades = checkpoint.trades;
    this.#wins = checkpoint.wins;
    this.#unpriced = checkpoint.unpriced;
    return checkpoint.cursor;
  }

  /** Every currency something was realized or paid in, sorted. */
  currencies(): string[] {
    return [...this.#currencies.keys()].sort();
  }

  /** Realized in `currency` at or after `from` (ISO; everything when null). */
  realizedFrom(currency: string, from: string | null): Decimal | null {
    return this.#currencies.get(currency)?.realized.sumFrom(from) ?? null;
  }

  /** Fees paid in `currency` at or after `from` (ISO; everything when null). */
  feesFrom(currency: string, from: string | null): Decimal | null {
    return this.#currencies.get(currency)?.fees.sumFrom(from) ?? null;
  }

  /** The cumulative net PnL curve of each currency, sorted by currency. */
  curves(): { currency: string; points: ReturnType<CurvePoints['points']> }[] {
    return this.currencies().map((currency) => ({ currency, points: (this.#currencies.get(currency) as CurrencyFigures).curve.points() }));
  }

  open(): OpenBook[] {
    return this.#costs.open();
  }

  /** Round trips closed (flat to flat), and those that made money after their fees. */
  get trades(): number {
    return this.#trades;
  }

  get wins(): number {
    return this.#wins;
  }

  /** Fills without a price, left out. */
  get unpriced(): number {
    return this.#unpriced;
  }

  #figuresOf(currency: string): CurrencyFigures {
    let figures = this.#currencies.get(currency);
    if (!figures) this.#currencies.set(currency, (figures = { realized: new CumulativeSeries(), fees: new CumulativeSeries(), curve: new CurvePoints() }));
    return figures;
  }

  #checkpoint(): void {
    if (this.#cursor === null) return;
    this.#sinceCheckpoint = 0;
    this.#checkpoints.push({
      cursor: this.#cursor,
      books: this.#costs.snapshot(),
      currencies: new Map([...this.#currencies].map(([currency, figures]) => [currency, { realized: figures.realized.length, fees: figures.fees.length, curve: figures.curve.snapshot() }])),
      trades: this.#trades,
      wins: this.#wins,
      unpriced: this.#unpriced,
    });
  }
}
