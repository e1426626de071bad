import type BetterSqlite3 from 'better-sqlite3';
import type { ExchangeOrderView, LegRole, OrderError, OrderProtection, OrderSizing, OrderSource, OrderStatus, OrderView } from '../../../shared/order-view.js';
import type { Database } from './database.js';
import { Fills } from './fills.js';
import { GroupCommit } from './group-commit.js';
import { machineBoot, type MachineBoot } from './machine-boot.js';
import { OrderIds, type PossiblyLostIds } from './order-ids.js';
import { PROTECTIVE_LEGS_SQL } from './protective-legs.js';

/**
 * The order journal: one row per accepted request, committed before anything reaches an exchange
 * (on disk by the time the order is answered), then brought up to date as the order goes on.
 * Rejected requests never get a row here.
 */
export interface NewJournalEntry {
  source: OrderSource;
  apiKeyId: number | null;
  strategy: string;
  exchange: string;
  /** The exchange account it goes to (`default` unless named); dry runs keep the strategy's. */
  account: string;
  symbol: string;
  side: string;
  intent: string;
  orderType: 'market' | 'limit';
  qty: string | null;
  price: string | null;
  memo: string | null;
  dryRun: boolean;
  /** The market the order is placed on: where it is looked up again later. */
  market: { symbol: string; type: 'swap' | 'spot' };
  request: Record<string, unknown>;
  bodyDigest: string | null;
  /** A signed order's signature digest (auth/signature.ts): the insert fails with SpentSignatureError if an order already used it. */
  signatureDigest?: string | null;
}

/** The journal already holds an order accepted with this signature: the request is a replay. */
export class SpentSignatureError extends Error {
  override readonly name = 'SpentSignatureError';
  constructor() {
    super('an order was already accepted with this signature');
  }
}

export interface NewLeg {
  leg: number;
  clientOrderId: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: string;
  price: string | null;
  reduceOnly: boolean;
  /** Absent: an entry. */
  role?: LegRole;
  triggerPrice?: string | null;
}

/** How the order was shaped, written with its plan. */
export interface PlanShaping {
  sizing: OrderSizing | null;
  protection: OrderProtection | null;
  /** The signed position the plan started from, as decimal text; null where the order read none, or in hedge mode. */
  positionBefore: string | null;
}

/** Where protective legs are in force: a live exchange account, or a dry run's book (its strategy's, on an exchange). */
export type ProtectiveBook = { dryRun: false; exchange: string; account: string } | { dryRun: true; exchange: string; strategy: string };

/** An order's book: a dry run's positions are its strategy's own, whichever account its orders named; a live order's, its account's. */
export function protectiveBookOf(order: { dryRun: boolean; exchange: string; strategy: string; account: string }): ProtectiveBook {
  return order.dryRun ? { dryRun: true, exchange: order.exchange, strategy: order.strategy } : { dryRun: false, exchange: order.exchange, account: order.account };
}

/** A protective leg still in force, with what is needed to cancel it. */
export interface OpenProtectiveLeg {
  orderId: number;
  leg: number;
  role: Exclude<LegRole, 'entry'>;
  clientOrderId: string;
  exchangeOrderId: string | null;
  strategy: string;
  /** The side it closes with: a sell guards a long, a buy a short. */
  side: 'buy' | 'sell';
  triggerPrice: string | null;
  status: OrderStatus;
}

export type LegUpdate = Partial<Pick<ExchangeOrderView, 'exchangeOrderId' | 'status' | 'filled' | 'averagePrice' | 'fee' | 'feeCurrency' | 'sentAt' | 'answeredAt' | 'error'>>;

export interface OrderQuery {
  limit?: number;
  beforeId?: number;
  strategy?: string;
  exchange?: string;
  account?: string;
  status?: OrderStatus;
  text?: string;
}

interface OrderRow {
  id: number;
  received_at: string;
  updated_at: string;
  source: OrderSource;
  api_key_label: string | null;
  strategy: string;
  exchange: string;
  account: string;
  symbol: string;
  side: string;
  order_type: 'market' | 'limit';
  qty: string | null;
  price: string | null;
  memo: string | null;
  dry_run: number;
  status: OrderStatus;
  plan: string | null;
  error_code: string | null;
  error_message: string | null;
  error_field: string | null;
  request_json: string;
  market_symbol: string | null;
  market_type: 'swap' | 'spot' | null;
  sizing_json: string | null;
  protection_json: string | null;
  position_before: string | null;
}

