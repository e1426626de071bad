import { uptime } from 'node:os';
import type { Database } from './database.js';

/** Ids reserved ahead of use; a new block is reserved once fewer than half of this are left. */
const BLOCK = 1_000;
/** Boot times read a little apart within one boot (the wall clock is adjusted): a larger gap is a new boot. */
const SAME_BOOT_MS = 5 * 60_000;

/** When this machine booted (ms since the epoch), from its uptime. */
export const bootedAt = (): number => Date.now() - uptime() * 1_000;

/** Journal ids that a run which stopped with the computer may have used without their rows reaching the disk. */
export interface PossiblyLostIds {
  from: number;
  through: number;
}

/**
 * Journal ids are reserved on disk ahead of use, so an order's create need not wait for its own rows'
 * disk sync (journal.ts, sendable()). A killed process loses no committed row (the WAL's pages are in
 * the OS's cache), but a power cut can lose the last few, and without the reservation their ids, and
 * the client order ids derived from them, would be given again: a second order under a client id an
 * exchange already has. The reservation is on disk before any id in it is used; the next run starts
 * past it, unless the last one stopped cleanly and released what it did not use.
 *
 * Ids are the orders table's AUTOINCREMENT: starting past the reservation is raising its sequence.
 */
export class OrderIds {
  readonly #readMeta;
  readonly #writeMeta;
  readonly #maxId;
  readonly #raiseSequence;
  readonly #insertSequence;
  /** Every id up to this one is reserved on disk. */
  #durableThrough: number | null = null;
  /** Written, its sync under way. */
  #extending = false;
  #possiblyLost: PossiblyLostIds | null = null;

  constructor(
    private readonly db: Database,
    /** Resolves once every write made before the call is on disk (the journal's group commit). */
    private readonly durable: () => Promise<void>,
    /** Commits a write without a disk sync (the journal's lazy commit). */
    private readonly lazily: (write: () => void) => void,
    private readonly booted: () => number = bootedAt,
  ) {
    this.#readMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.#writeMeta = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#maxId = db.prepare<[], { id: number | null }>(
      "SELECT max(coalesce((SELECT max(id) FROM orders), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'orders'), 0)) AS id",
    );
    this.#raiseSequence = db.prepare<[number]>("UPDATE sqlite_sequence SET seq = ? WHERE name = 'orders'");
    this.#insertSequence = db.prepare<[number]>("INSERT INTO sqlite_sequence (name, seq) VALUES ('orders', ?)");
  }

  /**
   * Reserves the first block (one disk sync, on the event loop): at start, or before the first order
   * takes its id.
   * Where the last run did not stop cleanly, the next id is past what it had reserved.
   */
  open(): void {
    if (this.#durableThrough !== null) return;
    const used = this.#lastUsed();
    const reserved = Number(this.#readMeta.get('order_ids_reserved_through')?.value ?? used);
    const boot = this.booted();
    const lastBoot = Number(this.#readMeta.get('order_ids_boot')?.value ?? boot);
    if (reserved > used && Math.abs(boot - lastBoot) > SAME_BOOT_MS) this.#possiblyLost = { from: used + 1, through: reserved };
    const start = Math.max(used, reserved);
    const through = start + BLOCK;
    this.db.transaction(() => {
      if (start > used) this.#setSequence(start);
      this.#writeMeta.run('order_ids_reserved_through', String(through));
      this.#writeMeta.run('order_ids_boot', String(Math.round(boot)));
    }).immediate();
    // the connection's commits are synchronous=FULL outside the journal's lazy writes: on disk now
    this.#durableThrough = through;
  }

  /**
   * After an order's row took `id`: keeps the reservation ahead. An id past it (more orders than half a
   * block within one disk sync) is reserved inline, with a sync, before the order can go anywhere.
   */
  used(id: number): void {
    const through = this.#durableThrough;
    if (through === null) throw new Error('journal ids are used before they were reserved (open())');
    if (id > through) {
      this.#writeMeta.run('order_ids_reserved_through', String(id + BLOCK));
      this.#durableThrough = id + BLOCK;
      return;
    }
    if (this.#extending || id <= through - BLOCK / 2) return;
    const next = through + BLOCK;
    this.#extending = true;
    this.lazily(() => this.#writeMeta.run('order_ids_reserved_through', String(next)));
    this.durable().then(
      () => {
        this.#durableThrough = Math.max(this.#durableThrough ?? 0, next);
        this.#extending = false;
      },
      // tried again at the next order; the block still reserved covers it meanwhile
      () => (this.#extending = false),
    );
  }

  /** At a clean stop, after the last order: the next run goes on from the last id used, skipping none. */
  release(): void {
    if (this.#durableThrough === null) return;
    this.#writeMeta.run('order_ids_reserved_through', String(this.#lastUsed()));
    this.#durableThrough = null;
  }

  /** Set when the run before this one stopped with the computer (a power cut, a crash of the OS). */
  possiblyLost(): PossiblyLostIds | null {
    return this.#possiblyLost;
  }

  #lastUsed(): number {
    return this.#maxId.get()?.id ?? 0;
  }

  #setSequence(seq: number): void {
    if (this.#raiseSequence.run(seq).changes === 0) this.#insertSequence.run(seq);
  }
}
