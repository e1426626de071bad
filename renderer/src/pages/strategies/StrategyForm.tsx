import { useState } from 'react';
import { EXCHANGE_NAMES, type ExchangeName } from '../../../../shared/exchange-names.js';
import { messageOf } from '../../api/client.js';
import { createStrategy, updateStrategy } from '../../api/endpoints.js';
import { Field } from '../../components/Field.js';
import { Notice } from '../../components/Notice.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { EMPTY_STRATEGY_FORM, type StrategyForm as Form, STRATEGY_FORM_FIELDS, strategyChanges, strategyInput, strategyToForm } from '../../state/strategy-form.js';
import { StrategyAccountsFields } from './StrategyAccountsFields.js';
import { StrategyShapingFields } from './StrategyShapingFields.js';

/** Create a strategy, or edit one (`editing`). Going live asks once more: real orders follow. */
export function StrategyForm({ editing, onDone }: { editing: StrategyOverview | null; onDone(saved: StrategyOverview | null): void }) {
  const [form, setForm] = useState<Form>(editing ? strategyToForm(editing) : EMPTY_STRATEGY_FORM);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (changes: Partial<Form>) => setForm((current) => ({ ...current, ...changes }));
  const goingLive = form.mode === 'live' && editing?.mode !== 'live';

  const toggleExchange = (name: ExchangeName, on: boolean) =>
    set({ exchanges: on ? EXCHANGE_NAMES.filter((item) => item === name || form.exchanges.includes(item)) : form.exchanges.filter((item) => item !== name) });

  const submit = () => {
    let send: () => Promise<StrategyOverview>;
    if (editing) {
      const changes = strategyChanges(editing, form);
      if (!changes.ok) return setProblem(changes);
      send = () => updateStrategy(editing.name, changes.value);
    } else {
      const input = strategyInput(form);
      if (!input.ok) return setProblem(input);
      send = () => createStrategy(input.value);
    }
    if (goingLive && !window.confirm(`Strategy ${form.name} will send REAL orders to the exchange. Continue?`)) return;
    setBusy(true);
    setProblem(null);
    send().then(
      (saved) => {
        setBusy(false);
        onDone(saved);
      },
      (failure: unknown) => {
        setBusy(false);
        setProblem({ field: null, message: messageOf(failure) });
      },
    );
  };

  // a problem inside a field (accounts.bybit) is shown on that field
  const errorFor = (field: string) => (problem?.field?.split('.')[0] === field ? problem.message : undefined);
  return (
    <form
      className="panel form-grid"
      data-testid="strategy-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2 className="form-title">{editing ? `Edit ${editing.name}` : 'New strategy'}</h2>
      <Field label="Name" error={errorFor('name')} hint="Letters, digits, _ . -; orders name it in their strategy field">
        <input name="name" value={form.name} onChange={(event) => set({ name: event.target.value })} autoComplete="off" />
      </Field>
      <Field label="Mode" group hint={form.mode === 'live' ? 'Real orders on the exchange' : 'Simulated fills; nothing reaches the exchange'}>
        <div className={`segmented mode-choice mode-choice-${form.mode}`}>
          <label className={form.mode === 'dry-run' ? 'on' : undefined}>
            <input type="radio" name="mode" value="dry-run" checked={form.mode === 'dry-run'} onChange={() => set({ mode: 'dry-run' })} />
            DRY-RUN
          </label>
          <label className={form.mode === 'live' ? 'on live' : undefined}>
            <input type="radio" name="mode" value="live" checked={form.mode === 'live'} onChange={() => set({ mode: 'live' })} />
            LIVE
          </label>
        </div>
      </Field>
      <Field label="Market type" hint="Settles symbols that exist in both (e.g. BTCUSDT)">
        <select name="marketType" value={form.marketType} onChange={(event) => set({ marketType: event.target.value === 'spot' ? 'spot' : 'swap' })}>
          <option value="swap">swap (perpetual)</option>
          <option value="spot">spot</option>
        </select>
      </Field>
      <Field label="Max qty per order" error={errorFor('maxQty')} hint="Empty: no limit">
        <input name="maxQty" inputMode="decimal" className="num" value={form.maxQty} onChange={(event) => set({ maxQty: event.target.value })} />
      </Field>
      <Field label="Exchanges" error={errorFor('exchanges')} hint="None ticked: any exchange" wide group>
        <div className="checks">
          {EXCHANGE_NAMES.map((name) => (
            <label key={name} className="check">
              <input type="checkbox" checked={form.exchanges.includes(name)} onChange={(event) => toggleExchange(name, event.target.checked)} /> {name}
            </label>
          ))}
        </div>
      </Field>
      <StrategyAccountsFields form={form} error={errorFor('accounts')} onChange={set} />
      <Field label="Symbols" error={errorFor('symbols')} hint="Comma separated, e.g. BTCUSDT, ETHUSDT; empty: any symbol" wide>
        <input name="symbols" value={form.symbols} onChange={(event) => set({ symbols: event.target.value })} autoComplete="off" />
      </Field>
      <label className="check">
        <input type="checkbox" name="enabled" checked={form.enabled} onChange={(event) => set({ enabled: event.target.checked })} /> Enabled (accepts orders)
      </label>
      <StrategyShapingFields form={form} errorFor={errorFor} onChange={set} />
      {goingLive ? <Notice tone="warning">LIVE: orders for this strategy go to the exchange with real money.</Notice> : null}
      {problem && !STRATEGY_FORM_FIELDS.includes(problem.field?.split('.')[0] ?? '') ? <Notice tone="error">{problem.message}</Notice> : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="strategy-save">
          {editing ? 'Save changes' : 'Create strategy'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
