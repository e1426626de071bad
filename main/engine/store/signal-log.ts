import type { OrderSource } from '../../../shared/order-view.js';
import type { SignalOutcome, SignalView } from '../../../shared/signal-view.js';
import type { Logger } from '../log.js';
import type { Database } from './database.js';

/** A signal to write; its outcome follows from whether it placed (or repeated) an order. */
export type NewSignal = Omit<SignalView, 'id' | 'outcome' | 'count'>;

export interface SignalQuery {
  limit?: number;
  beforeId?: number;
  outcome?: SignalOutcome;
  strategy?: string;
}

interface SignalRow {
  id: number;
  at: string;
  outcome: SignalOutcome;
  source: OrderSource | null;
  key_label: string | null;
  apikey_masked: string | null;
  remote_address: string | null;
  strategy: string | null;
  exchange: string | null;
  symbol: string | null;
  side: string | null;
  order_type: string | null;
  qty: string | null;
  price: string | null;
  status: number;
  code: string;
  field: string | null;
  message: string | null;
  order_id: number | null;
  count: number;
}

export interface SignalLogOptions {
  /**
   * How a batch of writes commits. The engine passes the journal's inOneCommit: no disk sync of its
   * own, durable with the journal's next group sync or checkpoint. Default: a plain transaction.
   */
  commit?: (writes: () => void) => void;
  /** Told of every entry once it is written, oldest first (the engine publishes them as an event). */
  onWritten?: (signals: SignalView[]) => void;
  /** How long an accepted request's entry may wait to be written with others. */
  batchMs?: number;
  /** The window over which rate-limit refusals from one sender are counted into one entry. */
  countWindowMs?: number;
  /** Where a write that failed is reported. */
  log?: Logger;
}

/** Accepted entries waiting for their batch: a flood of orders costs one commit per batch, not one each. */
const BATCH_MAX = 256;
/** Distinct senders counted per window; the rest share one entry, so a flood from many addresses stays a few rows. */
const COUNTED_SENDERS_MAX = 100;

interface Tally {
  signal: Omit<NewSignal, 'orderId'>;
  count: number;
  firstAt: string;
}

function toView(row: SignalRow): SignalView {
  return {
    id: row.id,
    at: row.at,
    outcome: row.outcome,
    source: row.source,
    keyLabel: row.key_label,
    apikeyMasked: row.apikey_masked,
    clientAddress: row.remote_address,
    strategy: row.strategy,
    exchange: row.exchange,
    symbol: row.symbol,
    side: row.side,
    orderType: row.order_type,
    qty: row.qty,
    price: row.price,
    status: row.status,
    code: row.code,
    field: row.field,
    message: row.message,
    orderId: row.order_id,
    count: row.count,
  };
}

/**
 * The signal log (migration 10): every request that reached the order endpoint or the manual confirm.
 * A refusal is written at once (with whatever accepted entries wait, so ids keep the order of the
 * answers); an accepted request's entry waits up to `batchMs` for others, so the order path pays no
 * commit, and never a disk sync, of its own. A rate-limit refusal is only counted: one entry per
 * sender per window says how many there were.
 */
