import type { Database } from './database.js';
import { bootedSince, machineBoot, type MachineBoot, type RunBoot } from './machine-boot.js';

/** Ids reserved ahead of use; a new block is reserved once fewer than half of this are left. */
const BLOCK = 1_000;
const RESERVED = 'order_ids_reserved_through';
const BOOT = 'order_ids_boot';
const LOST = 'order_ids_possibly_lost';

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
  readonly #raiseReservation;
  readonly #lowerReservation;
  readonly #writeMeta;
  readonly #deleteMeta;
  readonly #maxId;
  readonly #raiseSequence;
  readonly #insertSequence;
  /** Every id up to this one is reserved on disk. */
  #durableThrough: number | null = null;
  /** The highest reservation this object wrote: released only while it is still the one on disk. */
  #wroteThrough = 0;
  /** Written, its sync under way. */
  #extending = false;
  #released = false;

  constructor(
    private readonly db: Database,
    /** Resolves once every write made before the call is on disk (the journal's group commit). */
    private readonly durable: () => Promise<void>,
    /** Commits a write without a disk sync (the journal's lazy commit). */
    private readonly lazily: (write: () => void) => void,
    private readonly boot: () => MachineBoot = machineBoot,
  ) {
    this.#readMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    // never lowered by a write that raises: another Journal on the same file may have reserved further
    this.#raiseReservation = db.prepare<[string]>(
      `INSERT INTO meta (key, value) VALUES ('${RESERVED}', ?)
       ON CONFLICT (key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)`,
    );
    this.#lowerReservation = db.prepare<[string, string]>(`UPDATE meta SET value = ? WHERE key = '${RESERVED}' AND value = ?`);
    this.#writeMeta = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#deleteMeta = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
    this.#maxId = db.prepare<[], { id: number | null }>(
      "SELECT max(coalesce((SELECT max(id) FROM orders), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'orders'), 0)) AS id",
    );
    this.#raiseSequence = db.prepare<[number]>("UPDATE sqlite_sequence SET seq = ? WHERE name = 'orders'");
    this.#insertSequence = db.prepare<[number]>("INSERT INTO sqlite_sequence (name, seq) VALUES ('orders', ?)");
  }

  /**
   * Reserves the first block (one disk sync, on the event loop): at start, or before the first order
   * takes its id. Where the last run did not stop cleanly, the next id is past what it had reserved;
   * where it did not stop cleanly on an earlier boot of the machine, its last rows may be lost, which
   * is kept (possiblyLost()) until a run of the engine has shown it and stopped cleanly.
   */
  open(): void {
    if (this.#durableThrough !== null || this.#released) return;
    const used = this.#lastUsed();
    const reserved = Number(this.#readMeta.get(RESERVED)?.value ?? used);
    const boot = this.boot();
    const lastRun = this.#readMeta.get(BOOT)?.value;
    const rebooted = lastRun !== undefined && bootedSince(JSON.parse(lastRun) as RunBoot, boot);
    const lost = reserved > used && rebooted ? { from: used + 1, through: reserved } : null;
    const start = Math.max(used, reserved);
    const through = start + BLOCK;
    this.db.transaction(() => {
      if (start > used) this.#setSequence(start);
      this.#raiseReservation.run(String(through));
      this.#writeMeta.run(BOOT, JSON.stringify({ id: boot.id, openedAt: Date.now() } satisfies RunBoot));
      if (lost) {
        // an earlier loss not yet shown keeps its first id
        const before = this.possiblyLost();
        this.#writeMeta.run(LOST, JSON.stringify(before ? { from: Math.min(before.from, lost.from), through: lost.through } : lost));
      }
    }).immediate();
    // the connection's commits are synchronous=FULL outside the journal's lazy writes: on disk now
    this.#durableThrough = through;
    this.#wroteThrough = through;
  }

  /**
   * After an order's row took \`id\`: keeps the reservation ahead. An id past it (more orders than half a
   * block within one disk sync) is reserved inline, with a sync, before the order can go anywhere.
   */
  used(id: number): void {
    const through = this.#durableThrough;
    if (through === null) throw new Error('journal ids are used before they were reserved (open())');
    if (id > through) {
      this.#raiseReservation.run(String(id + BLOCK));
      this.#durableThrough = this.#wroteThrough = id + BLOCK;
      return;
    }
    if (this.#extending || id <= through - BLOCK / 2) return;
    const next = through + BLOCK;
    this.#extending = true;
    this.lazily(() => this.#raiseReservation.run(String(next)));
    this.#wroteThrough = Math.max(this.#wroteThrough, next);
    this.durable().then(
      () => {
        this.#extending = false;
        if (this.#durableThrough !== null) this.#durableThrough = Math.max(this.#durableThrough, next);
      },
      // tried again at the next order; the block still reserved covers it meanwhile
      () => (this.#extending = false),
    );
  }

  /**
   * At a clean stop, after the last order: the next run goes on from the last id used, skipping none.
   * Only while the reservation on disk is still this object's own; a failed write leaves it, which is
   * safe (the next run merely skips the ids).
   */
  release(): void {
    if (this.#durableThrough === null || this.#released) return;
    this.#released = true;
    this.#durableThrough = null;
    try {
      this.#lowerReservation.run(String(this.#lastUsed()), String(this.#wroteThrough));
    } catch {
      // the disk failing at the stop: the reservation stays on disk, and the next run starts past it
    }
  }

  /** Set when a run stopped with the computer (a power cut, a crash of the system): kept until clearPossiblyLost(). */
  possiblyLost(): PossiblyLostIds | null {
    const value = this.#readMeta.get(LOST)?.value;
    return value === undefined ? null : (JSON.parse(value) as PossiblyLostIds);
  }

  /** Once a run of the engine showed possiblyLost() in its status and stopped cleanly. */
  clearPossiblyLost(): void {
    this.#deleteMeta.run(LOST);
  }

  #lastUsed(): number {
    return this.#maxId.get()?.id ?? 0;
  }

  #setSequence(seq: number): void {
    if (this.#raiseSequence.run(seq).changes === 0) this.#insertSequence.run(seq);
  }
}
