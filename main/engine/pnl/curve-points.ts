import type { Decimal } from 'decimal.js';
import type { CurvePoint } from '../../../shared/pnl-api.js';
import { ExactDecimal } from './cumulative-series.js';
import { pnlText } from './pnl-text.js';

/** A curve as it was at a moment, to go back to. */
export interface CurveSnapshot {
  total: Decimal;
  length: number;
}

/**
 * One currency's cumulative net PnL, a point after each amount realized or paid; a chart takes one
 * value per time, so amounts in the same second end as the last of them. Points are never changed
 * once handed out (a second's later amount replaces its point), so an answer can keep a copy.
 */
export class CurvePoints {
  #total: Decimal = new ExactDecimal(0);
  readonly #points: CurvePoint[] = [];

  /** `at` (ISO) no earlier than the last one added. */
  add(at: string, amount: Decimal): void {
    this.#total = this.#total.plus(amount);
    const time = Math.floor(Date.parse(at) / 1000);
    const point = { time, value: pnlText(this.#total) };
    if (this.#points.at(-1)?.time === time) this.#points[this.#points.length - 1] = point;
    else this.#points.push(point);
  }

  points(): CurvePoint[] {
    return this.#points.slice();
  }

  snapshot(): CurveSnapshot {
    return { total: this.#total, length: this.#points.length };
  }

  /** Back to a snapshot taken of this curve; its last point as it was then. */
  restore(snapshot: CurveSnapshot): void {
    this.#total = snapshot.total;
    this.#points.length = snapshot.length;
    const last = this.#points.at(-1);
    if (last) this.#points[this.#points.length - 1] = { time: last.time, value: pnlText(snapshot.total) };
  }
}
