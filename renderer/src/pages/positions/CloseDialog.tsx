import { useEffect, useReducer, useRef, useState } from 'react';
import type { OrderResponse } from '../../../../shared/api-response.js';
import type { PositionView } from '../../../../shared/positions-api.js';
import { ApiFailure, messageOf } from '../../api/client.js';
import { listMarkets, previewOrder } from '../../api/endpoints.js';
import { confirmPreviewed } from '../manual/confirm-order.js';
import { Dialog } from '../../components/Dialog.js';
import { Notice } from '../../components/Notice.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { canConfirm, EDITING, manualOrderFlow } from '../../state/manual-order-flow.js';
import { describePreview } from '../../state/order-preview.js';
import { closeOrderBody, closeStrategyChoice, closeSymbol, needsMarkets } from '../../state/position-close.js';
import { groupTitle } from '../../state/positions-state.js';
import { OrderPreviewPanel } from '../manual/OrderPreviewPanel.js';
import { PlacedOrderResult } from '../manual/PlacedOrderResult.js';

/**
 * A position's Close: the manual form's order (side Close, Market) for its symbol and account, under
 * the strategy that built it (or one the user picks), previewed by the engine, then confirmed.
 */
export function CloseDialog({ position, strategies, onDone }: { position: PositionView; strategies: StrategyOverview[]; onDone(): void }) {
  const choice = closeStrategyChoice(position, strategies);
  const [picked, setPicked] = useState(choice.kind === 'fixed' ? choice.strategy : choice.kind === 'pick' ? choice.suggested : '');
  const [flow, dispatch] = useReducer(manualOrderFlow, EDITING);
  const tickets = useRef(0);
  const [result, setResult] = useState<{ status: number; response: OrderResponse } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const preview = async (name: string) => {
    const ticket = ++tickets.current;
    const strategy = strategies.find((item) => item.name === name);
    const markets = needsMarkets(position, strategy) ? await listMarkets(name, position.exchange).then((answer) => answer.markets, () => null) : null;
    if (ticket !== tickets.current) return;
    const body = closeOrderBody(position, name, closeSymbol(position, strategy, markets));
    dispatch({ type: 'preview-requested', ticket, body });
    previewOrder(body).then(
      ({ status, json }) => dispatch({ type: 'preview-answered', ticket, status, json }),
      (error: unknown) => dispatch({ type: 'preview-failed', ticket, error: { code: error instanceof ApiFailure ? error.code : 'error', message: messageOf(error) } }),
    );
  };

  useEffect(() => {
    if (picked !== '') void preview(picked);
  }, [picked]);
  // a preview is of the strategies and accounts as they were: a change to them asks again
  useEngineEvents((event) => {
    if (event.type === 'config' && (event.what === 'strategies' || event.what === 'exchanges') && picked !== '' && flow.kind !== 'sending' && !result) void preview(picked);
  });

  const confirm = () => confirmPreviewed(flow, dispatch, { answered: setResult, failed: setFailure });

  const shown = flow.kind === 'previewed' || flow.kind === 'sending' ? flow.preview : null;
  const view = shown ? describePreview(shown, position.dryRun ? position.markPrice : null) : null;
  const title = `Close ${position.symbol} ${position.side} ${position.size} on ${position.dryRun ? `dry run ${groupTitle(position)}` : groupTitle(position)}`;
  return (
    <Dialog title={title} tone={position.dryRun ? 'dry' : 'live'} busy={flow.kind === 'sending'} testId="close-dialog" onClose={onDone}>
      {choice.kind === 'none' ? (
        <Notice tone="warning" testId="close-no-strategy">
          {choice.why}
        </Notice>
      ) : (
        <p className="muted small" data-testid="close-strategy-why">
          Journaled under{' '}
          {choice.kind === 'pick' && !result ? (
            <select name="strategy" value={picked} onChange={(event) => setPicked(event.target.value)} disabled={flow.kind === 'sending'} data-testid="close-strategy">
              {choice.options.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          ) : (
            <strong data-testid="close-strategy-name">{picked}</strong>
          )}
          : {choice.why}
        </p>
      )}
      {result ? (
        <PlacedOrderResult status={result.status} response={result.response} />
      ) : (
        <>
          {view && flow.kind !== 'refused' ? <OrderPreviewPanel view={view} body={flow.kind === 'previewed' || flow.kind === 'sending' ? flow.body : {}} /> : null}
          {flow.kind === 'previewing' ? <p className="muted">Asking the engine what this Close would send…</p> : null}
          {flow.kind === 'refused' ? (
            <Notice tone="error" testId="close-refused">
              <strong>The engine would refuse this Close.</strong> {flow.error.message} <span className="muted">({flow.error.code}{flow.status ? `, HTTP ${flow.status}` : ''})</span>
            </Notice>
          ) : null}
        </>
      )}
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      <div className="actions">
        {result ? (
          <button type="button" className="btn btn-primary" data-testid="close-done" onClick={onDone}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className={`btn ${position.dryRun ? 'btn-primary' : 'btn-danger'}`} data-testid="close-confirm" disabled={!canConfirm(flow)} onClick={confirm}>
              {flow.kind === 'sending' ? 'Sending…' : position.dryRun ? 'Confirm: close the dry-run position' : 'Confirm: send the LIVE Close'}
            </button>
            <button type="button" className="btn btn-quiet" onClick={onDone} disabled={flow.kind === 'sending'}>
              Cancel
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
