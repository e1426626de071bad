import { isSignalOutcome, type SignalOutcome, type SignalView } from '../../../shared/signal-view.js';

/** The Signals page's filters; an empty string means "any". */
export interface SignalFilter {
  outcome: SignalOutcome | '';
  strategy: string;
}

export const NO_SIGNAL_FILTER: SignalFilter = { outcome: '', strategy: '' };

export function isSignalFiltered(filter: SignalFilter): boolean {
  return filter.outcome !== '' || filter.strategy.trim() !== '';
}

export function sameSignalFilter(a: SignalFilter, b: SignalFilter): boolean {
  return a.outcome === b.outcome && a.strategy.trim() === b.strategy.trim();
}

function filterParams(filter: SignalFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.outcome) params.set('outcome', filter.outcome);
  const strategy = filter.strategy.trim();
  if (strategy) params.set('strategy', strategy);
  return params;
}

/** The query string of GET /api/signals for a filter and a page. */
export function signalQuery(filter: SignalFilter, page: { limit: number; before?: number }): string {
  const params = filterParams(filter);
  params.set('limit', String(page.limit));
  if (page.before !== undefined) params.set('before', String(page.before));
  return `?${params.toString()}`;
}

/** The query string of GET /api/signals.csv: the filter as shown, every entry. */
export function signalCsvQuery(filter: SignalFilter): string {
  const text = filterParams(filter).toString();
  return text ? `?${text}` : '';
}

/** The test the signal log runs for GET /api/signals (exact outcome and strategy), for entries the event stream brings. */
export function matchesSignalFilter(signal: SignalView, filter: SignalFilter): boolean {
  if (filter.outcome && signal.outcome !== filter.outcome) return false;
  const strategy = filter.strategy.trim();
  if (strategy && signal.strategy !== strategy) return false;
  return true;
}

/** The filters kept in the page's address, so a reload shows the same list. */
export function signalFilterFromSearch(search: string): SignalFilter {
  const params = new URLSearchParams(search);
  const outcome = params.get('outcome') ?? '';
  return { outcome: isSignalOutcome(outcome) ? outcome : '', strategy: params.get('strategy') ?? '' };
}

export function signalSearchOf(filter: SignalFilter): string {
  return signalCsvQuery(filter);
}
