import { useMemo, useState } from 'react';
import type { OrderResponse } from '../../../../shared/api-response.js';
import { messageOf } from '../../api/client.js';
import { listOrders, listStrategies, placeOrder } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import { checkManualOrder, EMPTY_MANUAL_ORDER, type ManualOrderCheck, type ManualOrderForm } from '../../state/manual-order.js';
import { NO_FILTER } from '../../state/order-filter.js';
import { previewOrder } from '../../state/order-preview.js';
import { ManualOrderFields } from './ManualOrderFields.js';
import { OrderPreviewPanel } from './OrderPreviewPanel.js';
import { PlacedOrderResult } from './PlacedOrderResult.js';

type Step = { kind: 'edit' } | { kind: 'preview'; check: Extract<ManualOrderCheck, { ok: true }> } | { kind: 'sending'; check: Extract<ManualOrderCheck, { ok: true }> };

/** A manual order: the API's fields, checked with the server's schema, previewed, then confirmed. */
export function ManualOrderPage() {
  const strategies = useApi(listStrategies, ['strategies']);
  const recent = useApi(() => listOrders(NO_FILTER, { limit: 50 }));
  const [form, setForm] = useState<ManualOrderForm>(EMPTY_MANUAL_ORDER);
  const [errors, setErrors] = useState<Partial<Record<keyof ManualOrderForm | 'form', string>>>({});
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [result, setResult] = useState<{ status: number; response: OrderResponse } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const list = strategies.data ?? [];
  const strategy = list.find((item) => item.name === form.strategy) ?? null;
  const symbols = useMemo(() => {
    const seen = new Set<string>(strategy?.symbols ?? []);
    for (const order of recent.data ?? []) seen.add(order.symbol);
    return [...seen];
  }, [strategy, recent.data]);

  const change = (changes: Partial<ManualOrderForm>) => {
    setForm((current) => {
      const next = { ...current, ...changes };
      const chosen = list.find((item) => item.name === next.strategy);
      // A strategy limited to some exchanges: keep the exchange one of them.
      if (chosen && chosen.exchanges.length > 0 && !chosen.exchanges.some((name) => name === next.exchange)) next.exchange = chosen.exchanges[0] as string;
      return next;
    });
    setStep({ kind: 'edit' });
    setErrors({});
  };

  const review = () => {
    const check = checkManualOrder(form);
    setResult(null);
    setFailure(null);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    setStep({ kind: 'preview', check });
  };

  const confirm = () => {
    if (step.kind !== 'preview') return;
    setStep({ kind: 'sending', check: step.check });
    placeOrder(step.check.body).then(
      (answer) => {
        setResult(answer);
        setStep({ kind: 'edit' });
        recent.reload();
      },
      (error: unknown) => {
        setFailure(messageOf(error));
        setStep({ kind: 'edit' });
      },
    );
  };

  const preview = step.kind === 'edit' ? null : previewOrder(step.check.fields, strategy);
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
          <ManualOrderFields form={form} errors={errors} strategies={list} symbols={symbols} onChange={change} />
          {errors.form ? <Notice tone="error">{errors.form}</Notice> : null}
          <div className="actions">
            <button type="submit" className="btn btn-primary" data-testid="manual-preview">
              Preview
            </button>
          </div>
        </form>
        <div className="manual-side">
          {preview && step.kind !== 'edit' ? (
            <div className="panel">
              <OrderPreviewPanel preview={preview} body={step.check.body} />
              <div className="actions">
                <button
                  type="button"
                  className={`btn ${preview.mode === 'live' ? 'btn-danger' : 'btn-primary'}`}
                  data-testid="manual-confirm"
                  disabled={step.kind === 'sending'}
                  onClick={confirm}
                >
                  {step.kind === 'sending' ? 'Sending…' : preview.mode === 'live' ? 'Confirm: send LIVE order' : 'Confirm: send dry-run order'}
                </button>
                <button type="button" className="btn btn-quiet" onClick={() => setStep({ kind: 'edit' })}>
                  Back to edit
                </button>
              </div>
            </div>
          ) : (
            <p className="muted pad">Fill in the order and press Preview: you will see what it does before anything is sent.</p>
          )}
          {failure ? <Notice tone="error">{failure}</Notice> : null}
          {result ? <PlacedOrderResult status={result.status} response={result.response} /> : null}
        </div>
      </div>
    </div>
  );
}
