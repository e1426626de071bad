import { formatSigned } from '../../../../shared/decimal.js';
import type { StrategyPnl } from '../../../../shared/pnl-api.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { formatPrice } from '../../state/order-format.js';
import { Time } from '../../components/Time.js';
import type { DryRunPosition, StrategyOverview } from '../../state/api-types.js';
import { accountsSummary } from '../../state/strategy-accounts.js';
import { pnlCell } from '../../state/strategy-pnl.js';
import { shapingSummary } from '../../state/strategy-shaping.js';

function Positions({ positions, dryRun }: { positions: readonly DryRunPosition[]; dryRun: boolean }) {
  const open = positions.filter((position) => position.qty !== 0);
  if (!dryRun) return <span className="muted" title="Live positions are on the exchange">on exchange</span>;
  if (open.length === 0) return <span className="muted">flat</span>;
  return (
    <ul className="positions">
      {open.map((position) => (
        <li key={`${position.exchange}|${position.symbol}`}>
          <span className={position.qty > 0 ? 'side-buy' : 'side-sell'}>{formatSigned(position.qty)}</span> {position.symbol}
          {position.entryPrice !== null ? <span className="muted"> @ {formatPrice(position.entryPrice)}</span> : null} <span className="muted">{position.exchange}</span>
        </li>
      ))}
    </ul>
  );
}

/** The shaping settings that differ from sending orders as asked, on one line (all of them on hover). */
function Shaping({ strategy }: { strategy: StrategyOverview }) {
  const parts = shapingSummary(strategy);
  return (
    <td className="ellipsis shaping-cell" title={parts.join('\n')} data-testid={`strategy-shaping-${strategy.name}`}>
      {parts.length > 0 ? parts.join(' · ') : <span className="muted">as sent</span>}
    </td>
  );
}

/** Where it may trade, and on which accounts where it names any (the first of each exchange its default). */
function Exchanges({ strategy }: { strategy: StrategyOverview }) {
  const accounts = accountsSummary(strategy.accounts);
  return (
    <td data-testid={`strategy-exchanges-${strategy.name}`} title={accounts.length > 0 ? `Accounts, the default first:\n${accounts.join('\n')}` : undefined}>
      {strategy.exchanges.length ? strategy.exchanges.join(', ') : <span className="muted">any</span>}
      {accounts.length > 0 ? (
        <div className="small muted accounts-cell" data-testid={`strategy-accounts-cell-${strategy.name}`}>
          {accounts.join(' · ')}
        </div>
      ) : null}
    </td>
  );
}

/** Realized PnL net of fees, today and all, per currency (the detail has the rest). */
function Pnl({ pnl, name }: { pnl: StrategyPnl | undefined; name: string }) {
  const lines = pnlCell(pnl);
  return (
    <td className="right num pnl-cell" data-testid={`strategy-pnl-${name}`} title="Realized by average cost over the strategy's own fills, less fees: since it began, and today">
      {lines.length === 0 ? <span className="muted">—</span> : null}
      {lines.map((line) => (
        <div key={line.currency} className="pnl-line">
          <span className={`pnl-${line.tone}`}>{line.all}</span> <span className="muted small">{line.currency}</span>
          <div className="small muted">today {line.today}</div>
        </div>
      ))}
    </td>
  );
}

interface TableProps {
  strategies: readonly StrategyOverview[];
  /** GET /api/pnl's figures by strategy name; absent while they load. */
  pnl: ReadonlyMap<string, StrategyPnl>;
  /** The strategy whose detail is open. */
  open: string | null;
  onOpen(strategy: StrategyOverview): void;
  busy: string | null;
  onEdit(strategy: StrategyOverview): void;
  onToggle(strategy: StrategyOverview): void;
  onRemove(strategy: StrategyOverview): void;
}

/** Every strategy with its limits and today's activity; enable/disable, edit and remove from here (the actions stay in reach on narrow windows). */
export function StrategiesTable({ strategies, pnl, open, onOpen, busy, onEdit, onToggle, onRemove }: TableProps) {
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="strategies-table">
        <thead>
          <tr>
            <th>Mode</th>
            <th>Name</th>
            <th>State</th>
            <th className="right">PnL (net)</th>
            <th className="col-p2">Market</th>
            <th>Exchanges</th>
            <th>Symbols</th>
            <th className="right">Max qty</th>
            <th>Shaping</th>
            <th className="right">Today</th>
            <th className="col-p3">Last signal</th>
            <th>Dry-run position</th>
            <th className="col-actions" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {strategies.map((strategy) => (
            <tr
              key={strategy.id}
              data-testid={`strategy-row-${strategy.name}`}
              className={`${strategy.mode === 'live' ? 'row-live' : 'row-dry'}${strategy.enabled ? '' : ' row-disabled'}${open === strategy.name ? ' row-selected' : ''}`}
            >
              <td>
                <ModeBadge dryRun={strategy.mode === 'dry-run'} />
              </td>
              <td className="strong">
                <button type="button" className="link-button" onClick={() => onOpen(strategy)} data-testid={`strategy-open-${strategy.name}`} title="Its PnL: today, 7 and 30 days, all, trades, win rate and what is open">
                  {strategy.name}
                </button>
              </td>
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
              <Pnl pnl={pnl.get(strategy.name)} name={strategy.name} />
              <td className="col-p2">{strategy.marketType}</td>
              <Exchanges strategy={strategy} />
              <td className="ellipsis" title={strategy.symbols.join(', ')}>
                {strategy.symbols.length ? strategy.symbols.join(', ') : <span className="muted">any</span>}
              </td>
              <td className="right num">{strategy.maxQty ?? <span className="muted">—</span>}</td>
              <Shaping strategy={strategy} />
              <td className="right num">{strategy.ordersToday}</td>
              <td className="col-p3">
                <Time iso={strategy.lastSignalAt} />
              </td>
              <td>
                <Positions positions={strategy.positions} dryRun={strategy.mode === 'dry-run'} />
              </td>
              <td className="right col-actions">
                <span className="row-actions">
                  <button type="button" className="btn btn-small" onClick={() => onEdit(strategy)} data-testid={`strategy-edit-${strategy.name}`}>
                    Edit
                  </button>
                  <button type="button" className="btn btn-small btn-quiet" disabled={busy === strategy.name} onClick={() => onRemove(strategy)} data-testid={`strategy-remove-${strategy.name}`}>
                    Remove
                  </button>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
