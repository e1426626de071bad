import type { PositionRow } from '../exchanges/venue.js';

/**
 * One account's derivatives positions as its private stream and its REST reads tell them, per symbol,
 * so that a Close, a SAR or a target plans from what the account holds without asking the exchange.
 *
 * A symbol's positions are known for the stream's current session once a REST read taken while it was
 * live, or a push, has brought them (pushes are whole rows, not deltas). They stop being known when
 * the session ends (the stream failed: pushes may have been missed), and while a fill of the account's
 * own order has been seen that no push or read since reflects: that fill's time is the exchange's,
 * and a row pushed at or after it (FILL_STAMP_TOLERANCE_MS) includes it. A fill whose time the exchange did not give leaves the
 * symbol unknown until the next read. A read is applied only if nothing was pushed for the symbol
 * while it was under way, since a push is never older than what a read in flight returns.
 */
interface SymbolState {
  rows: Map<PositionRow['side'], PositionRow>;
  /** The session in which the rows were last brought up to date; null: not since the last doubt. */
  session: number | null;
  /** Bumped by every push, fill and applied read: a read started before a change is stale. */
  version: number;
  /** The exchange's time of the newest row applied. */
  newest: number;
  /** A fill at this exchange time that no row applied since reflects; null: none waiting. */
  awaitedFill: number | null;
  waiters: Set<() => void>;
}

/**
 * How much earlier than the order's own time the exchange may stamp the position row of the same fill:
 * both stamp the one matching step, the position first (the fake's books, and Bybit's, update the
 * position before the order). A row older than that is about an earlier change.
 */
export const FILL_STAMP_TOLERANCE_MS = 50;

export type PositionsRead = { known: PositionRow[] } | { awaitingFill: true } | null;

/** Where a read began: applySnapshot() uses it to tell whether anything came meanwhile. */
export interface SnapshotToken {
  symbol: string;
  version: number;
}

export class PositionBook {
  readonly #symbols = new Map<string, SymbolState>();

  /** The symbol's positions if they are known for `session`; `awaitingFill` while a fill's push is due. */
  read(symbol: string, session: number): PositionsRead {
    const state = this.#symbols.get(symbol);
    if (!state || state.session !== session) return null;
    if (state.awaitedFill !== null) return { awaitingFill: true };
    return { known: [...state.rows.values()] };
  }

  /** Every row known for `session` (the Positions page): open ones only. */
  open(session: number): PositionRow[] {
    const rows: PositionRow[] = [];
    for (const state of this.#symbols.values()) {
      if (state.session !== session) continue;
      for (const row of state.rows.values()) if (row.qty !== 0) rows.push(row);
    }
    return rows;
  }

  /** Where a read of every symbol began: each known symbol's version now. */
  beginAll(): Map<string, number> {
    return new Map([...this.#symbols.entries()].map(([symbol, state]) => [symbol, state.version]));
  }

  /**
   * A REST read of every open position, begun at `tokens`: each symbol it holds, and each known one it
   * leaves out (flat), becomes known for `session` unless something changed it meanwhile.
   */
  applyAll(tokens: ReadonlyMap<string, number>, rows: readonly PositionRow[], session: number): void {
    const symbols = new Set([...tokens.keys(), ...rows.map((row) => row.symbol)]);
    for (const symbol of symbols) {
      this.applySnapshot({ symbol, version: tokens.get(symbol) ?? 0 }, rows.filter((row) => row.symbol === symbol), session);
    }
  }

  beginSnapshot(symbol: string): SnapshotToken {
    return { symbol, version: this.#state(symbol).version };
  }

  /** A REST read's rows for the symbol, begun at `token`; ignored if a push or a fill came since. */
  applySnapshot(token: SnapshotToken, rows: readonly PositionRow[], session: number): boolean {
    const state = this.#state(token.symbol);
    if (state.version !== token.version) return false;
    state.rows = new Map(rows.filter((row) => row.symbol === token.symbol).map((row) => [row.side, row]));
    // A flat one-way symbol may come back with no row at all (Binance lists open positions only).
    if (state.rows.size === 0) state.rows.set('both', flatRow(token.symbol));
    for (const row of state.rows.values()) if (row.updatedAt !== null) state.newest = Math.max(state.newest, row.updatedAt);
    // begun after the fill was seen, so the exchange answered with it
    state.awaitedFill = null;
    state.session = session;
    this.#changed(state);
    return true;
  }

  /** A pushed row; one older than the row already held for its slot is dropped. */
  applyPush(row: PositionRow, session: number): void {
    const state = this.#state(row.symbol);
    const held = state.rows.get(row.side);
    if (held && held.updatedAt !== null && row.updatedAt !== null && row.updatedAt < held.updatedAt && state.session === session) return;
    if (state.session !== session) {
      // Known anew only from a whole picture: a one-way row is one; a hedge row leaves the other side unknown.
      state.rows.clear();
      state.session = row.side === 'both' ? session : state.session;
    }
    state.rows.set(row.side, row);
    if (row.updatedAt !== null) {
      state.newest = Math.max(state.newest, row.updatedAt);
      if (state.awaitedFill !== null && state.newest >= state.awaitedFill) state.awaitedFill = null;
    }
    // A hedge-mode row says what matters (the mode); Close and SAR are refused in hedge mode.
    if (row.side !== 'both') state.session = session;
    this.#changed(state);
  }

  /** The account's own order on `symbol` filled (more) at the exchange's time `at` (null: it did not say). */
  noteFill(symbol: string, at: number | null): void {
    const state = this.#state(symbol);
    if (at === null) {
      state.session = null;
    } else if (at - FILL_STAMP_TOLERANCE_MS > state.newest) {
      state.awaitedFill = Math.max(state.awaitedFill ?? 0, at - FILL_STAMP_TOLERANCE_MS);
    } else {
      return;
    }
    this.#changed(state);
  }

  /** Resolves at the symbol's next change, or after `ms`. */
  changed(symbol: string, ms: number): Promise<void> {
    const state = this.#state(symbol);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        state.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      state.waiters.add(done);
    });
  }

  #state(symbol: string): SymbolState {
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { rows: new Map(), session: null, version: 0, newest: -Infinity, awaitedFill: null, waiters: new Set() };
      this.#symbols.set(symbol, state);
    }
    return state;
  }

  #changed(state: SymbolState): void {
    state.version += 1;
    for (const waiter of [...state.waiters]) waiter();
  }
}

function flatRow(symbol: string): PositionRow {
  return { symbol, side: 'both', qty: 0, entryPrice: null, markPrice: null, unrealizedPnl: null, leverage: null, marginMode: null, liquidationPrice: null, updatedAt: null };
}
