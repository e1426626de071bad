import { describe, expect, it } from 'vitest';
import { NO_FILTER, type OrderFilter } from '../../renderer/src/state/order-filter.js';
import { INITIAL_ORDERS, isAtLeastAsNew, MAX_ROWS, ordersReducer, type OrdersState, upsertOrder } from '../../renderer/src/state/orders-reducer.js';
import { order } from './fixtures.js';

const ids = (state: OrdersState) => state.orders.map((item) => item.id);

function loaded(filter: OrderFilter = NO_FILTER, orders = [order(3), order(2), order(1)], limit = 100): OrdersState {
  const reset = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter });
  return ordersReducer(reset, { type: 'loaded', filter, orders, limit });
}

describe('upsertOrder', () => {
  it('keeps the list newest first by id', () => {
    let list = upsertOrder([], order(2));
    list = upsertOrder(list, order(5));
    list = upsertOrder(list, order(1));
    list = upsertOrder(list, order(3));
    expect(list.map((item) => item.id)).toEqual([5, 3, 2, 1]);
  });

  it('replaces an order with its newer self, and ignores an older one', () => {
    const received = order(7, { status: 'received', updatedAt: '2025-03-02T10:00:00.000Z' });
    const filled = order(7, { status: 'filled', updatedAt: '2025-03-02T10:00:00.200Z' });
    expect(upsertOrder([received], filled)[0]?.status).toBe('filled');
    expect(upsertOrder([filled], received)[0]?.status).toBe('filled');
  });

  it('breaks a same-millisecond tie by progress: a final status is not undone', () => {
    const at = '2025-03-02T10:00:00.000Z';
    expect(isAtLeastAsNew(order(1, { status: 'filled', updatedAt: at }), order(1, { status: 'submitted', updatedAt: at }))).toBe(true);
    expect(isAtLeastAsNew(order(1, { status: 'submitted', updatedAt: at }), order(1, { status: 'filled', updatedAt: at }))).toBe(false);
  });
});

