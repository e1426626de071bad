import { type AutoscaleInfo, BaselineSeries, LineStyle, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useMemo, useRef } from 'react';
import { type EquityPoint, equitySeries } from '../../state/equity-series.js';
import { useChart } from './use-chart.js';

/**
 * A curve of `{ time, value }` points (a strategy's or an account's cumulative PnL): green above
 * zero, red below, with the zero line drawn. No points: a line of words, never an empty box. What
 * it holds is on its box as `data-points` and `data-price-lines` (the zero line's), for tests.
 */
export function EquityChart({ points, emptyText = 'Nothing to plot yet.', testId = 'equity-chart' }: { points: readonly EquityPoint[]; emptyText?: string; testId?: string }) {
  const curve = useMemo(() => equitySeries(points), [points]);
  if (curve.length === 0) {
    return (
      <p className="muted chart-empty" data-testid={`${testId}-empty`}>
        {emptyText}
      </p>
    );
  }
  return <EquityCurve curve={curve} testId={testId} />;
}

function EquityCurve({ curve, testId }: { curve: EquityPoint[]; testId: string }) {
  const box = useRef<HTMLDivElement | null>(null);
  const made = useChart(box, (chart, colors) => {
    const series = chart.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: colors.good,
      topFillColor1: 'rgba(46, 189, 133, 0.28)',
      topFillColor2: 'rgba(46, 189, 133, 0.04)',
      bottomLineColor: colors.bad,
      bottomFillColor1: 'rgba(246, 70, 93, 0.04)',
      bottomFillColor2: 'rgba(246, 70, 93, 0.28)',
      lineWidth: 2,
      // the zero line is in view even when the curve never crosses it
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (!info?.priceRange) return info;
        return { ...info, priceRange: { minValue: Math.min(0, info.priceRange.minValue), maxValue: Math.max(0, info.priceRange.maxValue) } };
      },
    });
    series.createPriceLine({ price: 0, color: colors.muted, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: '0' });
    return series;
  });

  useEffect(() => {
    if (!made) return;
    const series = made.parts;
    series.setData(curve.map((point) => ({ time: point.time as UTCTimestamp, value: point.value })));
    made.chart.timeScale().fitContent();
    const element = box.current;
    if (element) {
      element.dataset['points'] = JSON.stringify(series.data().map((point) => ({ time: point.time, value: 'value' in point ? point.value : null })));
      element.dataset['priceLines'] = JSON.stringify(series.priceLines().map((line) => line.options().price));
    }
  }, [made, curve]);

  return <div ref={box} className="chart chart-equity" data-testid={testId} role="img" aria-label={`Curve of ${curve.length} points, last ${curve[curve.length - 1]?.value ?? ''}`} />;
}
