import { ORDER_STATUSES, type OrderStatus, type OrderView } from '../../../shared/order-view.js';

/** The Live orders filters; an empty string means "any". */
export interface OrderFilter {
  strategy: string;
  exchange: string;
  status: OrderStatus | '';
  text: string;
}

export const NO_FILTER: OrderFilter = { strategy: '', exchange: '', status: '', text: '' };

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isFiltered(filter: OrderFilter): boolean {
  return filter.strategy !== '' || filter.exchange !== '' || filter.status !== '' || filter.text.trim() !== '';
}

export function sameFilter(a: OrderFilter, b: OrderFilter): boolean {
  return a.strategy === b.strategy && a.exchange === b.exchange && a.status === b.status && a.text.trim() === b.text.trim();
}

/** The query string of GET /api/orders for a filter and a page. */
export function orderQuery(filter: OrderFilter, page: { limit: number; before?: number }): string {
  const params = new URLSearchParams();
  params.set('limit', String(page.limit));
  if (page.before !== undefined) params.set('before', String(page.before));
  if (filter.strategy) params.set('strategy', filter.strategy);
  if (filter.exchange) params.set('exchange', filter.exchange);
  if (filter.status) params.set('status', filter.status);
  const text = filter.text.trim();
  if (text) params.set('text', text);
  return `?${params.toString()}`;
}

/** The query string of GET /api/orders.csv: the filter as shown, without a page (every order that matches). */
export function orderCsvQuery(filter: OrderFilter): string {
  return searchOf(filter, null);
}

/**
 * The same test the journal runs for GET /api/orders (exact strategy, exchange and status; the text
 * anywhere in symbol, memo, strategy or side, ignoring case), so an order pushed by the event stream
 * lands in the list exactly when a reload would have shown it.
 */
export function matchesFilter(order: OrderView, filter: OrderFilter): boolean {
  if (filter.strategy && order.strategy !== filter.strategy) return false;
  if (filter.exchange && order.exchange !== filter.exchange) return false;
  if (filter.status && order.status !== filter.status) return false;
  const text = filter.text.trim().toLowerCase();
  if (text) {
    const haystack = [order.symbol, order.memo ?? '', order.strategy, order.side];
    if (!haystack.some((value) => value.toLowerCase().includes(text))) return false;
  }
  return true;
}

/** The filters (and the open order) kept in the page's address, so a reload or a bookmark shows the same list. */
export function filterFromSearch(search: string): OrderFilter {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  return {
    strategy: params.get('strategy') ?? '',
    exchange: params.get('exchange') ?? '',
    status: isOrderStatus(status) ? status : '',
    text: params.get('text') ?? '',
  };
}

export function searchOf(filter: OrderFilter, selected: number | null): string {
  const params = new URLSearchParams();
  if (filter.strategy) params.set('strategy', filter.strategy);
  if (filter.exchange) params.set('exchange', filter.exchange);
  if (filter.status) params.set('status', filter.status);
  if (filter.text.trim()) params.set('text', filter.text.trim());
  if (selected !== null) params.set('order', String(selected));
  const text = params.toString();
  return text ? `?${text}` : '';
}
