/**
 * An equity or PnL curve as the chart takes it: points in time order, one per second (the chart
 * needs strictly increasing times; of several in one second the last counts), finite values only.
 */

export interface EquityPoint {
  /** Unix seconds. */
  time: number;
  value: number;
}

export function equitySeries(points: readonly EquityPoint[]): EquityPoint[] {
  const bySecond = new Map<number, number>();
  const ordered = points.map((point, index) => ({ ...point, index })).sort((a, b) => a.time - b.time || a.index - b.index);
  for (const point of ordered) {
    if (!Number.isFinite(point.time) || !Number.isFinite(point.value)) continue;
    const second = Math.floor(point.time);
    bySecond.delete(second);
    bySecond.set(second, point.value);
  }
  return [...bySecond].map(([time, value]) => ({ time, value })).sort((a, b) => a.time - b.time);
}

/** The curve's last value and its extremes, for the words beside it; nulls for an empty curve. */
export function equitySummary(points: readonly EquityPoint[]): { last: number | null; low: number | null; high: number | null } {
  if (points.length === 0) return { last: null, low: null, high: null };
  const values = points.map((point) => point.value);
  return { last: values[values.length - 1] ?? null, low: Math.min(...values), high: Math.max(...values) };
}
