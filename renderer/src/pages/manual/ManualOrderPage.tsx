import { useMemo, useReducer, useRef, useState } from 'react';
import type { OrderResponse } from '../../../../shared/api-response.js';
import { ApiFailure, messageOf } from '../../api/client.js';
import { listOrders, listStrategies, previewOrder } from '../../api/endpoints.js';
import { confirmPreviewed } from './confirm-order.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import { useApi } from '../../engine/use-api.js';
import { canConfirm, EDITING, fieldErrorOf, manualOrderFlow } from '../../state/manual-order-flow.js';
import { checkManualOrder, EMPTY_MANUAL_ORDER, type ManualOrderErrors, type ManualOrderForm } from '../../state/manual-order.js';
import { NO_FILTER } from '../../state/order-filter.js';
import { describePreview } from '../../state/order-preview.js';
import { describeSource, localSuggestions, marketOf, sizeRules, sourceDetail } from '../../state/symbol-suggestions.js';
import { ManualOrderFields } from './ManualOrderFields.js';
import { OrderPreviewPanel } from './OrderPreviewPanel.js';
import { PlacedOrderResult } from './PlacedOrderResult.js';
import { useMarkets } from './use-markets.js';

/**
 * A manual order: the API's fields, checked with the server's schema, previewed by the engine itself
 * (its plan from the current position, the legs as they would be sent), then confirmed.
 */
export function ManualOrderPage() {
  const strategies = useApi(listStrategies, ['strategies']);
  const recent = useApi(() => listOrders(NO_FILTER, { limit: 50 }));
  const [form, setForm] = useState<ManualOrderForm>(EMPTY_MANUAL_ORDER);
  const [errors, setErrors] = useState<ManualOrderErrors>({});
  const [flow, dispatch] = useReducer(manualOrderFlow, EDITING);
  // A preview is of the strategies and accounts as they were: a change to them drops it, as an edit does.
  useEngineEvents((event) => {
    if (event.type === 'config' && (event.what === 'strategies' || event.what === 'exchanges')) dispatch({ type: 'edited' });
  });
  const tickets = useRef(0);
  const [result, setResult] = useState<{ status: number; response: OrderResponse } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const list = strategies.data ?? [];
  const strategy = list.find((item) => item.name === form.strategy) ?? null;
  const markets = useMarkets(strategy ? form.strategy : '', form.exchange);
  const suggestions = useMemo(() => {
    const entries = markets.answer?.markets ?? localSuggestions(strategy?.symbols ?? [], (recent.data ?? []).map((order) => order.symbol), strategy?.marketType ?? 'swap');
    const source = !strategy ? 'Pick a strategy to see its markets' : markets.loading ? `Reading ${form.exchange}'s markets…` : describeSource(markets.answer, markets.failure);
    return { entries, source, sourceDetail: sourceDetail(markets.answer), sizeRules: sizeRules(marketOf(entries, form.symbol)) };
  }, [markets, strategy, recent.data, form.exchange, form.symbol]);

  const change = (changes: Partial<ManualOrderForm>) => {
    setForm((current) => {
      const next = { ...current, ...changes };
      const chosen = list.find((item) => item.name === next.strategy);
      // A strategy limited to some exchanges: keep the exchange one of them.
      if (chosen && chosen.exchanges.length > 0 && !chosen.exchanges.some((name) => name === next.exchange)) next.exchange = chosen.exchanges[0] as string;
      return next;
    });
    dispatch({ type: 'edited' });
    setErrors({});
  };

  const review = () => {
    const check = checkManualOrder(form, strategy?.qtyUnit ?? null);
    setResult(null);
    setFailure(null);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    const ticket = ++tickets.current;
    dispatch({ type: 'preview-requested', ticket, body: check.body });
    previewOrder(check.body).then(
      ({ status, json }) => dispatch({ type: 'preview-answered', ticket, status, json }),
      (error: unknown) => dispatch({ type: 'preview-failed', ticket, error: { code: error instanceof ApiFailure ? error.code : 'error', message: messageOf(error) } }),
    );
  };

  const confirm = () =>
    confirmPreviewed(flow, dispatch, {
      answered: (answer) => {
        setResult(answer);
        recent.reload();
      },
      failed: setFailure,
    });

  const preview = flow.kind === 'previewed' || flow.kind === 'sending' ? flow.preview : null;
  const view = preview ? describePreview(preview, form.price.trim() === '' ? null : form.price.trim()) : null;
  const live = view ? view.mode === 'live' : strategy?.mode === 'live';
  return (
    <div className="page">
      <PageHeader title="Manual order">
        <span className="muted small">Goes through the engine's one order pipeline, like POST /v1/order</span>
      </PageHeader>
      <div className="manual-layout">
        <form
          className="panel"
          data-testid="manual-form"
          onSubmit={(event) => {
            event.preventDefault();
            review();
          }}
        >
          <ManualOrderFields form={form} errors={{ ...fieldErrorOf(flow, form), ...errors }} strategies={list} suggestions={suggestions} onChange={change} />
          {errors.form ? <Notice tone="error">{errors.form}</Notice> : null}
          <div className="actions">
            <button type="submit" className="btn btn-primary" data-testid="manual-preview" disabled={flow.kind === 'previewing' || flow.kind === 'sending'}>
              {flow.kind === 'previewing' ? 'Asking the engine…' : 'Preview'}
            </button>
          </div>
        </form>
        <div className="manual-side">
          {flow.kind === 'editing' ? (
            <p className="muted pad">Fill in the order and press Preview: the engine shows what it would send, from the current position, before anything is sent.</p>
          ) : (
            <div className="panel">
              {view && flow.kind !== 'refused' ? <OrderPreviewPanel view={view} body={flow.body} /> : null}
              {flow.kind === 'previewing' ? <p className="muted" data-testid="preview-waiting">Asking the engine what this order would do…</p> : null}
              {flow.kind === 'refused' ? (
                <Notice tone="error" testId="preview-refused">
                  <strong>The engine would refuse this order.</strong> {flow.error.message} <span className="muted">({flow.error.code}{flow.status ? `, HTTP ${flow.status}` : ''})</span>
                </Notice>
              ) : null}
              <div className="actions">
                <button type="button" className={`btn ${live ? 'btn-danger' : 'btn-primary'}`} data-testid="manual-confirm" disabled={!canConfirm(flow)} onClick={confirm}>
                  {flow.kind === 'sending' ? 'Sending…' : live ? 'Confirm: send LIVE order' : 'Confirm: send dry-run order'}
                </button>
                <button type="button" className="btn btn-quiet" onClick={() => dispatch({ type: 'edited' })} disabled={flow.kind === 'sending'}>
                  Back to edit
                </button>
              </div>
            </div>
          )}
          {failure ? <Notice tone="error">{failure}</Notice> : null}
          {result ? <PlacedOrderResult status={result.status} response={result.response} /> : null}
        </div>
      </div>
    </div>
  );
}
