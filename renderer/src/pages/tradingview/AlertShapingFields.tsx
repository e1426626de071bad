import type { QtyUnit } from '../../../../shared/order-shaping-fields.js';
import { Field } from '../../components/Field.js';
import { type AlertProtection, type AlertSizing, FIXED_SIDES, type FixedSide, PLACEHOLDERS, protectionAllowed, reduceOnlyAllowed } from '../../state/alert-message.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { QTY_UNIT_CHOICES } from '../../state/qty-units.js';

/** The alert's shaping choices, as the TradingView page keeps them. */
export interface AlertShaping {
  sizing: AlertSizing['kind'];
  side: FixedSide;
  qty: string;
  unit: QtyUnit;
  stopLoss: AlertProtection;
  takeProfit: AlertProtection;
  leverage: string;
  maxLag: string;
  reduceOnly: boolean;
}

export const DEFAULT_ALERT_SHAPING: AlertShaping = {
  sizing: 'orders',
  side: 'Buy',
  qty: '',
  unit: 'base',
  stopLoss: { kind: 'none' },
  takeProfit: { kind: 'none' },
  leverage: '',
  maxLag: '',
  reduceOnly: false,
};

export function sizingOf(shaping: AlertShaping): AlertSizing {
  return shaping.sizing === 'fixed' ? { kind: 'fixed', side: shaping.side, qty: shaping.qty, unit: shaping.unit } : { kind: shaping.sizing };
}

function ProtectionChoice({ name, label, value, allowed, onChange }: { name: string; label: string; value: AlertProtection; allowed: boolean; onChange(value: AlertProtection): void }) {
  const text = value.kind === 'percent' ? value.value : value.kind === 'plot' ? value.plot : '';
  const hint = !allowed
    ? "Only on an alert with a fixed entry side: a strategy's alerts also fire for exits, which a stop would make refused. Set the strategy's own % instead"
    : value.kind === 'plot'
      ? 'A plot of the script: its number from 0 ({{plot_0}}) or its title ({{plot("Stop")}})'
      : value.kind === 'percent'
        ? 'Percent from the price'
        : undefined;
  return (
    <Field label={label} hint={hint}>
      <span className="input-with-unit">
        <select
          name={`${name}-kind`}
          value={allowed ? value.kind : 'none'}
          disabled={!allowed}
          aria-label={`${label} from`}
          onChange={(event) => {
            const kind = event.target.value;
            onChange(kind === 'percent' ? { kind, value: text || '2' } : kind === 'plot' ? { kind, plot: text || '0' } : { kind: 'none' });
          }}
        >
          <option value="none">none</option>
          <option value="percent">% from price</option>
          <option value="plot">price from a plot</option>
        </select>
        {allowed && value.kind !== 'none' ? (
          <input
            name={name}
            value={text}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange(value.kind === 'percent' ? { kind: 'percent', value: event.target.value } : { kind: 'plot', plot: event.target.value })}
          />
        ) : null}
      </span>
    </Field>
  );
}

/** What the alert sizes by, and the shaping fields it carries (README "TradingView templates"). */
export function AlertShapingFields({ shaping, strategy, onChange }: { shaping: AlertShaping; strategy: StrategyOverview; onChange(changes: Partial<AlertShaping>): void }) {
  const sizing = sizingOf(shaping);
  const spot = strategy.marketType === 'spot';
  const protects = protectionAllowed(sizing, shaping.reduceOnly, strategy.marketType);
  return (
    <>
      <Field label="The alert follows" wide hint={SIZING_HINTS[shaping.sizing]}>
        <select name="tv-sizing" value={shaping.sizing} onChange={(event) => onChange({ sizing: event.target.value as AlertShaping['sizing'] })}>
          <option value="orders">the strategy's orders ({PLACEHOLDERS.action}, {PLACEHOLDERS.contracts})</option>
          <option value="position" disabled={spot}>
            the strategy's position ({PLACEHOLDERS.positionSize}){spot ? ': not on spot' : ''}
          </option>
          <option value="fixed">one signal: a side and size of its own (an indicator's alert)</option>
        </select>
      </Field>
      {shaping.sizing === 'fixed' ? (
        <>
          <Field label="Side">
            <select name="tv-side" value={shaping.side} onChange={(event) => onChange({ side: event.target.value as FixedSide })}>
              {FIXED_SIDES.filter((side) => !spot || (side !== 'Sarbuy' && side !== 'Sarsell')).map((side) => (
                <option key={side} value={side}>
                  {side}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Qty" hint={shaping.side === 'Close' && shaping.unit !== 'position_percent' ? 'Not sent: Close closes the whole position' : 'A number; the same on every alert'}>
            <input name="tv-qty" className="num" inputMode="decimal" value={shaping.qty} onChange={(event) => onChange({ qty: event.target.value })} autoComplete="off" />
          </Field>
          <Field label="Qty unit">
            <select name="tv-qty-unit" value={shaping.unit} onChange={(event) => onChange({ unit: event.target.value as QtyUnit })}>
              {QTY_UNIT_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : null}
      <ProtectionChoice name="tv-stop-loss" label="Stop-loss" value={shaping.stopLoss} allowed={protects} onChange={(stopLoss) => onChange({ stopLoss })} />
      <ProtectionChoice name="tv-take-profit" label="Take-profit" value={shaping.takeProfit} allowed={protects} onChange={(takeProfit) => onChange({ takeProfit })} />
      {!spot ? (
        <Field label="Leverage" hint={strategy.maxLeverage === null ? `${strategy.name} takes none from an alert (max request leverage empty)` : `Up to ${strategy.maxLeverage}x; empty: not sent`}>
          <input name="tv-leverage" className="num" inputMode="decimal" value={shaping.leverage} onChange={(event) => onChange({ leverage: event.target.value })} autoComplete="off" />
        </Field>
      ) : null}
      <Field label="Drop alerts older than (s)" hint={`Sends max_lag, and signal_time ${PLACEHOLDERS.timenow}; empty: ${strategy.maxLag === null ? 'no limit' : `the strategy's ${strategy.maxLag} s`}`}>
        <input name="tv-max-lag" className="num" inputMode="numeric" value={shaping.maxLag} onChange={(event) => onChange({ maxLag: event.target.value })} autoComplete="off" />
      </Field>
      {reduceOnlyAllowed(sizing, strategy.marketType) ? (
        <label className="check">
          <input type="checkbox" name="tv-reduce-only" checked={shaping.reduceOnly} onChange={(event) => onChange({ reduceOnly: event.target.checked })} /> Reduce-only: the {shaping.side} may only shrink the position (an exit alert)
        </label>
      ) : null}
    </>
  );
}

const SIZING_HINTS: Record<AlertShaping['sizing'], string> = {
  orders: "Side and size from the Pine strategy's order: one alert for all its orders",
  position: "Reaches the Pine strategy's position after each order: exits and reversals included, and a missed alert is made up by the next",
  fixed: 'One alert per signal (an entry, an exit), each with its own side; sizes in any unit, with a stop and target of its own',
};
