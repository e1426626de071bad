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
  /**
   * While a first page is on its way: the latest state of every order an event brought since it was
   * asked for. The page is the truth for everything else, so rows it no longer has (an order that left
   * the filter during a gap in the stream) do not survive it.
   */
  arrived: ReadonlyMap<number, OrderView> | null;
}

export type OrdersAction =
  /**
   * A first page is asked for: a new filter starts the list over; the same filter (a resync after a gap
   * in the stream) keeps the rows on screen until the page replaces them. Events until then are kept.
   */
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

export const INITIAL_ORDERS: OrdersState = { filter: NO_FILTER, orders: [], loading: true, hasMore: false, error: null, arrived: new Map() };

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

/** The latest state of each order evented while a page is on its way. */
function withArrival(arrived: ReadonlyMap<number, OrderView>, order: OrderView): ReadonlyMap<number, OrderView> {
  const known = arrived.get(order.id);
  if (known && !isAtLeastAsNew(order, known)) return arrived;
  return new Map(arrived).set(order.id, order);
}

export function ordersReducer(state: OrdersState, action: OrdersAction): OrdersState {
  switch (action.type) {
    case 'filter':
      if (sameFilter(state.filter, action.filter) && !state.error) return { ...state, filter: action.filter, loading: true, arrived: new Map() };
      return { filter: action.filter, orders: [], loading: true, hasMore: false, error: null, arrived: new Map() };
    case 'loaded': {
      if (!sameFilter(state.filter, action.filter)) return state;
      const hasMore = action.orders.length >= action.limit;
      const oldest = action.orders[action.orders.length - 1];
      let orders = action.orders.slice();
      // What the events brought while the page was on its way is applied on top of it, never lost: an
      // order that now fits joins (unless it is older than a full page: "Load older" goes on from the
      // page's own oldest, so nothing in between is skipped), and one that no longer fits leaves.
      for (const order of state.arrived?.values() ?? []) {
        const inPage = orders.find((item) => item.id === order.id);
        // The page may already hold a newer state than the event (read after it): the newer one decides.
        if (inPage && !isAtLeastAsNew(order, inPage)) continue;
        if (!matchesFilter(order, state.filter)) orders = orders.filter((item) => item.id !== order.id);
        else if (!hasMore || !oldest || order.id > oldest.id) orders = upsertOrder(orders, order);
      }
      return { ...state, orders, loading: false, error: null, hasMore, arrived: null };
    }
    case 'older': {
      if (!sameFilter(state.filter, action.filter)) return state;
      return { ...state, orders: mergeAll(state.orders, action.orders), loading: false, hasMore: action.orders.length >= action.limit };
    }
    case 'event': {
      const tracked = state.arrived ? { ...state, arrived: withArrival(state.arrived, action.order) } : state;
      const present = tracked.orders.some((order) => order.id === action.order.id);
      if (!matchesFilter(action.order, tracked.filter)) {
        // It no longer fits the filter (e.g. "open" became "filled"): it leaves the list.
        return present ? { ...tracked, orders: tracked.orders.filter((order) => order.id !== action.order.id) } : tracked;
      }
      // An old order we never listed (beyond "load more") stays out of sight: the list has no gap.
      const oldest = tracked.orders[tracked.orders.length - 1];
      if (!present && tracked.hasMore && oldest && action.order.id < oldest.id) return tracked;
      let orders = upsertOrder(tracked.orders, action.order);
      let hasMore = tracked.hasMore;
      if (orders.length > MAX_ROWS) {
        orders = orders.slice(0, MAX_ROWS);
        hasMore = true;
      }
      return orders === tracked.orders ? tracked : { ...tracked, orders, hasMore };
    }
    case 'failed':
      if (!sameFilter(state.filter, action.filter)) return state;
      return { ...state, loading: false, error: action.error };
  }
}