interface LegRow {
  order_id: number;
  leg: number;
  client_order_id: string;
  exchange_order_id: string | null;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: string;
  price: string | null;
  reduce_only: number;
  status: OrderStatus;
  filled: string;
  average_price: string | null;
  fee: string | null;
  fee_currency: string | null;
  sent_at: string | null;
  answered_at: string | null;
  error: string | null;
  role: LegRole;
  trigger_price: string | null;
}

const LEG_COLUMNS: Record<keyof LegUpdate, string> = {
  exchangeOrderId: 'exchange_order_id',
  status: 'status',
  filled: 'filled',
  averagePrice: 'average_price',
  fee: 'fee',
  feeCurrency: 'fee_currency',
  sentAt: 'sent_at',
  answeredAt: 'answered_at',
  error: 'error',
};

/** Far under SQLite's limit on a statement's parameters (32,766). */
const LEGS_READ_PER_QUERY = 500;

const ORDER_SELECT = `SELECT o.*, k.label AS api_key_label FROM orders o LEFT JOIN api_keys k ON k.id = o.api_key_id`;

function toLeg(row: LegRow): ExchangeOrderView {
  return {
    leg: row.leg,
    role: row.role,
    triggerPrice: row.trigger_price,
    clientOrderId: row.client_order_id,
    exchangeOrderId: row.exchange_order_id,
    side: row.side,
    type: row.type,
    amount: row.amount,
    price: row.price,
    reduceOnly: row.reduce_only === 1,
    status: row.status,
    filled: row.filled,
    averagePrice: row.average_price,
    fee: row.fee,
    feeCurrency: row.fee_currency,
    sentAt: row.sent_at,
    answeredAt: row.answered_at,
    error: row.error,
  };
}

export class Journal {
  // Prepared once: preparing costs more than running these small statements, several times per order.
  readonly #insertOrder;
  readonly #findSignature;
  readonly #selectOrder;
  readonly #selectLegs;
  readonly #insertLeg;
  readonly #setPlan;
  readonly #selectPositionBefore;
  readonly #setStatus;
  readonly #findByDigest;
  readonly #countSince;
  readonly #strategyCountSince;
  readonly #strategyLastAt;
  readonly #latest;
  /** One UPDATE per set of leg columns written, prepared on first use. */
  readonly #legUpdates = new Map<string, BetterSqlite3.Statement>();
  readonly #planTransaction;
  readonly #openProtective;
  readonly #openDryRunProtective;
  readonly #wantCancel;
  readonly #cancelsWanted;
  readonly #isCancelWanted;
  readonly #oneCommit;
  readonly #legWithOrder;
  /** Every fill of every leg, written with the leg's totals (PnL reads them). */
  readonly fills: Fills;
  readonly #groupCommit;
  readonly #commitLazily;
  readonly #commitDurably;
  readonly #ids;
  /** The last disk sync failed: creates wait for one that succeeds (sendable()). */
  #diskFailing = false;

