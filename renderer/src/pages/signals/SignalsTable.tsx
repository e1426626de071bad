import type { SignalView } from '../../../../shared/signal-view.js';
import { Side } from '../../components/Side.js';
import { Time } from '../../components/Time.js';
import { signalAnswer, signalSource, signalTone } from '../../state/signal-format.js';

/** The signal log, newest first: who sent what, how it was answered, and for a refusal why. */
export function SignalsTable({ signals, onOpenOrder }: { signals: readonly SignalView[]; onOpenOrder(id: number): void }) {
  return (
    <div className="table-wrap">
      <table className="grid signals" data-testid="signals-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Source</th>
            <th>Strategy</th>
            <th>Symbol</th>
            <th>Side</th>
            <th>Answer</th>
            <th>Reason / plan</th>
            <th className="col-p2">Field</th>
            <th className="right">Order</th>
          </tr>
        </thead>
        <tbody>
          {signals.map((signal) => (
            <tr key={signal.id} data-testid={`signal-row-${signal.id}`} data-outcome={signal.outcome} className={signal.outcome === 'refused' ? 'row-refused' : undefined}>
              <td>
                <Time iso={signal.at} />
              </td>
              <td className="ellipsis" title={[signal.apikeyMasked, signal.clientAddress].filter(Boolean).join(' · ')}>
                {signalSource(signal)}
              </td>
              <td className="ellipsis">{signal.strategy ?? '—'}</td>
              <td className="strong ellipsis">{signal.symbol ?? '—'}</td>
              <td>{signal.side ? <Side side={signal.side} /> : '—'}</td>
              <td className="nowrap">
                <span className={`status tone-${signalTone(signal)}`} data-testid={`signal-answer-${signal.id}`}>
                  {signalAnswer(signal)}
                </span>
              </td>
              <td className={`ellipsis ${signal.outcome === 'refused' ? 'text-bad' : 'muted'}`} title={signal.message ?? ''} data-testid={`signal-reason-${signal.id}`}>
                {signal.message ?? ''}
              </td>
              <td className="col-p2 muted">{signal.field ?? ''}</td>
              <td className="right num">
                {signal.orderId !== null ? (
                  <button type="button" className="btn btn-small btn-quiet" onClick={() => onOpenOrder(signal.orderId as number)} title="Open the order on Live orders">
                    #{signal.orderId}
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
