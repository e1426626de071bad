import { useState } from 'react';
import type { FlattenAnswer } from '../../../../shared/flatten-api.js';
import type { PositionView } from '../../../../shared/positions-api.js';
import { listStrategies } from '../../api/endpoints.js';
import { Link } from '../../components/Link.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import type { FlattenScope } from '../../state/flatten-confirm.js';
import { countOf } from '../../state/plural.js';
import { type AccountGroup, accountGroups } from '../../state/positions-state.js';
import { AccountSection } from './AccountSection.js';
import { CloseDialog } from './CloseDialog.js';
import { FlattenDialog } from './FlattenDialog.js';
import { FlattenResult } from './FlattenResult.js';
import { usePositions } from './use-positions.js';

/**
 * Positions: every exchange account's open positions and balances, live as its stream pushes them,
 * and every dry run's simulated account; a Close per position and Flatten per account or for all.
 */
export function PositionsPage() {
  const { state } = usePositions();
  const strategies = useApi(listStrategies, ['strategies']);
  const [closing, setClosing] = useState<PositionView | null>(null);
  const [flattening, setFlattening] = useState<FlattenScope | null>(null);
  const [flattened, setFlattened] = useState<FlattenAnswer | null>(null);

  const groups = accountGroups(state);
  const liveAccounts = groups.filter((group) => !group.dryRun).length;
  const open = state.positions.length;
  const flattenGroup = (group: AccountGroup) =>
    setFlattening(group.dryRun ? { kind: 'dry-run', exchange: group.exchange, strategy: group.strategy ?? '' } : { kind: 'account', exchange: group.exchange, account: group.account });

  return (
    <div className="page positions-page">
      <PageHeader title="Positions">
        <span className="muted small" data-testid="positions-count">
          {state.loaded ? `${countOf(open, 'open position', 'open positions')} on ${countOf(groups.length, 'account', 'accounts')}` : 'Reading the accounts…'}
        </span>
        <button type="button" className="btn btn-danger" data-testid="flatten-all" disabled={!state.loaded || groups.length === 0} onClick={() => setFlattening({ kind: 'all' })}>
          Flatten all…
        </button>
      </PageHeader>
      <p className="muted small">
        What is open on each exchange account, read when this page opens and then as the account's stream pushes it, and each dry run's simulated account. Close sends the row's Close through the same preview and pipeline as the manual form; Flatten closes everything there and cancels its open orders.
      </p>
      {flattened ? <FlattenResult answer={flattened} onDismiss={() => setFlattened(null)} /> : null}
      {state.error ? <Notice tone="error">{state.error}</Notice> : null}
      {state.loaded && groups.length === 0 ? (
        <p className="muted pad" data-testid="positions-empty">
          No exchange accounts yet: add one on the <Link to="exchanges">Exchanges</Link> page. Dry-run strategies show their simulated account here once they trade.
        </p>
      ) : null}
      {groups.map((group) => (
        <AccountSection key={group.key} group={group} onClose={setClosing} onFlatten={flattenGroup} onFlattenStrategy={(strategy) => setFlattening({ kind: 'strategy', strategy })} />
      ))}
      {closing && strategies.data ? <CloseDialog position={closing} strategies={strategies.data} onDone={() => setClosing(null)} /> : null}
      {flattening ? (
        <FlattenDialog
          scope={flattening}
          positions={state.positions}
          liveAccounts={liveAccounts}
          onDone={(answer) => {
            setFlattening(null);
            if (answer) setFlattened(answer);
          }}
        />
      ) : null}
    </div>
  );
}
