import { useEffect, useMemo, useReducer, useState } from 'react';
import { messageOf } from '../../api/client.js';
import { listOrders, listStrategies, ordersCsvPath } from '../../api/endpoints.js';
import { CsvDownloadButton } from '../../components/CsvDownloadButton.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useDebounced } from '../../components/use-debounced.js';
import { useTimeZone } from '../../components/time-zone.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';
import { useApi } from '../../engine/use-api.js';
import { filterFromSearch, isFiltered, type OrderFilter, searchOf } from '../../state/order-filter.js';
import { localZoneName } from '../../state/order-format.js';
import { INITIAL_ORDERS, ordersReducer } from '../../state/orders-reducer.js';
import { EmptyOrders } from './EmptyOrders.js';
import { OrderDetail } from './OrderDetail.js';
import { OrderFilters } from './OrderFilters.js';
import { OrdersTable } from './OrdersTable.js';

const PAGE_SIZE = 100;

function initialSelection(): number | null {
  const id = Number(new URLSearchParams(window.location.search).get('order'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** Live orders: the journal, newest first, kept current by the event stream without a reload. */
export function OrdersPage() {
  const [state, dispatch] = useReducer(ordersReducer, INITIAL_ORDERS);
  const [form, setForm] = useState<OrderFilter>(() => filterFromSearch(window.location.search));
  const zone = useTimeZone();
  const text = useDebounced(form.text, 250);
  const filter = useMemo<OrderFilter>(() => ({ ...form, text }), [form.strategy, form.exchange, form.status, text]);
  const [selected, setSelected] = useState<number | null>(initialSelection);
  const [generation, setGeneration] = useState(0);
  const strategies = useApi(listStrategies, ['strategies']);

  useEffect(() => {
    dispatch({ type: 'filter', filter });
    let current = true;
    listOrders(filter, { limit: PAGE_SIZE }).then(
      (orders) => {
        if (!current) return;
        dispatch({ type: 'loaded', filter, orders, limit: PAGE_SIZE });
      },
      (failure: unknown) => current && dispatch({ type: 'failed', filter, error: messageOf(failure) }),
    );
    return () => {
      current = false;
    };
  }, [filter, generation]);

  useEngineEvents((event) => {
    if (event.type === 'order') dispatch({ type: 'event', order: event.order });
    // After a gap in the stream, fetch the page again: events may have been missed.
    if (event.type === 'resync') setGeneration((value) => value + 1);
  });

  const loadOlder = () => {
    const oldest = state.orders[state.orders.length - 1];
    if (!oldest) return;
    listOrders(filter, { limit: PAGE_SIZE, before: oldest.id }).then(
      (orders) => dispatch({ type: 'older', filter, orders, limit: PAGE_SIZE }),
      (failure: unknown) => dispatch({ type: 'failed', filter, error: messageOf(failure) }),
    );
  };

  // The address keeps the filters and the open order: a reload shows the same list.
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${searchOf(filter, selected)}`);
  }, [filter, selected]);

  const select = (id: number | null) => setSelected(id);

  useEffect(() => {
    if (selected === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);

  const empty = !state.loading && !state.error && state.orders.length === 0;
  const names = (strategies.data ?? []).map((strategy) => strategy.name);
  return (
    <div className={`orders-page${selected !== null ? ' with-detail' : ''}`}>
      <div className="orders-main">
        <PageHeader title="Live orders">
          <span className="muted small">
            {state.orders.length} shown{state.hasMore ? '+' : ''} · times in {localZoneName(zone)}
          </span>
          <CsvDownloadButton path={ordersCsvPath(filter)} name="orders" testId="orders-csv" />
        </PageHeader>
        <OrderFilters filter={form} strategies={names} onChange={setForm} />
        {state.error ? <Notice tone="error">{state.error}</Notice> : null}
        {empty && !isFiltered(filter) ? (
          <EmptyOrders />
        ) : empty ? (
          <p className="muted pad">No orders match these filters.</p>
        ) : (
          <OrdersTable orders={state.orders} selected={selected} onSelect={select} />
        )}
        {state.hasMore ? (
          <button type="button" className="btn btn-quiet load-more" onClick={loadOlder}>
            Load older orders
          </button>
        ) : null}
      </div>
      {selected !== null ? <OrderDetail id={selected} listed={state.orders.find((order) => order.id === selected)} onClose={() => select(null)} /> : null}
    </div>
  );
}
