import { FINAL_STATUSES, type OrderStatus, type OrderView } from '../../../shared/order-view.js';
import { matchesFilter, NO_FILTER, type OrderFilter, sameFilter } from './order-filter.js';

/**
 * The Live orders list: a page from GET /api/orders, kept current by the event stream.
 * Newest first (by journal id); an order appears once, in its latest state.
 */
export interface OrdersState {
  filter: OrderFilter;
  orders: OrderView[];
  loading: boolean;
  /** More (older) orders exist on the server than the list holds. */
  hasMore: boolean;
  error: string | null;
}

export type OrdersAction =
  /** A new filter: the list starts over (events that arrive before the page does are kept). */
  | { type: 'filter'; filter: OrderFilter }
  /** The first page for `filter`; ignored if the filter has changed since it was asked for. */
  | { type: 'loaded'; filter: OrderFilter; orders: OrderView[]; limit: number }
  /** An older page ("load more"). */
  | { type: 'older'; filter: OrderFilter; orders: OrderView[]; limit: number }
  /** An order journaled or changed (SSE). */
  | { type: 'event'; order: OrderView }
  | { type: 'failed'; filter: OrderFilter; error: string };

/** The list never grows past this many rows through events alone; older rows are a "load more" away. */
export const MAX_ROWS = 1000;

export const INITIAL_ORDERS: OrdersState = { filter: NO_FILTER, orders: [], loading: true, hasMore: false, error: null };

const PROGRESS: Readonly<Record<OrderStatus, number>> = {
  received: 0,
  submitted: 1,
  open: 2,
  partially_filled: 3,
  filled: 4,
  cancelled: 4,
  skipped: 4,
  rejected: 4,
  error: 4,
  not_sent: 4,
};

/** True when `incoming` is at least as current as `existing` (same ms: the one further along wins). */
export function isAtLeastAsNew(incoming: OrderView, existing: OrderView): boolean {
  if (incoming.updatedAt !== existing.updatedAt) return incoming.updatedAt > existing.updatedAt;
  if (FINAL_STATUSES.includes(existing.status) && !FINAL_STATUSES.includes(incoming.status)) return false;
  return PROGRESS[incoming.status] >= PROGRESS[existing.status];
}

/** Puts `order` into a newest-first list: replaces its older self, or goes in at its place by id. */
export function upsertOrder(list: readonly OrderView[], order: OrderView): OrderView[] {
  const at = list.findIndex((item) => item.id === order.id);
  if (at >= 0) {
    const existing = list[at] as OrderView;
    if (!isAtLeastAsNew(order, existing)) return list as OrderView[];
    const next = list.slice();
    next[at] = order;
    return next;
  }
  const next = list.slice();
  const before = next.findIndex((item) => item.id < order.id);
  next.splice(before < 0 ? next.length : before, 0, order);
  return next;
}

function mergeAll(list: readonly OrderView[], incoming: readonly OrderView[]): OrderView[] {
  let merged = list as OrderView[];
  for (const order of incoming) merged = upsertOrder(merged, order);
  return merged;
}

export function ordersReducer(state: OrdersState, action: OrdersAction): OrdersState {
  switch (action.type) {
    case 'filter':
      if (sameFilter(state.filter, action.filter) && !state.error) return { ...state, filter: action.filter };
      return { filter: action.filter, orders: [], loading: true, hasMore: false, error: null };
    case 'loaded': {
      if (!sameFilter(state.filter, action.filter)) return state;
      // What the events brought while the page was on its way is merged, never lost.
      const orders = mergeAll(action.orders, state.orders.filter((order) => matchesFilter(order, state.filter)));
      return { ...state, orders, loading: false, error: null, hasMore: action.orders.length >= action.limit };
    }
    case 'older': {
      if (!sameFilter(state.filter, action.filter)) return state;
      return { ...state, orders: mergeAll(state.orders, action.orders), loading: false, hasMore: action.orders.length >= action.limit };
    }
    case 'event': {
      const present = state.orders.some((order) => order.id === action.order.id);
      if (!matchesFilter(action.order, state.filter)) {
        // It no longer fits the filter (e.g. "open" became "filled"): it leaves the list.
        return present ? { ...state, orders: state.orders.filter((order) => order.id !== action.order.id) } : state;
      }
      // An old order we never listed (beyond "load more") stays out of sight: the list has no gap.
      const oldest = state.orders[state.orders.length - 1];
      if (!present && state.hasMore && oldest && action.order.id < oldest.id) return state;
      let orders = upsertOrder(state.orders, action.order);
      let hasMore = state.hasMore;
      if (orders.length > MAX_ROWS) {
        orders = orders.slice(0, MAX_ROWS);
        hasMore = true;
      }
      return orders === state.orders ? state : { ...state, orders, hasMore };
    }
    case 'failed':
      if (!sameFilter(state.filter, action.filter)) return state;
      return { ...state, loading: false, error: action.error };
  }
}
