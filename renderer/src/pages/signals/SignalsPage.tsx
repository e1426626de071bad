import { useEffect, useMemo, useReducer, useState } from 'react';
import { messageOf } from '../../api/client.js';
import { listSignals, listStrategies, signalsCsvPath } from '../../api/endpoints.js';
import { CsvDownloadButton } from '../../components/CsvDownloadButton.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useNavigate } from '../../components/navigation.js';
import { useTimeZone } from '../../components/time-zone.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import { useApi } from '../../engine/use-api.js';
import { useDebounced } from '../../components/use-debounced.js';
import { localZoneName } from '../../state/order-format.js';
import { isSignalFiltered, type SignalFilter, signalFilterFromSearch, signalSearchOf } from '../../state/signal-filter.js';
import { INITIAL_SIGNALS, signalsReducer } from '../../state/signals-reducer.js';
import { SignalFilters } from './SignalFilters.js';
import { SignalsTable } from './SignalsTable.js';

const PAGE_SIZE = 100;

/** Signals: every request that reached apisify, accepted or refused, newest first, live from the event stream. */
export function SignalsPage() {
  const [state, dispatch] = useReducer(signalsReducer, INITIAL_SIGNALS);
  const [form, setForm] = useState<SignalFilter>(() => signalFilterFromSearch(window.location.search));
  const strategyText = useDebounced(form.strategy, 250);
  const filter = useMemo<SignalFilter>(() => ({ outcome: form.outcome, strategy: strategyText.trim() }), [form.outcome, strategyText]);
  const [generation, setGeneration] = useState(0);
  const strategies = useApi(listStrategies, ['strategies']);
  const zone = useTimeZone();
  const navigate = useNavigate();

  useEffect(() => {
    dispatch({ type: 'filter', filter });
    let current = true;
    listSignals(filter, { limit: PAGE_SIZE }).then(
      (signals) => current && dispatch({ type: 'loaded', filter, signals, limit: PAGE_SIZE }),
      (failure: unknown) => current && dispatch({ type: 'failed', filter, error: messageOf(failure) }),
    );
    return () => {
      current = false;
    };
  }, [filter, generation]);

  useEngineEvents((event) => {
    if (event.type === 'signals') dispatch({ type: 'events', signals: event.signals });
    // After a gap in the stream, fetch the page again: entries may have been missed.
    if (event.type === 'resync') setGeneration((value) => value + 1);
  });

  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${signalSearchOf(filter)}`);
  }, [filter]);

  const loadOlder = () => {
    const oldest = state.signals[state.signals.length - 1];
    if (!oldest) return;
    listSignals(filter, { limit: PAGE_SIZE, before: oldest.id }).then(
      (signals) => dispatch({ type: 'older', filter, signals, limit: PAGE_SIZE }),
      (failure: unknown) => dispatch({ type: 'failed', filter, error: messageOf(failure) }),
    );
  };

  const empty = !state.loading && !state.error && state.signals.length === 0;
  const names = (strategies.data ?? []).map((strategy) => strategy.name);
  return (
    <div className="signals-page">
      <PageHeader title="Signals">
        <span className="muted small" data-testid="signals-count">
          {state.signals.length} shown{state.hasMore ? '+' : ''} · times in {localZoneName(zone)}
        </span>
        <CsvDownloadButton path={signalsCsvPath(filter)} name="signals" testId="signals-csv" />
      </PageHeader>
      <p className="muted small">Every request to /v1/order and every manual order, accepted or refused. Refused ones reached no exchange and left no order; the reason says why.</p>
      <SignalFilters filter={form} strategies={names} onChange={setForm} />
      {state.error ? <Notice tone="error">{state.error}</Notice> : null}
      {empty ? (
        <p className="muted pad" data-testid="signals-empty">
          {isSignalFiltered(filter) ? 'No signals match these filters.' : 'No signals yet: requests to /v1/order and manual orders appear here as they arrive.'}
        </p>
      ) : (
        <SignalsTable signals={state.signals} onOpenOrder={(id) => navigate('orders', `?order=${id}`)} />
      )}
      {state.hasMore ? (
        <button type="button" className="btn btn-quiet load-more" onClick={loadOlder}>
          Load older signals
        </button>
      ) : null}
    </div>
  );
}
