import { lazy, Suspense, useEffect, useState } from 'react';
import type { OrderView } from '../../../../shared/order-view.js';
import { ApiFailure, messageOf } from '../../api/client.js';
import { cancelOrder, getOrder } from '../../api/endpoints.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Notice } from '../../components/Notice.js';
import { Side } from '../../components/Side.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useTimeZone } from '../../components/time-zone.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import { canCancel, describeError, localZoneName, sideLabel } from '../../state/order-format.js';
import { orderShaping } from '../../state/order-shaping-view.js';
import { isAtLeastAsNew } from '../../state/orders-reducer.js';
import { OrderLegs } from './OrderLegs.js';

// The chart library is loaded with the first chart, not with the app.
const OrderPriceChart = lazy(() => import('./OrderPriceChart.js').then((module) => ({ default: module.OrderPriceChart })));

/** One order in full: the request as received (no secrets), the plan, each exchange order, the error. */
export function OrderDetail({ id, listed, onClose }: { id: number; listed: OrderView | undefined; onClose(): void }) {
  const [fetched, setFetched] = useState<OrderView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFetched(null);
    setError(null);
    if (listed) return;
    getOrder(id).then(setFetched, (failure: unknown) => setError(messageOf(failure)));
    // Only when the order is not in the list: the list keeps itself current.
  }, [id, listed === undefined]);

  useEngineEvents((event) => {
    if (event.type === 'order' && event.order.id === id) setFetched((current) => (!current || isAtLeastAsNew(event.order, current) ? event.order : current));
  });

  const order = listed && (!fetched || isAtLeastAsNew(listed, fetched)) ? listed : fetched;
  return (
    <aside className="detail" data-testid="order-detail" aria-label={`Order ${id}`}>
      <header className="detail-header">
        <h2>
          Order <span className="num">#{id}</span>
        </h2>
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close the detail">
          ✕
        </button>
      </header>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {order ? <OrderBody order={order} /> : !error ? <p className="muted">Loading…</p> : null}
    </aside>
  );
}

function OrderBody({ order }: { order: OrderView }) {
  const problem = describeError(order.error);
  const shaping = orderShaping(order);
  const zone = useTimeZone();
  return (
    <div className="detail-body">
      <div className="detail-summary">
        <ModeBadge dryRun={order.dryRun} /> <Side side={order.side} /> <span className="num">{order.qty ?? ''}</span> <strong>{order.symbol}</strong>{' '}
        <span className="muted">{order.orderType}</span>
        {order.price ? <span className="num"> @ {order.price}</span> : null} <StatusBadge status={order.status} testId="detail-status" />
      </div>
      {problem ? (
        <Notice tone="error" testId="detail-error">
          <strong>{problem.headline}</strong> {problem.message} <span className="muted">({problem.code})</span>
        </Notice>
      ) : null}
      <section>
        <h3>Plan</h3>
        <p data-testid="detail-plan">{order.plan ?? <span className="muted">not planned yet</span>}</p>
        {shaping.sizing || shaping.protection ? (
          <dl className="kv kv-compact" data-testid="detail-shaping">
            {shaping.sizing ? (
              <>
                <dt>Size</dt>
                <dd data-testid="detail-sizing">{shaping.sizing}</dd>
              </>
            ) : null}
            {shaping.protection ? (
              <>
                <dt>Protection</dt>
                <dd data-testid="detail-protection">{shaping.protection}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </section>
      <section>
        <h3>Price chart</h3>
        <Suspense fallback={<p className="muted chart-loading">Loading the chart…</p>}>
          <OrderPriceChart order={order} />
        </Suspense>
      </section>
      <section>
        <h3>Exchange orders</h3>
        <OrderLegs legs={order.legs} receivedAt={order.receivedAt} />
        {canCancel(order) ? <CancelButton id={order.id} /> : null}
      </section>
      <section>
        <h3>Order</h3>
        <dl className="kv">
          <dt>Received</dt>
          <dd>
            <Time iso={order.receivedAt} full /> <span className="muted">{localZoneName(zone)}</span>
          </dd>
          <dt>Updated</dt>
          <dd>
            <Time iso={order.updatedAt} full />
          </dd>
          <dt>Source</dt>
          <dd>
            {order.source}
            {order.apiKeyLabel ? <span className="muted"> · key “{order.apiKeyLabel}”</span> : null}
          </dd>
          <dt>Side</dt>
          <dd data-testid="detail-side">
            {sideLabel(order.side)}
            {sideLabel(order.side) !== order.side ? <span className="muted"> · sent as “{order.side}”</span> : null}
          </dd>
          <dt>Strategy</dt>
          <dd>{order.strategy}</dd>
          <dt>Exchange</dt>
          <dd>{order.exchange}</dd>
          <dt>Memo</dt>
          <dd>{order.memo ?? <span className="muted">—</span>}</dd>
        </dl>
      </section>
      <section>
        <h3>Request as received</h3>
        <p className="muted small">The API key is masked and the signature removed; secrets are never kept.</p>
        <pre className="json" data-testid="detail-request">
          {JSON.stringify(order.request, null, 2)}
        </pre>
      </section>
    </div>
  );
}

function CancelButton({ id }: { id: number }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null; tone: 'error' | 'success' | 'warning' }>({ busy: false, message: null, tone: 'success' });
  const cancel = () => {
    setState({ busy: true, message: null, tone: 'success' });
    cancelOrder(id).then(
      () => setState({ busy: false, message: 'Cancel sent; the status updates when the exchange confirms.', tone: 'success' }),
      (failure: unknown) =>
        setState({
          busy: false,
          message: failure instanceof ApiFailure && failure.notAvailable ? 'Cancelling orders is not available in this version of apisify.' : messageOf(failure),
          tone: failure instanceof ApiFailure && failure.notAvailable ? 'warning' : 'error',
        }),
    );
  };
  return (
    <div className="cancel">
      <button type="button" className="btn btn-danger" data-testid="cancel-order" disabled={state.busy} onClick={cancel}>
        Cancel order
      </button>
      {state.message ? <Notice tone={state.tone}>{state.message}</Notice> : null}
    </div>
  );
}
