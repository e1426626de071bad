import type { PositionView } from '../../../../shared/positions-api.js';
import { positionRow } from '../../state/position-format.js';

/** Exchanges push a position when it changes (a fill, a stop set), not as the price moves. */
const FIGURES_AS_OF = "As the exchange last pushed or was read: it pushes a position when the position changes, not as the price moves";

const PNL_CLASS = { good: 'text-good', bad: 'text-bad', muted: 'muted' } as const;

/** An account's open positions, each with its protective orders, who built it, and its Close. */
export function PositionsTable({ positions, accountKey, onClose, onFlattenStrategy }: { positions: PositionView[]; accountKey: string; onClose(position: PositionView): void; onFlattenStrategy(strategy: string): void }) {
  return (
    <div className="table-wrap">
      <table className="grid positions-table" data-testid="positions-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Side</th>
            <th className="right">Size</th>
            <th className="right">Entry</th>
            <th className="right" title={FIGURES_AS_OF}>
              Mark
            </th>
            <th className="right" title={FIGURES_AS_OF}>
              Unrealized PnL
            </th>
            <th>Leverage</th>
            <th className="right">Liq. price</th>
            <th>Protection</th>
            <th>Built by</th>
            <th className="sticky-action">
              <span className="offscreen">Close</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {positions.map((position) => {
            const row = positionRow(position);
            return (
              <tr key={row.key} className={position.dryRun ? 'row-dry' : 'row-live'} data-testid="position-row" data-account={accountKey} data-symbol={position.symbol}>
                <td className="strong">{row.symbol}</td>
                <td>
                  <span className={`side side-${row.side === 'long' ? 'buy' : 'sell'}`}>{row.side}</span>
                </td>
                <td className="num right strong" data-testid="position-size">
                  {row.size}
                </td>
                <td className="num right">{row.entry}</td>
                <td className="num right">{row.mark}</td>
                <td className={`num right ${PNL_CLASS[row.pnl.tone]}`} data-testid="position-pnl">
                  {row.pnl.text}
                </td>
                <td className="nowrap">{row.leverage}</td>
                <td className="num right">{row.liquidation}</td>
                <td className="position-protection" data-testid="position-protection">
                  {row.protection.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    row.protection.map((order) => (
                      <span key={order.text} className="tag" title={order.title}>
                        {order.text}
                      </span>
                    ))
                  )}
                </td>
                <td className="position-strategies" data-testid="position-strategies">
                  {row.builtBy.map((part, index) => (
                    <span key={part.label} className="built-by">
                      {index > 0 ? ' · ' : null}
                      {part.strategy !== null && !position.dryRun ? (
                        <button type="button" className="link-button" data-testid="flatten-strategy" title={`Flatten strategy ${part.strategy}: its share of every position it built, and its resting orders`} onClick={() => onFlattenStrategy(part.strategy as string)}>
                          {part.label}
                        </button>
                      ) : (
                        part.label
                      )}
                    </span>
                  ))}
                </td>
                <td className="sticky-action">
                  <button type="button" className={`btn btn-small ${position.dryRun ? '' : 'btn-danger'}`} data-testid="position-close" onClick={() => onClose(position)}>
                    Close
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
