import type { BalanceView } from '../../../../shared/positions-api.js';
import { balanceRow } from '../../state/position-format.js';

/** An account's balances per wallet and currency: total, free, and what orders and positions hold. */
export function BalancesTable({ balances }: { balances: BalanceView[] }) {
  return (
    <div className="table-wrap balances-wrap">
      <table className="grid balances-table" data-testid="balances-table">
        <thead>
          <tr>
            <th>Wallet</th>
            <th>Currency</th>
            <th className="right">Total</th>
            <th className="right">Free</th>
            <th className="right">In use</th>
          </tr>
        </thead>
        <tbody>
          {balances.map((balance) => {
            const row = balanceRow(balance);
            return (
              <tr key={row.key} data-testid="balance-row" data-currency={row.currency}>
                <td className="muted">{row.wallet}</td>
                <td className="strong">{row.currency}</td>
                <td className="num right" data-testid="balance-total">
                  {row.total}
                </td>
                <td className="num right" data-testid="balance-free">
                  {row.free}
                </td>
                <td className="num right" data-testid="balance-used">
                  {row.used}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
