import { EquityChart } from '../../components/charts/EquityChart.js';
import type { CurrencyCurve } from '../../state/strategy-pnl.js';

/**
 * A strategy's equity curve per currency (its cumulative net PnL, GET /api/pnl/curve): one chart
 * each, with what the curve ends at in words beside it. Loaded with the chart code, on first open.
 */
export function StrategyEquityCurve({ curves }: { curves: readonly CurrencyCurve[] }) {
  if (curves.length === 0) {
    return (
      <p className="muted small" data-testid="strategy-equity-none">
        The equity curve starts with the first fill that realizes or pays something.
      </p>
    );
  }
  return (
    <div className="strategy-equity">
      {curves.map((curve) => (
        <figure key={curve.currency} className="strategy-equity-curve">
          <figcaption className="small muted" data-testid={`strategy-equity-caption-${curve.currency}`}>
            {curve.currency}, net of fees: now {curve.last}
          </figcaption>
          <EquityChart points={curve.points} testId={`strategy-equity-${curve.currency}`} />
        </figure>
      ))}
    </div>
  );
}
