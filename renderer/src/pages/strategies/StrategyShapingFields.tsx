import { Field } from '../../components/Field.js';
import { QTY_UNIT_CHOICES } from '../../state/qty-units.js';
import type { StrategyForm } from '../../state/strategy-form.js';

type TextField = 'maxNotional' | 'leverage' | 'maxLeverage' | 'stopLossPercent' | 'takeProfitPercent' | 'maxLag' | 'dryRunBalance';

/**
 * How the strategy shapes its orders (README "Shaping an order"): the defaults a request that says
 * nothing gets, and the caps on what one may ask. Each setting under the name the CLI and the API use.
 */
export function StrategyShapingFields({ form, errorFor, onChange }: { form: StrategyForm; errorFor(field: string): string | undefined; onChange(changes: Partial<StrategyForm>): void }) {
  const spot = form.marketType === 'spot';
  const onSpot = (hint: string) => (spot ? 'Not used on spot, which has no leverage or held stops' : hint);
  const number = (field: TextField, label: string, hint: string) => (
    <Field label={label} error={errorFor(field)} hint={hint}>
      <input name={field} inputMode="decimal" className="num" value={form[field]} onChange={(event) => onChange({ [field]: event.target.value })} autoComplete="off" />
    </Field>
  );
  return (
    <>
      <div className="form-section" data-testid="strategy-shaping">
        <h3>Sizing, leverage and protection</h3>
        <span className="muted small">What an order gets when it does not say, and the most it may ask for</span>
      </div>
      <Field label="Qty unit" error={errorFor('qtyUnit')} hint="How a request's qty counts when it sends no qty_unit">
        <select name="qtyUnit" value={form.qtyUnit} onChange={(event) => onChange({ qtyUnit: event.target.value as StrategyForm['qtyUnit'] })}>
          {QTY_UNIT_CHOICES.filter((unit) => unit.value !== 'position_percent').map((unit) => (
            <option key={unit.value} value={unit.value}>
              {unit.label}
            </option>
          ))}
        </select>
      </Field>
      {number('maxNotional', 'Max value per order', 'In the quote currency (USDT; USD on inverse), after sizing; above it refused, never made smaller. Empty: no limit')}
      {number('leverage', 'Leverage', onSpot("Set before an order that opens or grows a position; empty: the account's own"))}
      {number('maxLeverage', 'Max request leverage', onSpot("The most a request's leverage field may ask; empty: none"))}
      <Field label="Margin mode" error={errorFor('marginMode')} hint={onSpot("Checked before entries; Bybit's unified account holds one mode for the whole account and is never changed")}>
        <select name="marginMode" value={form.marginMode} onChange={(event) => onChange({ marginMode: event.target.value as StrategyForm['marginMode'] })}>
          <option value="">leave the account as it is</option>
          <option value="cross">cross</option>
          <option value="isolated">isolated</option>
        </select>
      </Field>
      {number('stopLossPercent', 'Stop-loss %', onSpot('From the reference price, on orders that open or grow a position and give none; empty: none'))}
      {number('takeProfitPercent', 'Take-profit %', onSpot('As the stop-loss; empty: none'))}
      <Field label="If protection fails" error={errorFor('onProtectionFailure')} hint="When a stop or target cannot be placed after the entry filled">
        <select name="onProtectionFailure" value={form.onProtectionFailure} onChange={(event) => onChange({ onProtectionFailure: event.target.value === 'close' ? 'close' : 'keep' })}>
          <option value="keep">keep the position, and say so</option>
          <option value="close">close the position at once</option>
        </select>
      </Field>
      {number('maxLag', 'Max signal lag (s)', 'A signal_time older than this when its order is sent is skipped (stale_signal); empty: no limit')}
      {number('dryRunBalance', 'Dry-run balance', 'The simulated account in the settle currency (USDT), which percent sizing reads in dry-run mode')}
    </>
  );
}
