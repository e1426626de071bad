import {
  type AutoscaleInfo,
  CandlestickSeries,
  createSeriesMarkers,
  type IPriceLine,
  LineStyle,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { Candle } from '../../../../shared/candles-api.js';
import type { ChartLine, ChartMarker, ChartMarks } from '../../state/order-chart-marks.js';
import { type ChartColors, chartColors } from './chart-theme.js';
import { useChart } from './use-chart.js';

/**
 * Candles of a market with an order's marks: each fill an arrow at its average price (a buy below,
 * pointing up; a sell above, pointing down) and horizontal lines at its stop-loss, take-profit and
 * resting Limit price. The price scale widens to take in every mark. What the chart holds is also
 * on its box as `data-markers` and `data-price-lines` (read back from the library), for tests and
 * for assistive tools.
 */
export function PriceChart({ candles, marks }: { candles: readonly Candle[]; marks: ChartMarks }) {
  const box = useRef<HTMLDivElement | null>(null);
  // Prices the scale must show besides the candles: the marks'.
  const markPrices = useRef<number[]>([]);
  const made = useChart(box, (chart, colors) => {
    const series = chart.addSeries(CandlestickSeries, {
      upColor: colors.good,
      downColor: colors.bad,
      borderVisible: false,
      wickUpColor: colors.good,
      wickDownColor: colors.bad,
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => widened(original(), markPrices.current),
    });
    return { series, markers: createSeriesMarkers(series, []) };
  });
  // The lines drawn for the marks before these: replaced, not added to (the chart goes with them on unmount).
  const drawnLines = useRef<IPriceLine[]>([]);

  useEffect(() => {
    if (!made) return;
    made.parts.series.setData(candles.map((candle) => ({ time: candle.time as UTCTimestamp, open: candle.open, high: candle.high, low: candle.low, close: candle.close })));
    made.chart.timeScale().fitContent();
    if (box.current) box.current.dataset['candles'] = String(candles.length);
  }, [made, candles]);

  useEffect(() => {
    if (!made) return;
    const { series, markers } = made.parts;
    const colors = chartColors();
    markPrices.current = [...marks.markers.map((marker) => marker.price), ...marks.lines.map((line) => line.price)];
    markers.setMarkers(marks.markers.map((marker) => libraryMarker(marker, colors)));
    for (const line of drawnLines.current) series.removePriceLine(line);
    drawnLines.current = marks.lines.map((line) => series.createPriceLine(libraryLine(line, colors)));
    const element = box.current;
    if (element) {
      element.dataset['markers'] = JSON.stringify(markers.markers().map(({ time, price, position, shape, text }) => ({ time, price, position, shape, text })));
      element.dataset['priceLines'] = JSON.stringify(series.priceLines().map((line) => ({ price: line.options().price, title: line.options().title })));
    }
  }, [made, marks]);

  return <div ref={box} className="chart chart-price" data-testid="price-chart" role="img" aria-label={describe(marks)} />;
}

function libraryMarker(marker: ChartMarker, colors: ChartColors): SeriesMarker<Time> {
  const buy = marker.side === 'buy';
  return {
    time: marker.time as UTCTimestamp,
    price: marker.price,
    position: buy ? 'atPriceBottom' : 'atPriceTop',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: buy ? colors.good : colors.bad,
    text: `${marker.kind === 'entry' ? '' : 'exit '}${marker.side}`,
    id: `leg-${marker.leg}`,
  };
}

function libraryLine(line: ChartLine, colors: ChartColors) {
  const color = line.kind === 'stop_loss' ? colors.bad : line.kind === 'take_profit' ? colors.good : colors.accent;
  return { price: line.price, color, lineWidth: 1 as const, lineStyle: line.kind === 'limit' ? LineStyle.Dotted : LineStyle.Dashed, axisLabelVisible: true, title: line.label };
}

/** The candles' own range, widened to every mark's price (a stop far below the candles stays in view). */
function widened(info: AutoscaleInfo | null, prices: readonly number[]): AutoscaleInfo | null {
  if (prices.length === 0) return info;
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  if (!info?.priceRange) return { priceRange: { minValue: low, maxValue: high } };
  return { ...info, priceRange: { minValue: Math.min(info.priceRange.minValue, low), maxValue: Math.max(info.priceRange.maxValue, high) } };
}

function describe(marks: ChartMarks): string {
  const parts = [...marks.markers.map((marker) => marker.label), ...marks.lines.map((line) => line.label)];
  return parts.length > 0 ? `Price chart: ${parts.join('; ')}` : 'Price chart';
}