  /** `boot`: this boot of the machine; tests give another to play a power cut. */
  constructor(
    private readonly db: Database,
    boot: () => MachineBoot = machineBoot,
  ) {
    this.#groupCommit = new GroupCommit(`${db.name}-wal`);
    this.#commitLazily = db.prepare('PRAGMA synchronous = NORMAL');
    this.#commitDurably = db.prepare('PRAGMA synchronous = FULL');
    this.#insertOrder = db.prepare(
      `INSERT INTO orders (received_at, updated_at, source, api_key_id, strategy, exchange, account, symbol, side, intent, order_type, qty, price, memo, dry_run, status, request_json, body_digest, market_symbol, market_type, signature_digest)
       VALUES (@now, @now, @source, @apiKeyId, @strategy, @exchange, @account, @symbol, @side, @intent, @orderType, @qty, @price, @memo, @dryRun, 'received', @request, @bodyDigest, @marketSymbol, @marketType, @signatureDigest)`,
    );
    this.#findSignature = db.prepare<[string], { id: number }>('SELECT id FROM orders WHERE signature_digest = ?');
    this.#selectOrder = db.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`);
    this.#selectLegs = db.prepare<[number], LegRow>('SELECT * FROM order_legs WHERE order_id = ? ORDER BY leg');
    this.#insertLeg = db.prepare<[number, number, string, string, string, string, string | null, number, LegRole, string | null]>(
      `INSERT INTO order_legs (order_id, leg, client_order_id, side, type, amount, price, reduce_only, status, role, trigger_price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)`,
    );
    this.#setPlan = db.prepare<[string, OrderStatus, string | null, string | null, string | null, string, number]>(
      'UPDATE orders SET plan = ?, status = ?, sizing_json = ?, protection_json = ?, position_before = ?, updated_at = ? WHERE id = ?',
    );
    this.#selectPositionBefore = db.prepare<[number], { position_before: string | null }>('SELECT position_before FROM orders WHERE id = ?');
    this.#setStatus = db.prepare<[OrderStatus, string | null, string | null, string | null, string, number]>(
      'UPDATE orders SET status = ?, error_code = ?, error_message = ?, error_field = ?, updated_at = ? WHERE id = ?',
    );
    this.#findByDigest = db.prepare<[string, string], { id: number }>('SELECT id FROM orders WHERE body_digest = ? AND received_at >= ? ORDER BY id LIMIT 1');
    this.#countSince = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM orders WHERE received_at >= ?');
    // from the first order received since then (ids grow as orders are received), found by the
    // received_at index: min(id) of that range would walk the primary key from the journal's start
    this.#strategyCountSince = db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM orders WHERE strategy = ? AND id >= (SELECT id FROM orders INDEXED BY orders_by_received WHERE received_at >= ? ORDER BY received_at, id LIMIT 1)',
    );
    this.#strategyLastAt = db.prepare<[string], { at: string }>('SELECT received_at AS at FROM orders WHERE strategy = ? ORDER BY id DESC LIMIT 1');
    this.#latest = db.prepare<[], OrderRow>(`${ORDER_SELECT} ORDER BY o.id DESC LIMIT 1`);
    this.#planTransaction = db.transaction((orderId: number, planText: string, legs: NewLeg[], status: OrderStatus, shaping: PlanShaping | null) => {
      this.#insertLegs(orderId, legs);
      this.#setPlan.run(planText, status, shaping?.sizing ? JSON.stringify(shaping.sizing) : null, shaping?.protection ? JSON.stringify(shaping.protection) : null, shaping?.positionBefore ?? null, new Date().toISOString(), orderId);
    });
    this.#openProtective = db.prepare<[string, string, string], LegRow & { strategy: string }>(PROTECTIVE_LEGS_SQL.ofAccount);
    this.#openDryRunProtective = db.prepare<[string, string, string], LegRow & { strategy: string }>(PROTECTIVE_LEGS_SQL.ofDryRun);
    this.#wantCancel = db.prepare<[string, number, number]>('UPDATE order_legs SET cancel_wanted_at = ? WHERE order_id = ? AND leg = ? AND cancel_wanted_at IS NULL');
    this.#isCancelWanted = db.prepare<[number, number], { leg: number }>('SELECT leg FROM order_legs WHERE order_id = ? AND leg = ? AND cancel_wanted_at IS NOT NULL');
    this.#cancelsWanted = db.prepare<[], LegRow & { strategy: string }>(PROTECTIVE_LEGS_SQL.cancelWanted);
    this.#oneCommit = db.transaction((writes: () => void) => writes());
    this.#legWithOrder = db.prepare<[number, number], LegRow & Pick<OrderRow, 'strategy' | 'exchange' | 'account' | 'dry_run' | 'market_symbol' | 'market_type' | 'symbol'>>(
      'SELECT l.*, o.strategy, o.exchange, o.account, o.dry_run, o.market_symbol, o.market_type, o.symbol FROM order_legs l JOIN orders o ON o.id = l.order_id WHERE l.order_id = ? AND l.leg = ?',
    );
    this.fills = new Fills(db, (write) => this.#lazily(write));
    this.#ids = new OrderIds(db, () => this.durable(), (write) => this.#lazily(write), boot);
  }

  /** Reserves journal ids on disk (order-ids.ts) before the first order, so that it need not. */
  openForOrders(): void {
    this.#ids.open();
  }

  /** Journal ids the run before this one may have used without their rows reaching the disk (it stopped with the computer). */
  possiblyLostIds(): PossiblyLostIds | null {
    return this.#ids.possiblyLost();
  }

  /** Once a run of the engine has shown possiblyLostIds() in its status, at its clean stop. */
  clearPossiblyLostIds(): void {
    this.#ids.clearPossiblyLost();
  }

  /**
   * Resolves once every journal write made before the call is on disk. The journal's writes commit
   * at once (other connections see them) but wait for no disk; the order pipeline starts this as a
   * create leaves (sendable()) and awaits it before it answers, and concurrent orders share one sync.
   */
  durable(): Promise<void> {
    return this.#groupCommit.durable();
  }

  /**
   * What a create waits for before it leaves, and the disk sync of everything written so far. While
   * the disk keeps up, `ready` is at once: the order's rows are committed (a killed process loses none),
   * their journal ids reserved on disk, and the sync runs beside the create; the answer waits for
   * `onDisk`. Once a sync has failed, `ready` is the next sync, so nothing leaves while the disk fails.
   */
  sendable(): { ready: Promise<void>; onDisk: Promise<void> } {
    const failing = this.#diskFailing;
    const onDisk = this.durable();
    onDisk.then(
      () => (this.#diskFailing = false),
      () => (this.#diskFailing = true),
    );
    return { ready: failing ? onDisk : Promise.resolve(), onDisk };
  }

  /** Whether the last disk sync before a create failed (the engine's status says so). */
  diskFailing(): boolean {
    return this.#diskFailing;
  }

  /** At a clean stop, before the database closes. */
  close(): void {
    this.#ids.release();
    this.#groupCommit.close();
  }

  /** Every other writer on this connection keeps synchronous=FULL. */
  #lazily<T>(write: () => T): T {
    // SQLite refuses to change the setting inside a transaction; the write then commits with it.
    if (this.db.inTransaction) return write();
    this.#commitLazily.run();
    try {
      return write();
    } finally {
      this.#commitDurably.run();
    }
  }

  /**
   * Several journal writes as one commit: each commit appends every page it touched to the WAL, so
   * writes that always follow each other (a plan and its first leg sent, a last leg answered and the
   * order's status) cost one append, not two.
   */
  inOneCommit(writes: () => void): void {
    this.#lazily(() => this.#oneCommit.immediate(writes));
  }

  /**
   * The first write: returns the journal id that every client order id derives from. Durable after
   * durable(). The row and its signature are one INSERT, so a signature is spent exactly when its
   * order is recorded; a second order with it is refused by the unique index (SpentSignatureError).
   */
  record(entry: NewJournalEntry): number {
    const { market, ...fields } = entry;
    this.#ids.open();
    let info: BetterSqlite3.RunResult;
    try {
      info = this.#lazily(() =>
        this.#insertOrder.run({
          ...fields,
          signatureDigest: entry.signatureDigest ?? null,
          marketSymbol: market.symbol,
          marketType: market.type,
          now: new Date().toISOString(),
          dryRun: entry.dryRun ? 1 : 0,
          request: JSON.stringify(entry.request),
        }),
      );
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('signature_digest')) throw new SpentSignatureError();
      throw error;
    }
    const id = Number(info.lastInsertRowid);
    this.#ids.used(id);
    return id;
  }

  /** Whether an order was already accepted with this signature digest, in this run or any before. */
  hasSignature(signatureDigest: string): boolean {
    return this.#findSignature.get(signatureDigest) !== undefined;
  }

  /** Writes the plan, how the order was shaped, and its legs in one transaction, before the first leg is sent. */
  plan(orderId: number, planText: string, legs: NewLeg[], status: OrderStatus, shaping: PlanShaping | null = null): void {
    this.#lazily(() => this.#planTransaction.immediate(orderId, planText, legs, status, shaping));
  }

  /** The signed position the order's plan started from; null where it read none, in hedge mode, or before the journal kept it. */
  positionBefore(orderId: number): number | null {
    const text = this.#selectPositionBefore.get(orderId)?.position_before ?? null;
    return text === null ? null : Number(text);
  }

  /** Legs planned after the first ones (an entry's protective orders, once it filled), before they are sent. */
  addLegs(orderId: number, legs: NewLeg[]): void {
    this.#lazily(() => this.#oneCommit.immediate(() => this.#insertLegs(orderId, legs)));
  }

  #insertLegs(orderId: number, legs: NewLeg[]): void {
    for (const leg of legs) this.#insertLeg.run(orderId, leg.leg, leg.clientOrderId, leg.side, leg.type, leg.amount, leg.price, leg.reduceOnly ? 1 : 0, leg.role ?? 'entry', leg.triggerPrice ?? null);
  }

  /**
   * The protective legs still in force on one market, oldest first: of one live exchange account, or
   * of one dry run, whose simulated book is its strategy's on the exchange whichever account its
   * orders named.
   */
  openProtectiveLegs(book: ProtectiveBook, marketSymbol: string): OpenProtectiveLeg[] {
    const rows = book.dryRun ? this.#openDryRunProtective.all(book.exchange, book.strategy, marketSymbol) : this.#openProtective.all(book.exchange, book.account, marketSymbol);
    return rows.map((row) => ({
      orderId: row.order_id,
      leg: row.leg,
      role: row.role as OpenProtectiveLeg['role'],
      clientOrderId: row.client_order_id,
      exchangeOrderId: row.exchange_order_id,
      strategy: row.strategy,
      side: row.side as OpenProtectiveLeg['side'],
      triggerPrice: row.trigger_price,
      status: row.status,
    }));
  }

  /** Marks a protective leg as one to cancel, until it has ended (cancelsWanted). */
  wantCancel(orderId: number, leg: number): void {
    this.#lazily(() => this.#wantCancel.run(new Date().toISOString(), orderId, leg));
  }

  /** Whether apisify decided to cancel this leg (wantCancel). */
  isCancelWanted(orderId: number, leg: number): boolean {
    return this.#isCancelWanted.get(orderId, leg) !== undefined;
  }

  /** Protective legs marked to cancel and still in force: their cancel failed, or never ran (a restart). */
  cancelsWanted(): { orderId: number; leg: number; exchangeOrderId: string | null }[] {
    return this.#cancelsWanted.all().map((row) => ({ orderId: row.order_id, leg: row.leg, exchangeOrderId: row.exchange_order_id }));
  }

  updateLeg(orderId: number, leg: number, update: LegUpdate): void {
    const entries = Object.entries(update).filter(([, value]) => value !== undefined) as [keyof LegUpdate, string | null][];
    if (entries.length === 0) return;
    const sets = entries.map(([key]) => `${LEG_COLUMNS[key]} = ?`).join(', ');
    let statement = this.#legUpdates.get(sets);
    if (!statement) {
      statement = this.db.prepare(`UPDATE order_legs SET ${sets} WHERE order_id = ? AND leg = ?`);
      this.#legUpdates.set(sets, statement);
    }
    const prepared = statement;
    const values = entries.map(([, value]) => value);
    if (update.filled === undefined) {
      this.#lazily(() => prepared.run(...values, orderId, leg));
      return;
    }
    // a fill is journaled with the leg's new totals, in the same commit: PnL never misses one.
    // IMMEDIATE: the commit reads before it writes, and a read lock SQLite must upgrade while the
    // checkpointer holds the WAL fails at once (database is locked) instead of waiting its turn.
    this.#lazily(() =>
      this.#oneCommit.immediate(() => {
        const before = this.#legWithOrder.get(orderId, leg);
        prepared.run(...values, orderId, leg);
        if (!before) return;
        const after = { filled: update.filled as string, averagePrice: update.averagePrice !== undefined ? update.averagePrice : before.average_price, fee: update.fee !== undefined ? update.fee : before.fee, feeCurrency: update.feeCurrency !== undefined ? update.feeCurrency : before.fee_currency };
        this.fills.recordProgress(
          { orderId, leg, strategy: before.strategy, exchange: before.exchange, account: before.account, dryRun: before.dry_run === 1, marketSymbol: before.market_symbol ?? before.symbol, marketType: before.market_type ?? 'swap', side: before.side },
          { filled: before.filled, averagePrice: before.average_price, fee: before.fee, feeCurrency: before.fee_currency },
          after,
          update.answeredAt ?? new Date().toISOString(),
        );
      }),
    );
  }

  setStatus(orderId: number, status: OrderStatus, error: OrderError | null = null): void {
    this.#lazily(() => this.#setStatus.run(status, error?.code ?? null, error?.message ?? null, error?.field ?? null, new Date().toISOString(), orderId));
  }

  get(orderId: number): OrderView | null {
    const row = this.#selectOrder.get(orderId);
    return row ? this.#toView(row) : null;
  }

  list(query: OrderQuery = {}): OrderView[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.beforeId !== undefined) (where.push('o.id < ?'), params.push(query.beforeId));
    if (query.strategy) (where.push('o.strategy = ?'), params.push(query.strategy));
    if (query.exchange) (where.push('o.exchange = ?'), params.push(query.exchange));
    if (query.account) (where.push('o.account = ?'), params.push(query.account));
    if (query.status) (where.push('o.status = ?'), params.push(query.status));
    if (query.text) {
      where.push("(o.symbol LIKE ? ESCAPE '\\' OR o.memo LIKE ? ESCAPE '\\' OR o.strategy LIKE ? ESCAPE '\\' OR o.side LIKE ? ESCAPE '\\')");
      const like = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like, like);
    }
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const sql = `${ORDER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id DESC LIMIT ${limit}`;
    return this.#toViews(this.db.prepare<(string | number)[], OrderRow>(sql).all(...params));
  }

  /** An earlier accepted order with the same body, for TradingView's resends. */
  findRecentByDigest(digest: string, sinceIso: string): number | null {
    const row = this.#findByDigest.get(digest, sinceIso);
    return row?.id ?? null;
  }

  countSince(sinceIso: string): number {
    return this.#countSince.get(sinceIso)?.n ?? 0;
  }

  /**
   * A strategy's orders received since `sinceIso` and when its last arrived, for the Strategies list
   * (reloaded while orders stream in): read from the (strategy, id) index, not the journal.
   */
  activityOf(strategy: string, sinceIso: string): { since: number; lastAt: string | null } {
    return { since: this.#strategyCountSince.get(strategy, sinceIso)?.n ?? 0, lastAt: this.#strategyLastAt.get(strategy)?.at ?? null };
  }

  latest(): OrderView | null {
    const row = this.#latest.get();
    return row ? this.#toView(row) : null;
  }

  /**
   * Orders a crash may have left half-way: journaled or sent, but never given a final status, or
   * whose protective legs are still in force (an entry filled long ago, its stop-loss still resting),
   * or a protected entry that filled (in part before it was cancelled, too) with no protective leg yet.
   */
  unfinished(): OrderView[] {
    return this.#toViews(
      this.db
        .prepare<[], OrderRow>(
          `${ORDER_SELECT} WHERE o.status IN ('received', 'submitted', 'open', 'partially_filled')
              OR EXISTS (SELECT 1 FROM order_legs l WHERE l.order_id = o.id AND l.role != 'entry' AND l.status IN ('received', 'submitted', 'open', 'partially_filled'))
              OR (json_extract(o.protection_json, '$.style') = 'conditional' AND (o.error_code IS NULL OR o.error_code != 'protection_failed')
                  AND (o.status = 'filled' OR (o.status = 'cancelled' AND EXISTS (SELECT 1 FROM order_legs l WHERE l.order_id = o.id AND l.role = 'entry' AND CAST(l.filled AS REAL) > 0)))
                  AND NOT EXISTS (SELECT 1 FROM order_legs l WHERE l.order_id = o.id AND l.role != 'entry'))
            ORDER BY o.id`,
        )
        .all(),
    );
  }

  /** Many orders' views with one read of their legs per 500 orders, not one per order (the UI lists 100 at a time). */
  #toViews(rows: OrderRow[]): OrderView[] {
    const byOrder = new Map<number, LegRow[]>();
    for (let start = 0; start < rows.length; start += LEGS_READ_PER_QUERY) {
      const ids = rows.slice(start, start + LEGS_READ_PER_QUERY).map((row) => row.id);
      const legs = this.db.prepare<number[], LegRow>(`SELECT * FROM order_legs WHERE order_id IN (${ids.map(() => '?').join(', ')}) ORDER BY order_id, leg`).all(...ids);
      for (const leg of legs) {
        const ofOrder = byOrder.get(leg.order_id);
        if (ofOrder) ofOrder.push(leg);
        else byOrder.set(leg.order_id, [leg]);
      }
    }
    return rows.map((row) => this.#toView(row, byOrder.get(row.id) ?? []));
  }

  #toView(row: OrderRow, legs: LegRow[] = this.#selectLegs.all(row.id)): OrderView {
    return {
      id: row.id,
      receivedAt: row.received_at,
      updatedAt: row.updated_at,
      source: row.source,
      apiKeyLabel: row.api_key_label,
      strategy: row.strategy,
      exchange: row.exchange,
      account: row.account,
      symbol: row.symbol,
      side: row.side,
      orderType: row.order_type,
      qty: row.qty,
      price: row.price,
      memo: row.memo,
      dryRun: row.dry_run === 1,
      market: row.market_symbol !== null && row.market_type !== null ? { symbol: row.market_symbol, type: row.market_type } : null,
      status: row.status,
      plan: row.plan,
      sizing: row.sizing_json ? (JSON.parse(row.sizing_json) as OrderSizing) : null,
      protection: row.protection_json ? (JSON.parse(row.protection_json) as OrderProtection) : null,
      legs: legs.map(toLeg),
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '', ...(row.error_field ? { field: row.error_field } : {}) } : null,
      request: JSON.parse(row.request_json) as Record<string, unknown>,
    };
  }
}
