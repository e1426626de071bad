import type { CurrencyCurve } from '../../state/strategy-pnl.js';
import { EquityChart } from './EquityChart.js';

/**
 * An equity curve per currency (a strategy's or an account's cumulative net PnL, GET /api/pnl/curve):
 * one chart each, with what the curve ends at in words above it. Loaded with the chart code, on first
 * open. `testId` names the box (`-none`, `-caption-USDT` and `-USDT` inside it).
 */
export function EquityCurves({ curves, testId, emptyText }: { curves: readonly CurrencyCurve[]; testId: string; emptyText: string }) {
  if (curves.length === 0) {
    return (
      <p className="muted small" data-testid={`${testId}-none`}>
        {emptyText}
      </p>
    );
  }
  return (
    <div className="equity-curves">
      {curves.map((curve) => (
        <figure key={curve.currency} className="equity-curve">
          <figcaption className="small muted" data-testid={`${testId}-caption-${curve.currency}`}>
            {curve.currency}, net of fees: now {curve.last}
          </figcaption>
          <EquityChart points={curve.points} testId={`${testId}-${curve.currency}`} />
        </figure>
      ))}
    </div>
  );
}
