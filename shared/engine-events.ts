import type { EngineStatus } from './engine-status.js';
import type { OrderView } from './order-view.js';
import type { BalanceView, PositionView } from './positions-api.js';
import type { SignalView } from './signal-view.js';

/** Everything the engine pushes to its watchers (SSE for the renderer, the tray, notifications). */
export type EngineEvent =
  | { type: 'order'; order: OrderView } // an order was journaled or changed
  | { type: 'status'; status: EngineStatus }
  | { type: 'config'; what: 'strategies' | 'keys' | 'exchanges' | 'settings' }
  | { type: 'signals'; signals: SignalView[] } // new entries of the signal log, oldest first
  // an order's entry filled, but its stop-loss or take-profit could not be placed: the position is unprotected
  | { type: 'protection_failed'; orderId: number; message: string }
  // a live account's open positions now (all of them: the list replaces the account's), or its balances, as pushed
  | { type: 'positions'; exchange: string; account: string; positions: PositionView[] }
  | { type: 'balances'; exchange: string; account: string; balances: BalanceView[] };