describe('ordersReducer', () => {
  it('shows the loaded page and says whether more exist', () => {
    const state = loaded(NO_FILTER, [order(3), order(2)], 2);
    expect(ids(state)).toEqual([3, 2]);
    expect(state.loading).toBe(false);
    expect(state.hasMore).toBe(true);
  });

  it('puts a new order on top and updates it in place as its status changes', () => {
    let state = loaded();
    state = ordersReducer(state, { type: 'event', order: order(4, { status: 'received', updatedAt: '2025-03-02T11:00:00.000Z' }) });
    expect(ids(state)).toEqual([4, 3, 2, 1]);
    state = ordersReducer(state, { type: 'event', order: order(4, { status: 'filled', updatedAt: '2025-03-02T11:00:00.050Z' }) });
    expect(ids(state)).toEqual([4, 3, 2, 1]);
    expect(state.orders[0]?.status).toBe('filled');
  });

  it('keeps events that arrive before the first page, merged with it', () => {
    let state = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: NO_FILTER });
    state = ordersReducer(state, { type: 'event', order: order(4, { status: 'filled', updatedAt: '2025-03-02T11:00:00.000Z' }) });
    // The page was read before the order filled: its older copy must not win.
    state = ordersReducer(state, { type: 'loaded', filter: NO_FILTER, orders: [order(4, { status: 'received' }), order(3)], limit: 100 });
    expect(ids(state)).toEqual([4, 3]);
    expect(state.orders[0]?.status).toBe('filled');
  });

  it('after a gap in the stream, the page fetched again replaces the rows it no longer has', () => {
    const open: OrderFilter = { ...NO_FILTER, status: 'open' };
    let state = loaded(open, [order(5, { status: 'open', orderType: 'limit' }), order(4, { status: 'open', orderType: 'limit' })]);
    // The stream dropped; order 5 filled meanwhile (no event came). The resync asks for the page again.
    state = ordersReducer(state, { type: 'filter', filter: open });
    expect(ids(state)).toEqual([5, 4]); // kept on screen until the page arrives
    state = ordersReducer(state, { type: 'loaded', filter: open, orders: [order(4, { status: 'open', orderType: 'limit' })], limit: 100 });
    expect(ids(state)).toEqual([4]);
  });

  it('an event for an old order while the first page loads does not make "Load older" skip the orders between', () => {
    let state = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: NO_FILTER });
    // A resting Limit journaled long ago fills while the page (ids 100 down to 91, a full page) is on its way.
    state = ordersReducer(state, { type: 'event', order: order(5, { status: 'filled', updatedAt: '2025-03-02T11:00:00.000Z' }) });
    const page = Array.from({ length: 10 }, (_, index) => order(100 - index));
    state = ordersReducer(state, { type: 'loaded', filter: NO_FILTER, orders: page, limit: 10 });
    expect(ids(state).at(-1)).toBe(91);
    expect(state.hasMore).toBe(true);
    // But a new order evented meanwhile joins.
    let fresh = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: NO_FILTER });
    fresh = ordersReducer(fresh, { type: 'event', order: order(101) });
    fresh = ordersReducer(fresh, { type: 'loaded', filter: NO_FILTER, orders: page, limit: 10 });
    expect(ids(fresh).slice(0, 2)).toEqual([101, 100]);
  });

  it('keeps a row the page has in a newer state than an event that came while it loaded', () => {
    const filled: OrderFilter = { ...NO_FILTER, status: 'filled' };
    let state = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: filled });
    state = ordersReducer(state, { type: 'event', order: order(7, { status: 'open', orderType: 'limit', updatedAt: '2025-03-02T11:00:00.000Z' }) });
    state = ordersReducer(state, { type: 'loaded', filter: filled, orders: [order(7, { status: 'filled', orderType: 'limit', updatedAt: '2025-03-02T11:00:01.000Z' })], limit: 100 });
    expect(ids(state)).toEqual([7]);
  });

  it('ignores a page that was asked for under another filter', () => {
    const alpha: OrderFilter = { ...NO_FILTER, strategy: 'alpha' };
    const beta: OrderFilter = { ...NO_FILTER, strategy: 'beta' };
    let state = ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: beta });
    state = ordersReducer(state, { type: 'loaded', filter: alpha, orders: [order(1)], limit: 100 });
    expect(state.orders).toEqual([]);
    expect(state.loading).toBe(true);
  });

  it('lets in only events that match the filter, and drops an order that stops matching', () => {
    const open: OrderFilter = { ...NO_FILTER, status: 'open' };
    let state = loaded(open, [order(2, { status: 'open', orderType: 'limit' })]);
    state = ordersReducer(state, { type: 'event', order: order(3, { status: 'filled' }) });
    expect(ids(state)).toEqual([2]);
    state = ordersReducer(state, { type: 'event', order: order(2, { status: 'filled', orderType: 'limit', updatedAt: '2025-03-02T12:00:00.000Z' }) });
    expect(ids(state)).toEqual([]);
  });

  it('appends older pages without repeats', () => {
    let state = loaded(NO_FILTER, [order(5), order(4)], 2);
    state = ordersReducer(state, { type: 'older', filter: NO_FILTER, orders: [order(4), order(3)], limit: 2 });
    expect(ids(state)).toEqual([5, 4, 3]);
    state = ordersReducer(state, { type: 'older', filter: NO_FILTER, orders: [order(2)], limit: 2 });
    expect(ids(state)).toEqual([5, 4, 3, 2]);
    expect(state.hasMore).toBe(false);
  });

  it('does not open a gap: an old order beyond the loaded page stays out while more exist', () => {
    let state = loaded(NO_FILTER, [order(10), order(9)], 2);
    state = ordersReducer(state, { type: 'event', order: order(3, { status: 'filled', updatedAt: '2025-03-02T12:00:00.000Z' }) });
    expect(ids(state)).toEqual([10, 9]);
  });

  it('caps the list and then offers older orders', () => {
    let state = loaded(NO_FILTER, [], 100);
    for (let id = 1; id <= MAX_ROWS + 5; id += 1) state = ordersReducer(state, { type: 'event', order: order(id) });
    expect(state.orders).toHaveLength(MAX_ROWS);
    expect(state.orders[0]?.id).toBe(MAX_ROWS + 5);
    expect(state.hasMore).toBe(true);
  });

  it('reports a failed load for the current filter', () => {
    const state = ordersReducer(ordersReducer(INITIAL_ORDERS, { type: 'filter', filter: NO_FILTER }), { type: 'failed', filter: NO_FILTER, error: 'boom' });
    expect(state.error).toBe('boom');
    expect(state.loading).toBe(false);
  });
});
