import { useEffect, useState } from 'react';
import type { FlattenAnswer } from '../../../../shared/flatten-api.js';
import type { OrderView } from '../../../../shared/order-view.js';
import type { PositionView } from '../../../../shared/positions-api.js';
import { messageOf } from '../../api/client.js';
import { flatten, listRestingOrders } from '../../api/endpoints.js';
import { Dialog } from '../../components/Dialog.js';
import { Notice } from '../../components/Notice.js';
import { useEngine } from '../../engine/EngineProvider.js';
import { describeFlatten, type FlattenScope } from '../../state/flatten-confirm.js';

/**
 * Flatten's confirm: what it closes (how many positions, where, real money or dry run) and cancels,
 * with the choice to pause trading first (the kill switch); confirmed, one POST /api/flatten.
 */
export function FlattenDialog({ scope, positions, liveAccounts, onDone }: { scope: FlattenScope; positions: PositionView[]; liveAccounts: number; onDone(answer: FlattenAnswer | null): void }) {
  const { status } = useEngine();
  const [openOrders, setOpenOrders] = useState<OrderView[] | null | 'reading'>('reading');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = describeFlatten(scope, positions, openOrders === 'reading' ? [] : openOrders, liveAccounts);
  const [pause, setPause] = useState(confirm.pauseFirst);
  const paused = status?.paused === true;

  useEffect(() => {
    let current = true;
    listRestingOrders().then(
      (orders) => current && setOpenOrders(orders),
      () => current && setOpenOrders(null),
    );
    return () => {
      current = false;
    };
  }, []);

  const send = () => {
    setSending(true);
    setFailure(null);
    flatten({ ...confirm.request, ...(pause && !paused ? { pause: true } : {}) }).then(
      (answer) => onDone(answer),
      (error: unknown) => {
        setSending(false);
        setFailure(messageOf(error));
      },
    );
  };

  return (
    <Dialog title={`${confirm.title}?`} tone={confirm.realMoney ? 'live' : 'dry'} busy={sending} testId="flatten-dialog" onClose={() => onDone(null)}>
      <p className={confirm.realMoney ? 'text-live strong' : 'strong'} data-testid="flatten-money">
        {confirm.money}
      </p>
      {confirm.closes.length > 0 ? (
        <>
          <p data-testid="flatten-count">Closes {confirm.closes.length === 1 ? 'this position' : `these ${confirm.closes.length} positions`} at market, each through the order pipeline (journaled, in its symbol's queue):</p>
          <ul className="flatten-list" data-testid="flatten-closes">
            {confirm.closes.map((line) => (
              <li key={line} className="num">
                {line}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p data-testid="flatten-count">No open position {scope.kind === 'all' ? 'anywhere' : 'there'} as this page shows it; the engine reads again and closes whatever it finds.</p>
      )}
      <p data-testid="flatten-cancels">{openOrders === 'reading' ? 'Counting the open orders it cancels…' : confirm.cancels}</p>
      <label className="check">
        <input type="checkbox" name="pause" checked={pause || paused} disabled={paused || sending} onChange={(event) => setPause(event.target.checked)} data-testid="flatten-pause" />
        {paused ? 'Trading is already paused: new orders are refused; flatten’s own orders still go out.' : 'Pause trading first: /v1/order refuses new orders (503) until you resume, so nothing reopens what this closes.'}
      </label>
      {failure ? (
        <Notice tone="error" testId="flatten-failed">
          {failure}
        </Notice>
      ) : null}
      <div className="actions">
        <button type="button" className={`btn ${confirm.realMoney ? 'btn-danger' : 'btn-primary'}`} data-testid="flatten-confirm" disabled={sending || openOrders === 'reading'} onClick={send}>
          {sending ? 'Flattening…' : confirm.confirmLabel}
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => onDone(null)} disabled={sending}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
