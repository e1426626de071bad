import type { EquityPoint } from '../../state/strategy-pnl.js';
import { countOf } from '../../state/plural.js';

/**
 * THE PLACE FOR THE EQUITY CURVE. The charts work builds `EquityChart` in
 * renderer/src/components/charts/ (a line of `{ time, value }` points with a zero line); once it is
 * merged, this renders `<EquityChart points={curve.points} />` for each currency instead of the words
 * below. The points are ready: the strategy's cumulative net PnL (GET /api/pnl/curve), seconds since
 * the epoch, ascending.
 */
export function EquityCurveSlot({ curves }: { curves: { currency: string; points: EquityPoint[] }[] }) {
  return (
    <div className="equity-slot" data-testid="strategy-equity-slot" data-points={curves.reduce((sum, curve) => sum + curve.points.length, 0)}>
      {curves.length === 0 ? (
        <span className="muted small">The equity curve starts with the first fill that realizes or pays something.</span>
      ) : (
        curves.map((curve) => (
          <span key={curve.currency} className="muted small">
            Equity curve ({curve.currency}): {countOf(curve.points.length, 'point', 'points')}, now {curve.points.at(-1)?.value ?? 0}
          </span>
        ))
      )}
    </div>
  );
}
