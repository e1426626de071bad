import type { OrderView } from '../../../../shared/order-view.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Side } from '../../components/Side.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { averagePrice, filledSummary, isFresh } from '../../state/order-format.js';

/** The orders, newest first; a click opens the detail. An order that has just arrived flashes once. */
export function OrdersTable({ orders, selected, onSelect }: { orders: readonly OrderView[]; selected: number | null; onSelect(id: number): void }) {
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table className="grid orders" data-testid="orders-table">
        <thead>
          <tr>
            <th>Time</th>
            <th className="right">#</th>
            <th>Strategy</th>
            <th className="col-p2">Exchange</th>
            <th>Symbol</th>
            <th>Side</th>
            <th className="col-p3">Type</th>
            <th className="right">Qty</th>
            <th className="right col-p2">Price</th>
            <th className="right">Filled</th>
            <th className="right">Avg</th>
            <th>Status</th>
            <th className="col-p3">Plan / error</th>
            <th className="col-p4">Source</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr
              key={order.id}
              data-order-id={order.id}
              data-testid={`order-row-${order.id}`}
              className={`${order.id === selected ? 'selected' : ''} ${isFresh(order, now) ? 'row-new' : ''} ${order.dryRun ? 'row-dry' : 'row-live'}`}
              onClick={() => onSelect(order.id)}
              tabIndex={0}
              onKeyDown={(event) => {
                if (event.key === 'Enter') onSelect(order.id);
              }}
            >
              <td>
                <Time iso={order.receivedAt} />
              </td>
              <td className="right num muted">{order.id}</td>
              <td className="nowrap">
                <ModeBadge dryRun={order.dryRun} /> {order.strategy}
              </td>
              <td className="col-p2">{order.exchange}</td>
              <td className="strong">{order.symbol}</td>
              <td>
                <Side side={order.side} />
              </td>
              <td className="col-p3">{order.orderType}</td>
              <td className="right num">{order.qty ?? '—'}</td>
              <td className="right num col-p2">{order.price ?? '—'}</td>
              <td className="right num">{filledSummary(order)}</td>
              <td className="right num">{averagePrice(order) ?? '—'}</td>
              <td>
                <StatusBadge status={order.status} testId={`order-status-${order.id}`} />
              </td>
              <td className={`col-p3 ellipsis ${order.error ? 'text-bad' : 'muted'}`} title={order.error?.message ?? order.plan ?? ''}>
                {order.error ? order.error.message : (order.plan ?? '')}
              </td>
              <td className="col-p4 muted">{order.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
