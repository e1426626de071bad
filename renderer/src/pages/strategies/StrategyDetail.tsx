import { lazy, Suspense, useEffect } from 'react';
import { getPnl, getStrategyPnlCurve } from '../../api/endpoints.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Notice } from '../../components/Notice.js';
import { Time } from '../../components/Time.js';
import { useApi } from '../../engine/use-api.js';
import type { StrategyOverview } from '../../state/api-types.js';
import { countOf } from '../../state/plural.js';
import { equityCurves, openLotRows, periodRows, winRateText } from '../../state/strategy-pnl.js';

// the chart code loads with the first chart opened, as the order detail's does
const EquityCurves = lazy(() => import('../../components/charts/EquityCurves.js').then((module) => ({ default: module.EquityCurves })));

/**
 * One strategy's PnL, opened from its row: per currency, realized and fees apart and net, today,
 * 7 and 30 days and all; its trades (flat to flat) and win rate; what its own fills hold open; and
 * its equity curve (the cumulative net PnL). It follows the orders as they fill. Escape or ✕ closes it.
 */
export function StrategyDetail({ strategy, onClose }: { strategy: StrategyOverview; onClose(): void }) {
  const name = strategy.name;
  const answer = useApi(() => getPnl(name), ['strategies'], { onOrders: true });
  const curve = useApi(() => getStrategyPnlCurve(name), ['strategies'], { onOrders: true });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const pnl = answer.data?.strategies.find((item) => item.strategy === name);
  const lots = openLotRows(pnl?.open ?? []);
  return (
    <section className="panel strategy-detail" data-testid="strategy-detail" aria-label={`${name}: PnL`}>
      <header className="detail-header">
        <h2>
          {name} <ModeBadge dryRun={strategy.mode === 'dry-run'} />
        </h2>
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close" data-testid="strategy-detail-close">
          ✕
        </button>
      </header>
      {answer.error ? <Notice tone="error">{answer.error}</Notice> : null}
      {pnl ? (
        <>
          <p className="detail-summary">
            <span data-testid="strategy-trades">{countOf(pnl.trades, 'trade', 'trades')} closed</span>
            <span className="muted">·</span>
            <span data-testid="strategy-win-rate">win rate {winRateText(pnl)}</span>
          </p>
          {pnl.currencies.length === 0 ? <p className="muted">Nothing realized yet: PnL shows once its fills close (part of) a position.</p> : null}
          <div className="pnl-currencies">
            {pnl.currencies.map((currency) => (
              <div key={currency.currency} className="table-wrap">
                <table className="grid pnl-periods" data-testid={`strategy-pnl-periods-${currency.currency}`}>
                  <thead>
                    <tr>
                      <th>{currency.currency}</th>
                      <th className="right">Realized</th>
                      <th className="right">Fees</th>
                      <th className="right">Net</th>
                    </tr>
                  </thead>
                  <tbody>
                    {periodRows(currency).map((row) => (
                      <tr key={row.label}>
                        <td>{row.label}</td>
                        <td className="right num">{row.realized}</td>
                        <td className="right num">{row.fees}</td>
                        <td className={`right num strong pnl-${row.tone}`}>{row.net}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
          <h3>Equity curve</h3>
          {curve.error ? <Notice tone="error">{curve.error}</Notice> : null}
          {curve.data ? (
            <Suspense fallback={<p className="muted chart-loading">Loading the chart…</p>}>
              <EquityCurves curves={equityCurves(curve.data.curves)} testId="strategy-equity" emptyText="The equity curve starts with the first fill that realizes or pays something." />
            </Suspense>
          ) : null}
          <h3>Open</h3>
          {lots.length === 0 ? (
            <p className="muted" data-testid="strategy-open-lots-none">
              Its own fills hold nothing open.
            </p>
          ) : (
            <div className="table-wrap">
              <table className="grid" data-testid="strategy-open-lots">
                <thead>
                  <tr>
                    <th>Account</th>
                    <th>Symbol</th>
                    <th>Side</th>
                    <th className="right">Qty</th>
                    <th className="right">Average cost</th>
                    <th className="right">Mark</th>
                    <th className="right">Unrealized</th>
                  </tr>
                </thead>
                <tbody>
                  {lots.map((lot) => (
                    <tr key={lot.key}>
                      <td>{lot.account}</td>
                      <td>{lot.symbol}</td>
                      <td className={lot.side === 'long' ? 'side-buy' : 'side-sell'}>{lot.side}</td>
                      <td className="right num">{lot.qty}</td>
                      <td className="right num">{lot.averageCost}</td>
                      <td className="right num">{lot.mark}</td>
                      <td className={`right num pnl-${lot.tone}`}>{lot.unrealized}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {pnl.unpriced > 0 ? <Notice tone="warning">{countOf(pnl.unpriced, 'fill', 'fills')} came without a price from the exchange and are left out of these figures.</Notice> : null}
          <p className="small muted">
            Realized by average cost over this strategy's own fills (each order's client id names its journal entry, so fills are its own exactly), from the exchange's trades where it lists them; fees apart, in the currency they were paid in. "Today" began{' '}
            {answer.data ? <Time iso={answer.data.todayFrom} full /> : null}.
          </p>
        </>
      ) : answer.loading ? (
        <p className="muted">Loading…</p>
      ) : null}
    </section>
  );
}
