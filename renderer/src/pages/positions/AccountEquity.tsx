import { lazy, Suspense, useState } from 'react';
import { getAccountPnlCurve, getStrategyPnlCurve } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { useApi } from '../../engine/use-api.js';
import type { AccountGroup } from '../../state/positions-state.js';
import { equityCurves } from '../../state/strategy-pnl.js';

// the chart code loads with the first curve opened, as the order detail's does
const EquityCurves = lazy(() => import('../../components/charts/EquityCurves.js').then((module) => ({ default: module.EquityCurves })));

/**
 * An account's equity curve, folded until asked for: a live account's is every strategy's fills
 * there (realized PnL net of fees, per currency), a dry run's is its strategy's. Read when opened,
 * and again as orders fill while it is open.
 */
export function AccountEquity({ group }: { group: AccountGroup }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="account-equity" data-testid="account-equity" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Equity curve</summary>
      {open ? <OpenCurve group={group} /> : null}
    </details>
  );
}

function OpenCurve({ group }: { group: AccountGroup }) {
  const curve = useApi(() => (group.dryRun && group.strategy !== null ? getStrategyPnlCurve(group.strategy) : getAccountPnlCurve(group)), [], { onOrders: true });
  if (curve.error) return <Notice tone="error">{curve.error}</Notice>;
  if (!curve.data) return <p className="muted chart-loading">Loading the curve…</p>;
  return (
    <Suspense fallback={<p className="muted chart-loading">Loading the chart…</p>}>
      <EquityCurves curves={equityCurves(curve.data.curves)} testId={`account-equity-${group.key}`} emptyText="The curve starts with the first fill on this account that realizes or pays something." />
    </Suspense>
  );
}
