import { EXCHANGE_NAMES } from '../../../../shared/exchange-names.js';
import type { QtyUnit } from '../../../../shared/order-shaping-fields.js';
import type { MarketEntry } from '../../../../shared/manual-order-api.js';
import { Field } from '../../components/Field.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { fieldNeeds, MANUAL_SIDES, type ManualOrderErrors, type ManualOrderForm, unitOf } from '../../state/manual-order.js';
import { QTY_UNIT_CHOICES, QTY_UNIT_LABELS } from '../../state/qty-units.js';
import { ShapingFields } from './ShapingFields.js';
import { SymbolField } from './SymbolField.js';

/** The order API's fields, as a form. */
export function ManualOrderFields({
  form,
  errors,
  strategies,
  suggestions,
  onChange,
}: {
  form: ManualOrderForm;
  errors: ManualOrderErrors;
  strategies: readonly StrategyOverview[];
  suggestions: { entries: readonly MarketEntry[]; source: string; sourceDetail?: string | undefined; sizeRules: string | null };
  onChange(changes: Partial<ManualOrderForm>): void;
}) {
  const strategy = strategies.find((item) => item.name === form.strategy);
  const exchanges = strategy && strategy.exchanges.length > 0 ? strategy.exchanges : EXCHANGE_NAMES;
  const needs = fieldNeeds(form, { dryRun: strategy?.mode === 'dry-run', qtyUnit: strategy?.qtyUnit ?? null, marketType: strategy?.marketType ?? null });
  const unit = unitOf(form, strategy?.qtyUnit ?? null);
  return (
    <div className="form-grid">
      <Field label="Strategy" error={errors.strategy} hint={strategy ? <ModeBadge dryRun={strategy.mode === 'dry-run'} /> : 'Pick the strategy this order trades'}>
        <select name="strategy" value={form.strategy} onChange={(event) => onChange({ strategy: event.target.value })}>
          <option value="">—</option>
          {strategies.map((item) => (
            <option key={item.id} value={item.name}>
              {item.name} ({item.mode}
              {item.enabled ? '' : ', disabled'})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Exchange" error={errors.exchange}>
        <select name="exchange" value={form.exchange} onChange={(event) => onChange({ exchange: event.target.value })}>
          {exchanges.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <SymbolField value={form.symbol} error={errors.symbol} entries={suggestions.entries} source={suggestions.source} sourceDetail={suggestions.sourceDetail} onChange={(symbol) => onChange({ symbol })} />
      <Field label="Order type" error={errors.order_type} group>
        <div className="segmented">
          {['Market', 'Limit'].map((type) => (
            <label key={type} className={form.order_type === type ? 'on' : undefined} data-testid={`type-${type}`}>
              <input type="radio" name="order_type" value={type} checked={form.order_type === type} onChange={() => onChange({ order_type: type })} />
              {type}
            </label>
          ))}
        </div>
      </Field>
      <Field label="Side" error={errors.side} wide group>
        <div className="segmented sides">
          {MANUAL_SIDES.map((side) => (
            <label key={side} className={`${form.side === side ? 'on' : ''} side-${side.toLowerCase()}`} data-testid={`side-${side}`}>
              <input type="radio" name="side" value={side} checked={form.side === side} onChange={() => onChange({ side })} />
              {side}
            </label>
          ))}
        </div>
      </Field>
      <Field label="Qty" error={errors.qty} hint={qtyHint(form, needs.qty, unit, suggestions.sizeRules)}>
        <input name="qty" className="num" inputMode="decimal" value={form.qty} disabled={!needs.qty} onChange={(event) => onChange({ qty: event.target.value })} autoComplete="off" />
      </Field>
      <Field label="Qty unit" error={errors.qty_unit} hint={form.qty_unit === '' ? `The strategy's: ${QTY_UNIT_LABELS[unit]}` : undefined}>
        <select name="qty_unit" value={form.qty_unit} onChange={(event) => onChange({ qty_unit: event.target.value as ManualOrderForm['qty_unit'] })}>
          <option value="">strategy default{strategy ? ` (${strategy.qtyUnit})` : ''}</option>
          {QTY_UNIT_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={needs.price === 'required' ? 'Price (required for Limit)' : 'Price'}
        error={errors.price}
        hint={needs.price === 'recommended' ? 'Dry-run: the simulated fill price' : needs.price === 'optional' ? 'Not used for a live Market order' : undefined}
      >
        <input name="price" className="num" inputMode="decimal" value={form.price} onChange={(event) => onChange({ price: event.target.value })} autoComplete="off" />
      </Field>
      <ShapingFields form={form} errors={errors} strategy={strategy} needs={needs} onChange={onChange} />
      <Field label="Memo" error={errors.memo} hint="Optional; shown in the journal" wide>
        <input name="memo" value={form.memo} onChange={(event) => onChange({ memo: event.target.value })} autoComplete="off" />
      </Field>
    </div>
  );
}

/** What the qty means in its unit, or why it is not needed. */
function qtyHint(form: ManualOrderForm, taken: boolean, unit: QtyUnit, sizeRules: string | null): string {
  if (!taken) return 'Not needed: Close closes the whole position (or close a share: qty unit position_percent)';
  if (form.target_position.trim() !== '') return 'Optional with a target position: journaled, not used';
  switch (unit) {
    case 'quote':
      return 'The value to trade in the quote currency (USDT; USD on inverse), at the price';
    case 'equity_percent':
      return "Percent of the account's equity in the settle currency: 10 is 10 %";
    case 'available_percent':
      return 'Percent of the free balance: 10 is 10 %';
    case 'risk_percent':
      return 'Percent of equity the stop-loss may lose: needs a stop-loss';
    case 'position_percent':
      return 'Percent of the open position to close: 50 closes half';
    default:
      return sizeRules ?? 'Contracts or coins, as the exchange counts them';
  }
}
