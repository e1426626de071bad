import { formatSigned } from '../../../../shared/decimal.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Time } from '../../components/Time.js';
import type { DryRunPosition, StrategyOverview } from '../../state/api-types.js';

function Positions({ positions, dryRun }: { positions: readonly DryRunPosition[]; dryRun: boolean }) {
  const open = positions.filter((position) => position.qty !== 0);
  if (!dryRun) return <span className="muted" title="Live positions are on the exchange">on exchange</span>;
  if (open.length === 0) return <span className="muted">flat</span>;
  return (
    <ul className="positions">
      {open.map((position) => (
        <li key={`${position.exchange}|${position.symbol}`}>
          <span className={position.qty > 0 ? 'side-buy' : 'side-sell'}>{formatSigned(position.qty)}</span> {position.symbol}
          {position.entryPrice !== null ? <span className="muted"> @ {position.entryPrice}</span> : null} <span className="muted">{position.exchange}</span>
        </li>
      ))}
    </ul>
  );
}

/** Every strategy with its limits and today's activity; enable/disable and edit from here. */
export function StrategiesTable({ strategies, busy, onEdit, onToggle }: { strategies: readonly StrategyOverview[]; busy: string | null; onEdit(strategy: StrategyOverview): void; onToggle(strategy: StrategyOverview): void }) {
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="strategies-table">
        <thead>
          <tr>
            <th>Mode</th>
            <th>Name</th>
            <th>State</th>
            <th>Market</th>
            <th>Exchanges</th>
            <th>Symbols</th>
            <th className="right">Max qty</th>
            <th className="right">Today</th>
            <th>Last signal</th>
            <th>Dry-run position</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {strategies.map((strategy) => (
            <tr key={strategy.id} data-testid={`strategy-row-${strategy.name}`} className={`${strategy.mode === 'live' ? 'row-live' : 'row-dry'}${strategy.enabled ? '' : ' row-disabled'}`}>
              <td>
                <ModeBadge dryRun={strategy.mode === 'dry-run'} />
              </td>
              <td className="strong">{strategy.name}</td>
              <td>
                <button
                  type="button"
                  role="switch"
                  aria-checked={strategy.enabled}
                  aria-label={`${strategy.name} enabled`}
                  className={`switch switch-small ${strategy.enabled ? 'switch-on' : 'switch-off'}`}
                  disabled={busy === strategy.name}
                  data-testid={`strategy-toggle-${strategy.name}`}
                  onClick={() => onToggle(strategy)}
                >
                  <span className="switch-knob" />
                  <span className="switch-text">{strategy.enabled ? 'enabled' : 'disabled'}</span>
                </button>
              </td>
              <td>{strategy.marketType}</td>
              <td>{strategy.exchanges.length ? strategy.exchanges.join(', ') : <span className="muted">any</span>}</td>
              <td className="ellipsis" title={strategy.symbols.join(', ')}>
                {strategy.symbols.length ? strategy.symbols.join(', ') : <span className="muted">any</span>}
              </td>
              <td className="right num">{strategy.maxQty ?? <span className="muted">—</span>}</td>
              <td className="right num">{strategy.ordersToday}</td>
              <td>
                <Time iso={strategy.lastSignalAt} />
              </td>
              <td>
                <Positions positions={strategy.positions} dryRun={strategy.mode === 'dry-run'} />
              </td>
              <td className="right">
                <button type="button" className="btn btn-small" onClick={() => onEdit(strategy)}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
