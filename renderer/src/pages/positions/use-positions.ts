import { useCallback, useEffect, useReducer, useRef } from 'react';
import { messageOf } from '../../api/client.js';
import { getBalances, getPositions } from '../../api/endpoints.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import { INITIAL_POSITIONS, positionsReducer, type PositionsState } from '../../state/positions-state.js';

/** Dry-run orders come in bursts (received, filled): their accounts are read once, this long after the first. */
const DRY_RUN_READ_DELAY_MS = 300;

/**
 * The Positions page's figures, live: one read of every account when the page opens (and after the
 * event stream had a gap or the exchange accounts changed), then the accounts' pushes; the dry runs
 * read again, alone, after a dry-run order. Nothing on a timer.
 */
export function usePositions(): { state: PositionsState; reload(): void } {
  const [state, dispatch] = useReducer(positionsReducer, INITIAL_POSITIONS);
  const generation = useRef(0);
  const dryRunTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    dispatch({ type: 'reading' });
    getPositions().then(
      (answer) => mine === generation.current && dispatch({ type: 'positions-read', answer }),
      (failure: unknown) => mine === generation.current && dispatch({ type: 'read-failed', what: 'positions', error: messageOf(failure) }),
    );
    getBalances().then(
      (answer) => mine === generation.current && dispatch({ type: 'balances-read', answer }),
      (failure: unknown) => mine === generation.current && dispatch({ type: 'read-failed', what: 'balances', error: messageOf(failure) }),
    );
  }, []);

  const readDryRuns = useCallback(() => {
    if (dryRunTimer.current) return;
    dryRunTimer.current = setTimeout(() => {
      dryRunTimer.current = null;
      Promise.all([getPositions(true), getBalances(true)]).then(
        ([positions, balances]) => dispatch({ type: 'dry-runs-read', positions, balances }),
        (failure: unknown) => dispatch({ type: 'read-failed', what: 'positions', error: messageOf(failure) }),
      );
    }, DRY_RUN_READ_DELAY_MS);
  }, []);

  useEffect(reload, [reload]);
  useEffect(
    () => () => {
      if (dryRunTimer.current) clearTimeout(dryRunTimer.current);
    },
    [],
  );

  useEngineEvents((event) => {
    const at = new Date().toISOString();
    if (event.type === 'positions') dispatch({ type: 'positions-pushed', push: { exchange: event.exchange, account: event.account, positions: event.positions }, at });
    else if (event.type === 'balances') dispatch({ type: 'balances-pushed', push: { exchange: event.exchange, account: event.account, balances: event.balances }, at });
    else if (event.type === 'order' && event.order.dryRun) readDryRuns();
    // a strategy renamed or removed renames or drops its dry run; the live accounts' figures stay as pushed
    else if (event.type === 'config' && event.what === 'strategies') readDryRuns();
    // pushes may have been missed, or accounts were added, changed or removed: read everything again
    else if (event.type === 'resync' || (event.type === 'config' && event.what === 'exchanges')) reload();
  });

  return { state, reload };
}
