import type { SignalView } from '../../../shared/signal-view.js';
import { matchesSignalFilter, NO_SIGNAL_FILTER, type SignalFilter, sameSignalFilter } from './signal-filter.js';

/**
 * The Signals list: a page from GET /api/signals, with the entries the event stream brings on top.
 * Entries never change once written, so an event only ever adds; newest first by id, each once.
 */
export interface SignalsState {
  filter: SignalFilter;
  signals: SignalView[];
  loading: boolean;
  /** Older entries exist on the server than the list holds. */
  hasMore: boolean;
  error: string | null;
  /** While a first page is on its way: the entries events brought since it was asked for. */
  arrived: SignalView[] | null;
}

export type SignalsAction =
  | { type: 'filter'; filter: SignalFilter }
  | { type: 'loaded'; filter: SignalFilter; signals: SignalView[]; limit: number }
  | { type: 'older'; filter: SignalFilter; signals: SignalView[]; limit: number }
  | { type: 'events'; signals: SignalView[] }
  | { type: 'failed'; filter: SignalFilter; error: string };

/** The list never grows past this many rows through events alone; older ones are a "load more" away. */
export const MAX_SIGNAL_ROWS = 1000;

export const INITIAL_SIGNALS: SignalsState = { filter: NO_SIGNAL_FILTER, signals: [], loading: true, hasMore: false, error: null, arrived: [] };

/** `incoming` merged into a newest-first list: each id once, in its place. */
export function mergeSignals(list: readonly SignalView[], incoming: readonly SignalView[]): SignalView[] {
  if (incoming.length === 0) return list as SignalView[];
  const byId = new Map(list.map((signal) => [signal.id, signal]));
  for (const signal of incoming) byId.set(signal.id, signal);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

export function signalsReducer(state: SignalsState, action: SignalsAction): SignalsState {
  switch (action.type) {
    case 'filter':
      if (sameSignalFilter(state.filter, action.filter) && !state.error) return { ...state, filter: action.filter, loading: true, arrived: [] };
      return { filter: action.filter, signals: [], loading: true, hasMore: false, error: null, arrived: [] };
    case 'loaded': {
      if (!sameSignalFilter(state.filter, action.filter)) return state;
      const hasMore = action.signals.length >= action.limit;
      const oldest = action.signals[action.signals.length - 1];
      // Entries evented while the page was on its way join it, unless older than a full page ("Load older" brings those).
      const arrived = (state.arrived ?? []).filter((signal) => matchesSignalFilter(signal, state.filter) && (!hasMore || !oldest || signal.id > oldest.id));
      return { ...state, signals: mergeSignals(action.signals, arrived), loading: false, error: null, hasMore, arrived: null };
    }
    case 'older':
      if (!sameSignalFilter(state.filter, action.filter)) return state;
      return { ...state, signals: mergeSignals(state.signals, action.signals), loading: false, hasMore: action.signals.length >= action.limit };
    case 'events': {
      if (state.arrived) return { ...state, arrived: [...state.arrived, ...action.signals] };
      const fitting = action.signals.filter((signal) => matchesSignalFilter(signal, state.filter));
      if (fitting.length === 0) return state;
      let signals = mergeSignals(state.signals, fitting);
      let hasMore = state.hasMore;
      if (signals.length > MAX_SIGNAL_ROWS) {
        signals = signals.slice(0, MAX_SIGNAL_ROWS);
        hasMore = true;
      }
      return { ...state, signals, hasMore };
    }
    case 'failed':
      if (!sameSignalFilter(state.filter, action.filter)) return state;
      return { ...state, loading: false, error: action.error };
  }
}
