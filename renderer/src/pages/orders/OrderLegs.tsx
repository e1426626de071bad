import type { ExchangeOrderView } from '../../../../shared/order-view.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { formatDuration, formatPrice } from '../../state/order-format.js';

/** Each exchange order of a request (its protective orders marked, with their triggers): ids, fills and how long the exchange took. */
export function OrderLegs({ legs, receivedAt }: { legs: readonly ExchangeOrderView[]; receivedAt: string }) {
  if (legs.length === 0) return <p className="muted">No exchange order was sent.</p>;
  return (
    <div className="legs" data-testid="order-legs">
      {legs.map((leg) => (
        <Leg key={leg.leg} leg={leg} receivedAt={receivedAt} />
      ))}
    </div>
  );
}

function Leg({ leg, receivedAt }: { leg: ExchangeOrderView; receivedAt: string }) {
  const queued = formatDuration(receivedAt, leg.sentAt);
  const answered = formatDuration(leg.sentAt, leg.answeredAt);
  return (
    <div className="leg">
      <div className="leg-head">
        <span className="muted num">#{leg.leg}</span>
        <span className={`side side-${leg.side}`}>{leg.side}</span>
        <span className="num">{leg.amount}</span>
        <span className="muted">{leg.type}</span>
        {leg.price ? <span className="num">@ {leg.price}</span> : null}
        {leg.reduceOnly ? <span className="tag">reduce-only</span> : null}
        {leg.role !== 'entry' ? (
          <span className="tag" data-testid={`leg-role-${leg.leg}`}>
            {leg.role === 'stop_loss' ? 'stop-loss' : 'take-profit'}
            {leg.triggerPrice ? ` at ${leg.triggerPrice}` : ''}
          </span>
        ) : null}
        <span className="leg-status">
          <StatusBadge status={leg.status} />
        </span>
      </div>
      <dl className="kv kv-compact">
        <dt>Filled</dt>
        <dd className="num">
          {leg.filled} / {leg.amount}
          {leg.averagePrice ? <span className="muted"> avg </span> : null}
          {formatPrice(leg.averagePrice)}
        </dd>
        <dt>Client id</dt>
        <dd className="num selectable">{leg.clientOrderId}</dd>
        <dt>Exchange id</dt>
        <dd className="num selectable">{leg.exchangeOrderId ?? '—'}</dd>
        <dt>Sent</dt>
        <dd>
          <Time iso={leg.sentAt} full />
          {queued ? <span className="muted"> +{queued} after receipt</span> : null}
        </dd>
        <dt>Answered</dt>
        <dd>
          <Time iso={leg.answeredAt} full />
          {answered ? <span className="muted"> in {answered}</span> : null}
        </dd>
      </dl>
      {leg.error ? <div className="text-bad leg-error">{leg.error}</div> : null}
    </div>
  );
}
