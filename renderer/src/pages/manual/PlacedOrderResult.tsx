import type { OrderResponse } from '../../../../shared/api-response.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Notice } from '../../components/Notice.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useNavigate } from '../../components/navigation.js';
import { describeError } from '../../state/order-format.js';

/** The engine's answer to the manual order, as the API gave it. */
export function PlacedOrderResult({ status, response }: { status: number; response: OrderResponse }) {
  const navigate = useNavigate();
  const order = response.order;
  const problem = response.ok ? describeError(order?.error ?? null) : describeError(response.error);
  return (
    <div className="panel result" data-testid="order-result">
      <h2>
        {response.ok ? (status === 202 ? 'Accepted, still working' : 'Order placed') : 'Order not placed'} <span className="muted small num">HTTP {status}</span>
      </h2>
      {order ? (
        <p>
          <ModeBadge dryRun={order.dry_run} /> <span className="num" data-testid="result-id" data-order-id={order.id}>#{order.id}</span> {order.side} {order.qty ?? ''} {order.symbol} on {order.exchange}:{' '}
          <StatusBadge status={order.status} testId="result-status" />
          {order.plan ? <span className="muted"> — {order.plan}</span> : null}{' '}
          <button type="button" className="btn btn-small btn-quiet" onClick={() => navigate('orders', `?order=${order.id}`)}>
            Show in Live orders
          </button>
        </p>
      ) : null}
      {problem ? (
        <Notice tone="error" testId="result-error">
          <strong>{problem.headline}</strong> {problem.message} <span className="muted">({problem.code})</span>
        </Notice>
      ) : null}
      {response.ok && response.duplicate ? <Notice tone="warning">A duplicate of an order placed moments ago; nothing was sent again.</Notice> : null}
    </div>
  );
}
