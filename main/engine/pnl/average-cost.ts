import { Decimal } from 'decimal.js';
import type { Fill } from '../store/fills.js';
import { type PnlTerms, pnlTermsOf } from './market-terms.js';

/** Something realized or paid at a moment, in one currency: what periods and curves add up. */
export interface PnlEvent {
  at: string;
  currency: string;
  amount: Decimal;
}

/** A round trip from flat to flat (a reversal closes one and opens the next). */
export interface ClosedTrip {
  closedAt: string;
  currency: string;
  realized: Decimal;
  /** Fees paid in the trip's currency while it was open (a reversal's fee split by amount). */
  fees: Decimal;
}

export interface OpenBook {
  exchange: string;
  account: string;
  dryRun: boolean;
  symbol: string;
  marketType: 'swap' | 'spot';
  terms: PnlTerms;
  /** Signed. */
  qty: Decimal;
  /** The average entry price of what is open. */
  averageCost: Decimal;
  /** When the book last filled (ISO). */
  lastAt: string;
}

/** What average cost tells as it goes, in the fills' order. */
export interface AverageCostEvents {
  realized(event: PnlEvent): void;
  fee(event: PnlEvent): void;
  tripClosed(trip: ClosedTrip): void;
  /** A fill without a price: left out, and counted so a view can say so. */
  unpriced(): void;
}

interface Book extends OpenBook {
  /** Realized and paid (in the PnL currency) since the position was last flat. */
  tripRealized: Decimal;
  tripFees: Decimal;
}

/** The books as they were at a moment, to go back to. */
export type BooksSnapshot = ReadonlyMap<string, Readonly<Book>>;

const ZERO = new Decimal(0);

/**
 * Fills (oldest first) by average cost, per market of each account: a fill that adds to the position
 * moves its average entry; one that reduces it realizes the difference between its price and that
 * average, on the part it closes; the rest of a reversal opens at its price. Linear and spot count
 * qty in coins and PnL in the quote; inverse contracts (1 USD each) average their entry harmonically
 * and realize in the coin. Fees are kept apart, in their own currency.
 */
export class AverageCost {
  #books = new Map<string, Book>();

  add(fill: Fill, events: AverageCostEvents): void {
    if (fill.price === null) {
      events.unpriced();
      return;
    }
    const key = `${fill.exchange}|${fill.account}|${fill.dryRun ? 1 : 0}|${fill.marketType}|${fill.marketSymbol}`;
    let book = this.#books.get(key);
    if (!book) {
      book = { exchange: fill.exchange, account: fill.account, dryRun: fill.dryRun, symbol: fill.marketSymbol, marketType: fill.marketType, terms: pnlTermsOf(fill.marketSymbol, fill.marketType), qty: ZERO, averageCost: ZERO, lastAt: fill.at, tripRealized: ZERO, tripFees: ZERO };
      this.#books.set(key, book);
    }
    book.lastAt = fill.at;
    apply(book, fill, new Decimal(fill.price), events);
  }

  /** What is open now, per market of each account. */
  open(): OpenBook[] {
    return [...this.#books.values()].filter((book) => !book.qty.eq(0)).map(({ tripRealized: _realized, tripFees: _fees, ...open }) => open);
  }

  /** How many markets it keeps a book of: what a copy of them costs. */
  get size(): number {
    return this.#books.size;
  }

  snapshot(): BooksSnapshot {
    return new Map([...this.#books].map(([key, book]) => [key, { ...book }]));
  }

  restore(snapshot: BooksSnapshot): void {
    this.#books = new Map([...snapshot].map(([key, book]) => [key, { ...book }]));
  }
}

function apply(book: Book, fill: Fill, price: Decimal, events: AverageCostEvents): void {
  const amount = new Decimal(fill.amount);
  const signed = fill.side === 'buy' ? amount : amount.neg();
  const fee = fill.fee === null ? null : new Decimal(fill.fee);
  if (fee !== null && fill.feeCurrency !== null) events.fee({ at: fill.at, currency: fill.feeCurrency, amount: fee });
  // the part of the fee that belongs to the trip being closed, the rest to the one opened
  const feeInTerms = fee !== null && fill.feeCurrency === book.terms.currency ? fee : ZERO;

  if (book.qty.eq(0) || book.qty.isPositive() === signed.isPositive()) {
    book.averageCost = addedAverage(book, amount, price);
    book.qty = book.qty.plus(signed);
    book.tripFees = book.tripFees.plus(feeInTerms);
    return;
  }
  const closing = Decimal.min(amount, book.qty.abs());
  const direction = book.qty.isPositive() ? 1 : -1;
  const realized = realizedOn(book, closing, price).times(direction);
  events.realized({ at: fill.at, currency: book.terms.currency, amount: realized });
  book.tripRealized = book.tripRealized.plus(realized);
  book.tripFees = book.tripFees.plus(feeInTerms.times(closing.div(amount)));
  book.qty = book.qty.plus(closing.times(-direction));
  if (!book.qty.eq(0)) return;
  events.tripClosed({ closedAt: fill.at, currency: book.terms.currency, realized: book.tripRealized, fees: book.tripFees });
  book.tripRealized = ZERO;
  book.tripFees = ZERO;
  const opening = amount.minus(closing);
  if (opening.gt(0)) {
    book.qty = opening.times(-direction);
    book.averageCost = price;
    book.tripFees = feeInTerms.times(opening.div(amount));
  }
}

/** The average entry after adding `amount` at `price`: by value on linear and spot, harmonic on inverse (contracts are USD). */
function addedAverage(book: Book, amount: Decimal, price: Decimal): Decimal {
  const held = book.qty.abs();
  if (held.eq(0)) return price;
  if (book.terms.kind === 'inverse') return held.plus(amount).div(held.div(book.averageCost).plus(amount.div(price)));
  return book.averageCost.times(held).plus(price.times(amount)).div(held.plus(amount));
}

/** What closing `qty` of a long at `price` realizes (a short's is its negative). */
function realizedOn(book: Book, qty: Decimal, price: Decimal): Decimal {
  if (book.terms.kind === 'inverse') return qty.times(new Decimal(1).div(book.averageCost).minus(new Decimal(1).div(price)));
  return qty.times(price.minus(book.averageCost));
}
