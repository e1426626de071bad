import type { AccountPush, AccountStream, LegOutcome, MarketRef, OrderTrade, Position, PositionRow, StreamedOrder, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import { PositionBook } from './position-book.js';
import { DEFAULT_STREAM_TIMING, StreamWatcher, type StreamWatcherTiming } from './stream-watcher.js';

/** How many pushed order changes are kept for orders not followed yet. */
const RECENT_PUSHES = 200;
/** How many orders' fills are remembered, to tell a new fill from one already seen. */
const FILLS_REMEMBERED = 1_000;
/** How many orders' pushed trades are kept for the fills to take (TradeFills, a moment after each leg ends). */
const ORDERS_WITH_TRADES_KEPT = 1_000;
/** How long a position read waits for the push of a fill the account's stream has not brought yet. */
export const FILL_PUSH_WAIT_MS = 200;

type OrderListener = (orders: StreamedOrder[]) => void;

/**
 * What changed on the account, for whoever shows it (the Positions page): its positions (the rows
 * pushed), its balance (pushed as changed, to be read again), or everything after a reconnect, when
 * pushes may have been missed.
 */
export type AccountChange = { kind: 'positions'; rows: PositionRow[] } | { kind: 'balance' } | { kind: 'resynced' };
type ChangeListener = (change: AccountChange) => void;

/**
 * One exchange account's live state (DESIGN.md "Live account state"): its private stream, kept
 * connected from first use until the engine stops, the order changes it pushes (handed to the order
 * follower), and its positions, so that an order reads them without a round trip while the stream is
 * live. Where the stream cannot vouch for them (not live, reconnected, a fill not pushed yet), one
 * REST read does.
 */
export class LiveAccount {
  readonly positions = new PositionBook();
  readonly #watcher: StreamWatcher;
  readonly #listeners = new Set<OrderListener>();
  readonly #changeListeners = new Set<ChangeListener>();
  /** The stream session of the last push: a push in a new one follows a reconnect. */
  #pushedSession: number | null = null;
  /**
   * The latest order pushes: a change can be pushed while its order is still being placed (a Market
   * fill, a Limit that trades at once), before anyone follows it.
   */
  readonly #recent: StreamedOrder[] = [];
  /** Filled amount last seen per order (by exchange id, else client id). */
  readonly #filled = new Map<string, number>();
  /** The trades pushed per order (by exchange id), oldest order first. */
  readonly #trades = new Map<string, OrderTrade[]>();
  /** The stream session in which a read of every position became the state; pushes since keep it whole. */
  #wholeSession: number | null = null;

  constructor(
    readonly stream: AccountStream,
    private readonly log: Logger,
    timing: StreamWatcherTiming = DEFAULT_STREAM_TIMING,
  ) {
    this.#watcher = new StreamWatcher(
      stream,
      (pushes) => this.#pushed(pushes),
      (error, retryInMs) =>
        log.warn('account stream failed; reading by REST until it reconnects', {
          exchange: stream.exchange,
          // the class only: a message may quote a URL holding a listen key
          error: (error as Error)?.constructor?.name ?? 'Error',
          retryInMs,
        }),
      timing,
    );
  }

  /** Connects the stream if it is not (idempotent). */
  start(): void {
    this.#watcher.start();
  }

  stop(): Promise<void> {
    return this.#watcher.stop();
  }

  /** Connected and subscribed: what changes from now on is pushed. */
  get live(): boolean {
    return this.#watcher.live;
  }

  /** Counts the stream's failures: a change in it means pushes may have been missed. */
  get session(): number {
    return this.#watcher.session;
  }

  /** Every order change as it is pushed; returns the unsubscribe. */
  onOrders(listener: OrderListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every change of the account's positions and balance as pushed; returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** The open derivatives positions the stream vouches for now; null while it cannot (not live, or reconnected since). */
  openPositions(): PositionRow[] | null {
    return this.live ? this.positions.open(this.session) : null;
  }

  /**
   * Whether openPositions() holds every open position of the account: a read of them all was made its
   * state while the stream was live, in this session. Otherwise it holds only the symbols pushed or
   * read one by one since.
   */
  get holdsAllPositions(): boolean {
    return this.live && this.#wholeSession === this.session;
  }

  /**
   * Every open position read by REST, made the account's state where nothing was pushed meanwhile,
   * for the Positions page (which opens with one read).
   */
  async readAllPositions(venue: Venue): Promise<PositionRow[]> {
    if (!venue.allPositionRows) return [];
    this.start();
    const session = this.live ? this.session : null;
    const tokens = this.positions.beginAll();
    const rows = await venue.allPositionRows();
    if (session !== null && this.live && this.session === session) {
      this.positions.applyAll(tokens, rows, session);
      this.#wholeSession = session;
    }
    return rows;
  }

  #tell(change: AccountChange): void {
    for (const listener of this.#changeListeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.error('an account change could not be shown', { exchange: this.stream.exchange, error: (error as Error)?.name ?? 'Error' });
      }
    }
  }

  /**
   * The order's trades as this stream pushed them, in this session; null when the stream cannot
   * vouch for having seen them all (not live, or it reconnected since they were pushed).
   */
  pushedTrades(exchangeOrderId: string): OrderTrade[] | null {
    if (!this.live || this.#pushedSession !== this.session) return null;
    return [...(this.#trades.get(exchangeOrderId) ?? [])];
  }

  #keepTrade(exchangeOrderId: string, trade: OrderTrade): void {
    const trades = this.#trades.get(exchangeOrderId);
    if (trades) {
      if (!trades.some((known) => known.tradeId === trade.tradeId)) trades.push(trade);
      return;
    }
    this.#trades.set(exchangeOrderId, [trade]);
    if (this.#trades.size > ORDERS_WITH_TRADES_KEPT) this.#trades.delete(this.#trades.keys().next().value as string);
  }

  /** The newest recent push that `matches` (searched from the newest: no copy per order). */
  latestPush(matches: (pushed: StreamedOrder) => boolean): StreamedOrder | null {
    for (let index = this.#recent.length - 1; index >= 0; index--) {
      const pushed = this.#recent[index] as StreamedOrder;
      if (matches(pushed)) return pushed;
    }
    return null;
  }

  /**
   * An order's state as any part of the engine learnt it (a create's answer, a look-up, a cancel): a
   * fill not seen before means the symbol's position changed, and is not known until a push or a read
   * reflects it.
   */
  sawOrder(symbol: string, order: LegOutcome & { clientOrderId?: string | null }): void {
    const key = order.exchangeOrderId ?? order.clientOrderId ?? null;
    if (key === null || !(order.filled > 0)) return;
    if ((this.#filled.get(key) ?? 0) >= order.filled) return;
    this.#filled.delete(key);
    this.#filled.set(key, order.filled);
    if (this.#filled.size > FILLS_REMEMBERED) this.#filled.delete(this.#filled.keys().next().value as string);
    this.positions.noteFill(symbol, order.updatedAt ?? null);
  }

  /**
   * The position on a derivatives market: from the stream's state while it vouches for it, else one
   * REST read (which then becomes the state, if the stream is live and nothing was pushed meanwhile).
   * Spot and venues without rows read the exchange as they always did.
   */
  async position(venue: Venue, market: MarketRef): Promise<Position> {
    if (market.type === 'spot' || !venue.positionRows) return venue.position(market);
    this.start();
    let mode = venue.positionMode ? await venue.positionMode(market) : 'one-way';
    // Close and SAR are refused in hedge mode: before refusing on a kept answer, ask again (the
    // trader may have switched back, and no answer of a one-way order would say so).
    if (mode === 'hedge' && venue.positionMode) mode = await venue.positionMode(market, true);
    for (let waits = 0; this.live && waits < 2; waits++) {
      const read = this.positions.read(market.symbol, this.session);
      if (read === null) break;
      if ('known' in read) return positionOf(read.known, mode);
      await this.positions.changed(market.symbol, FILL_PUSH_WAIT_MS);
    }
    const session = this.live ? this.session : null;
    const token = this.positions.beginSnapshot(market.symbol);
    const rows = await venue.positionRows(market);
    if (session !== null && this.live && this.session === session) this.positions.applySnapshot(token, rows, session);
    return positionOf(rows, mode);
  }

  #pushed(pushes: AccountPush[]): void {
    const orders: StreamedOrder[] = [];
    const rows: PositionRow[] = [];
    let balance = false;
    if (this.#pushedSession !== null && this.#pushedSession !== this.session) this.#tell({ kind: 'resynced' });
    this.#pushedSession = this.session;
    for (const push of pushes) {
      if (push.kind === 'position') {
        this.positions.applyPush(push.position, this.session);
        rows.push(push.position);
        continue;
      }
      if (push.kind === 'balance') {
        balance = true;
        continue;
      }
      if (push.kind === 'trade') {
        const { exchangeOrderId, ...trade } = push.trade;
        this.#keepTrade(exchangeOrderId, trade);
        continue;
      }
      orders.push(push.order);
      if (push.order.symbol) this.sawOrder(push.order.symbol, push.order);
    }
    if (rows.length > 0) this.#tell({ kind: 'positions', rows });
    if (balance) this.#tell({ kind: 'balance' });
    if (orders.length === 0) return;
    this.#recent.push(...orders);
    if (this.#recent.length > RECENT_PUSHES) this.#recent.splice(0, this.#recent.length - RECENT_PUSHES);
    for (const listener of this.#listeners) {
      // a listener's failure (a journal write) is not the stream's: it must not make the stream reconnect
      try {
        listener(orders);
      } catch (error) {
        this.log.error('a pushed order change could not be taken', { exchange: this.stream.exchange, error: (error as Error)?.name ?? 'Error' });
      }
    }
  }
}

/** The rows of one symbol as the planner takes them: one signed size, and the mode they show. */
export function positionOf(rows: readonly PositionRow[], mode: Position['mode']): Position {
  const hedged = mode === 'hedge' || rows.some((row) => row.side !== 'both');
  return { qty: rows.reduce((sum, row) => sum + row.qty, 0), mode: hedged ? 'hedge' : 'one-way' };
}
