import { useEffect, useMemo, useState } from 'react';
import { TIMEFRAME_SECONDS } from '../../../../shared/candles-api.js';
import type { OrderView } from '../../../../shared/order-view.js';
import { messageOf } from '../../api/client.js';
import { getCandles } from '../../api/endpoints.js';
import { ChartMarksTable } from '../../components/charts/ChartMarksTable.js';
import { PriceChart } from '../../components/charts/PriceChart.js';
import { Notice } from '../../components/Notice.js';
import { type CandleLoad, chartViewOf } from '../../state/candle-view.js';
import { chartRequestFor } from '../../state/chart-window.js';
import { orderMarks } from '../../state/order-chart-marks.js';

/**
 * The order's price chart: its market's public candles around its time, with its fills, stop,
 * target and resting price marked, and the same marks in words below. Without candles (the exchange
 * cannot be read, the request failed) it says so and shows the marks alone.
 */
export function OrderPriceChart({ order }: { order: OrderView }) {
  // Asked again when the order changes (a fill arrives), not on every render: the window moves with it.
  const request = useMemo(() => chartRequestFor(order, Date.now()), [order.id, order.status, order.updatedAt]);
  const marks = useMemo(() => orderMarks(order, request ? TIMEFRAME_SECONDS[request.timeframe] : 60), [order, request]);
  const [load, setLoad] = useState<CandleLoad>({ state: 'loading' });

  useEffect(() => {
    if (!request) return;
    let current = true;
    setLoad((previous) => (previous.state === 'answered' ? previous : { state: 'loading' }));
    getCandles(request).then(
      (answer) => current && setLoad({ state: 'answered', answer }),
      (failure: unknown) => current && setLoad({ state: 'failed', message: messageOf(failure) }),
    );
    return () => {
      current = false;
    };
  }, [request]);

  if (!request) return <ChartMarksTable marks={marks} />;
  const view = chartViewOf(load);
  const source = load.state === 'answered' ? load.answer.source : load.state;
  return (
    <div className="order-chart" data-testid="order-chart" data-source={source} data-offline={String(view.offline)}>
      <p className="muted small">
        {request.symbol} · {request.timeframe} candles from {order.exchange}
        {source === 'cache' ? ' (read a moment ago)' : ''}
      </p>
      {view.notice ? (
        <Notice tone={view.offline ? 'warning' : 'info'} testId="chart-notice">
          {view.notice}
        </Notice>
      ) : null}
      {view.showChart ? <PriceChart candles={view.candles} marks={marks} /> : load.state === 'loading' ? <p className="muted chart-loading">Loading candles…</p> : null}
      <ChartMarksTable marks={marks} />
    </div>
  );
}