export class SignalLog {
  readonly #insert;
  readonly #prune;
  readonly #commit: (writes: () => void) => void;
  readonly #onWritten: (signals: SignalView[]) => void;
  readonly #batchMs: number;
  readonly #countWindowMs: number;
  readonly #log: Logger | undefined;
  #pending: (NewSignal & { count?: number })[] = [];
  #batchTimer: NodeJS.Timeout | null = null;
  readonly #tallies = new Map<string, Tally>();
  #tallyTimer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database, options: SignalLogOptions = {}) {
    this.#insert = db.prepare(
      `INSERT INTO signals (at, outcome, source, key_label, apikey_masked, remote_address, strategy, exchange, symbol, side, order_type, qty, price, status, code, field, message, order_id, count)
       VALUES (@at, @outcome, @source, @keyLabel, @apikeyMasked, @clientAddress, @strategy, @exchange, @symbol, @side, @orderType, @qty, @price, @status, @code, @field, @message, @orderId, @count)`,
    );
    this.#prune = db.prepare<[string, number]>('DELETE FROM signals WHERE id IN (SELECT id FROM signals WHERE at < ? ORDER BY id LIMIT ?)');
    const transaction = db.transaction((writes: () => void) => writes());
    this.#commit = options.commit ?? ((writes) => transaction.immediate(writes));
    this.#onWritten = options.onWritten ?? (() => undefined);
    this.#batchMs = options.batchMs ?? 100;
    this.#countWindowMs = options.countWindowMs ?? 10_000;
    this.#log = options.log;
  }

  /** A refused request: written now, so it is in the log by the time its answer leaves. */
  recordRefusal(signal: Omit<NewSignal, 'orderId'>): void {
    this.#pending.push({ ...signal, orderId: null });
    this.flush();
  }

  /** An accepted request (orderId set): written with the next batch, at most `batchMs` from now. */
  recordAccepted(signal: NewSignal & { orderId: number }): void {
    this.#pending.push(signal);
    if (this.#pending.length >= BATCH_MAX) {
      this.flush();
      return;
    }
    if (!this.#batchTimer) {
      this.#batchTimer = setTimeout(() => this.flush(), this.#batchMs);
      this.#batchTimer.unref();
    }
  }

  /**
   * A rate-limit refusal: counted, never written one by one. When the window ends, one entry per
   * sender (key or address) says how many there were and what the last one asked.
   */
  countRateLimited(signal: Omit<NewSignal, 'orderId'>): void {
    let sender = `${signal.apikeyMasked ?? ''}\u0000${signal.clientAddress ?? ''}`;
    if (!this.#tallies.has(sender) && this.#tallies.size >= COUNTED_SENDERS_MAX) sender = 'others';
    const tally = this.#tallies.get(sender);
    if (tally) {
      tally.count += 1;
      tally.signal = sender === 'others' ? { ...signal, apikeyMasked: null, clientAddress: null, keyLabel: null, source: null } : signal;
    } else {
      this.#tallies.set(sender, { signal, count: 1, firstAt: signal.at });
    }
    if (!this.#tallyTimer) {
      this.#tallyTimer = setTimeout(() => this.writeCounts(), this.#countWindowMs);
      this.#tallyTimer.unref();
    }
  }

  /** Writes what waits, in one commit, and tells of it. Returns what it wrote. */
  flush(): SignalView[] {
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    this.#batchTimer = null;
    const batch = this.#pending;
    if (batch.length === 0) return [];
    this.#pending = [];
    const written: SignalView[] = [];
    try {
      this.#commit(() => {
        for (const signal of batch) {
          const outcome: SignalOutcome = signal.orderId === null ? 'refused' : 'accepted';
          const count = signal.count ?? 1;
          const info = this.#insert.run({ ...signal, outcome, count });
          written.push({ ...signal, id: Number(info.lastInsertRowid), outcome, count });
        }
      });
    } catch (error) {
      // The log is not the journal: a write it cannot make (a full disk, say) must not fail an answer or stop the engine.
      this.#log?.warn('signal log entries could not be written; they are lost', { entries: batch.length, error: (error as Error)?.message ?? String(error) });
      return [];
    }
    this.#onWritten(written);
    return written;
  }

  /** Newest first, paged by id like the journal. */
  list(query: SignalQuery = {}): SignalView[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.beforeId !== undefined) (where.push('id < ?'), params.push(query.beforeId));
    if (query.outcome) (where.push('outcome = ?'), params.push(query.outcome));
    if (query.strategy) (where.push('strategy = ?'), params.push(query.strategy));
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const sql = `SELECT * FROM signals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
    return this.db.prepare<(string | number)[], SignalRow>(sql).all(...params).map(toView);
  }

  /** Deletes up to `batch` entries older than `beforeIso`, oldest first; returns how many went. */
  pruneOlderThan(beforeIso: string, batch = 500): number {
    return this.#prune.run(beforeIso, batch).changes;
  }

  /** Before the database closes: the counts of the open window and the waiting entries are written. */
  close(): void {
    this.writeCounts();
    this.flush();
  }

  /** Ends the counting window now: one entry per sender counted since it began. */
  writeCounts(): void {
    if (this.#tallyTimer) clearTimeout(this.#tallyTimer);
    this.#tallyTimer = null;
    if (this.#tallies.size === 0) return;
    const tallies = [...this.#tallies.values()];
    this.#tallies.clear();
    for (const { signal, count, firstAt } of tallies) {
      const message = count === 1 ? signal.message : `${count} requests refused by the rate limit from ${firstAt} to ${signal.at}; the last: ${signal.message ?? ''}`;
      this.#pending.push({ ...signal, orderId: null, message, count });
    }
    this.flush();
  }
}
