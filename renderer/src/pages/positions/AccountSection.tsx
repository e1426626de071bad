import type { PositionView } from '../../../../shared/positions-api.js';
import { ModeBadge } from '../../components/ModeBadge.js';
import { Time } from '../../components/Time.js';
import { countOf } from '../../state/plural.js';
import { type AccountGroup, type AccountStanding, groupTitle } from '../../state/positions-state.js';
import { AccountEquity } from './AccountEquity.js';
import { BalancesTable } from './BalancesTable.js';
import { PositionsTable } from './PositionsTable.js';

function Standing({ standing }: { standing: AccountStanding }) {
  switch (standing.kind) {
    case 'live':
      return (
        <span className="standing standing-live" title="The account's stream is connected: what changes on the exchange shows here as it happens">
          ● live{standing.since ? <> · pushed <Time iso={standing.since} /></> : null}
        </span>
      );
    case 'read':
      return (
        <span className="standing" title="Read from the exchange when the page opened; what changes after shows here as the account's stream pushes it">
          read at <Time iso={standing.at} />
        </span>
      );
    case 'failing':
      return <span className="standing standing-failing">could not be read: {standing.message}</span>;
    case 'not_set':
      return <span className="standing standing-failing">no API credentials: set them on the Exchanges page</span>;
    case 'dry-run':
      return <span className="standing muted">simulated by apisify</span>;
  }
}

/** One account: its standing, open positions, balances and its Flatten. */
export function AccountSection({ group, onClose, onFlatten, onFlattenStrategy }: { group: AccountGroup; onClose(position: PositionView): void; onFlatten(group: AccountGroup): void; onFlattenStrategy(strategy: string): void }) {
  const open = group.positions.length;
  return (
    <section className={`panel account-section ${group.dryRun ? 'account-dry' : 'account-live'}`} data-testid="account-section" data-account={group.key} aria-label={groupTitle(group)}>
      <header className="account-head">
        <h2>{groupTitle(group)}</h2>
        <ModeBadge dryRun={group.dryRun} />
        <span data-testid="account-standing">
          <Standing standing={group.standing} />
        </span>
        <span className="account-tools">
          <span className="muted small">{countOf(open, 'open position', 'open positions')}</span>
          <button type="button" className={`btn btn-small ${group.dryRun ? '' : 'btn-danger'}`} data-testid="flatten-account" onClick={() => onFlatten(group)}>
            {group.dryRun ? 'Flatten dry run…' : 'Flatten account…'}
          </button>
        </span>
      </header>
      {open > 0 ? (
        <PositionsTable positions={group.positions} accountKey={group.key} onClose={onClose} onFlattenStrategy={onFlattenStrategy} />
      ) : (
        <p className="muted" data-testid="no-positions">
          {group.standing.kind === 'failing' ? 'Its positions are not known while it cannot be read.' : 'No open positions. Orders that open one show it here as it fills.'}
        </p>
      )}
      <h3>Balances</h3>
      {group.balances.length > 0 ? <BalancesTable balances={group.balances} /> : <p className="muted small">{group.standing.kind === 'failing' ? 'Not read.' : 'No balance.'}</p>}
      <AccountEquity group={group} />
    </section>
  );
}
