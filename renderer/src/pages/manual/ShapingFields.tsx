import { useState } from 'react';
import { formatAmount } from '../../../../shared/decimal.js';
import { Field } from '../../components/Field.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { ADVANCED_FIELDS, type FieldNeeds, type ManualOrderErrors, type ManualOrderForm, type ProtectionInput } from '../../state/manual-order.js';

interface ShapingProps {
  form: ManualOrderForm;
  errors: ManualOrderErrors;
  strategy: StrategyOverview | undefined;
  needs: FieldNeeds;
  onChange(changes: Partial<ManualOrderForm>): void;
}

/** What the strategy does when the field is left empty, for a hint. */
function strategyDefault(value: number | null, unit: string, none: string): string {
  return value === null ? none : `the strategy's ${formatAmount(value)}${unit}`;
}

function leverageHint(strategy: StrategyOverview | undefined, needs: FieldNeeds): string {
  if (!needs.derivatives) return 'Spot has no leverage';
  if (!strategy) return 'Set on the account before an order that opens or grows a position';
  const empty = `empty: ${strategyDefault(strategy.leverage, 'x', "the account's own")}`;
  if (strategy.maxLeverage === null) return `${strategy.name} takes no leverage from an order (its max request leverage is empty); ${empty}`;
  return `Up to ${formatAmount(strategy.maxLeverage)}x, set before an order that opens or grows a position; ${empty}`;
}

/** A stop-loss or take-profit: a price, or a percent from the reference price. */
function ProtectionField({ field, label, form, errors, strategyPercent, needs, onChange }: { field: 'stop_loss' | 'take_profit'; label: string; form: ManualOrderForm; errors: ManualOrderErrors; strategyPercent: number | null; needs: FieldNeeds; onChange(changes: Partial<ManualOrderForm>): void }) {
  const input = `${field}_input` as const;
  const where = field === 'stop_loss' ? "a long's below the price, a short's above" : "a long's above the price, a short's below";
  const hint = needs.derivatives ? `${where}; empty: ${strategyDefault(strategyPercent, ' %', 'none')}` : 'Spot: the exchange holds no stop-loss or take-profit';
  return (
    <Field label={label} error={errors[field]} hint={hint}>
      <span className="input-with-unit">
        <input name={field} className="num" inputMode="decimal" value={form[field]} onChange={(event) => onChange({ [field]: event.target.value })} autoComplete="off" />
        <select name={input} value={form[input]} onChange={(event) => onChange({ [input]: event.target.value as ProtectionInput })} aria-label={`${label} as`}>
          <option value="price">price</option>
          <option value="percent">% from price</option>
        </select>
      </span>
    </Field>
  );
}

/**
 * The order-shaping fields beyond the spec (README "Shaping an order"): leverage and protection in
 * view, the rarer ones (target position, reduce-only, a signal's age) under a disclosure that opens
 * by itself when one of them is refused.
 */
export function ShapingFields({ form, errors, strategy, needs, onChange }: ShapingProps) {
  const [opened, setOpened] = useState(false);
  const open = opened || ADVANCED_FIELDS.some((field) => errors[field] !== undefined);
  return (
    <>
      <Field label="Leverage" error={errors.leverage} hint={leverageHint(strategy, needs)}>
        <input name="leverage" className="num" inputMode="decimal" value={form.leverage} onChange={(event) => onChange({ leverage: event.target.value })} autoComplete="off" />
      </Field>
      <ProtectionField field="stop_loss" label="Stop-loss" form={form} errors={errors} strategyPercent={strategy?.stopLossPercent ?? null} needs={needs} onChange={onChange} />
      <ProtectionField field="take_profit" label="Take-profit" form={form} errors={errors} strategyPercent={strategy?.takeProfitPercent ?? null} needs={needs} onChange={onChange} />
      <details className="field-wide advanced" open={open} onToggle={(event) => setOpened(event.currentTarget.open)} data-testid="manual-advanced">
        <summary>Advanced: target position, reduce-only, late signals</summary>
        <div className="form-grid">
          <Field label="Target position" error={errors.target_position} hint="Signed, in the qty unit: +0.5 long, -0.5 short, 0 flat. One order of the difference; qty is then optional">
            <input name="target_position" className="num" inputMode="decimal" value={form.target_position} onChange={(event) => onChange({ target_position: event.target.value })} autoComplete="off" />
          </Field>
          <Field label="Signal time" error={errors.signal_time} hint="ISO 8601 or Unix ms: when the signal was made">
            <span className="input-with-unit">
              <input name="signal_time" value={form.signal_time} onChange={(event) => onChange({ signal_time: event.target.value })} autoComplete="off" spellCheck={false} placeholder="2026-12-01T09:56:00Z" />
              <button type="button" className="btn btn-small" onClick={() => onChange({ signal_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') })}>
                Now
              </button>
            </span>
          </Field>
          <Field label="Max lag (s)" error={errors.max_lag} hint={`Older when sent: skipped, not sent (stale_signal); empty: ${strategyDefault(strategy?.maxLag ?? null, ' s', 'no limit')}`}>
            <input name="max_lag" className="num" inputMode="numeric" value={form.max_lag} onChange={(event) => onChange({ max_lag: event.target.value })} autoComplete="off" />
          </Field>
          <div className="field">
            <label className="check">
              <input type="checkbox" name="reduce_only" checked={form.reduce_only} onChange={(event) => onChange({ reduce_only: event.target.checked })} /> Reduce-only
            </label>
            {errors.reduce_only ? <span className="field-error">{errors.reduce_only}</span> : <span className="field-hint">A Buy or Sell that may only shrink the position</span>}
          </div>
        </div>
      </details>
    </>
  );
}
