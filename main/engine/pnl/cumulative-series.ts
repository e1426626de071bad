import { Decimal } from 'decimal.js';

/**
 * Running totals to 60 significant digits: a period's sum is the difference of two totals over the
 * journal's life, and the default 20 digits would round away what a small period made.
 */
export const ExactDecimal = Decimal.clone({ precision: 60 });

const ZERO = new ExactDecimal(0);

/**
 * One currency's realized amounts (or fees) in time order, each kept as the running total up to it:
 * the sum since a moment is the last total less the total before that moment, found by bisection,
 * so a period's figure costs the same after 100,000 fills as after 10.
 */
export class CumulativeSeries {
  readonly #times: string[] = [];
  readonly #totals: Decimal[] = [];

  get length(): number {
    return this.#times.length;
  }

  /** `at` (ISO) no earlier than the last one pushed. */
  push(at: string, amount: Decimal): void {
    this.#times.push(at);
    this.#totals.push((this.#totals.at(-1) ?? ZERO).plus(amount));
  }

  /** What was pushed at or after `from` (ISO); everything when null. */
  sumFrom(from: string | null): Decimal {
    const total = this.#totals.at(-1) ?? ZERO;
    if (from === null) return total;
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#times[middle] as string) < from) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? total : total.minus(this.#totals[low - 1] as Decimal);
  }

  /** Back to its first `length` entries. */
  truncate(length: number): void {
    this.#times.length = length;
    this.#totals.length = length;
  }
}
