import type { Database } from './database.js';

/**
 * When what this connection last read may have changed. The stores that are read on every request
 * (settings, API keys, strategies, exchange accounts) cache their rows at a stamp and read them again
 * once it moves. It moves when:
 * - another connection (the CLI, another process) committed: SQLite's `PRAGMA data_version` changes;
 * - a store wrote through this connection (`wrote()`): SQLite leaves data_version alone for those.
 *
 * The PRAGMA costs as much as the reads it spares, so it is read at most once per macrotask: a value read
 * in one callback is as current as reading it again there, since no request can reach this process until
 * the callback and its promise jobs are done. The memo is dropped once the promise jobs queued meanwhile
 * have run (a microtask that schedules a process.nextTick, which Node runs only after the promise queue is
 * empty); Node drains both queues before libuv runs the next callback, so a request read from a socket
 * later always reads the PRAGMA again. (setImmediate would keep the memo across every callback of the
 * loop's turn, timers' and sockets' alike: a request arriving after a timer read it could see a key the
 * CLI revoked in between.)
 */
export class DataVersion {
  readonly #read;
  #memoized = false;
  #lastVersion = -1;
  #stamp = 0;
  readonly #expire = () => {
    this.#memoized = false;
  };
  readonly #expireAfterPromiseJobs = () => process.nextTick(this.#expire);

  constructor(private readonly db: Database) {
    this.#read = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /**
   * The stamp to cache a read at, or null inside a transaction of this connection: what it reads may
   * still be rolled back, and a rollback moves no stamp.
   */
  stamp(): number | null {
    if (this.db.inTransaction) return null;
    if (!this.#memoized) {
      const version = this.#read.get() as number;
      if (version !== this.#lastVersion) {
        this.#lastVersion = version;
        this.#stamp += 1;
      }
      this.#memoized = true;
      queueMicrotask(this.#expireAfterPromiseJobs);
    }
    return this.#stamp;
  }

  /** Called after every write to a cached table through this connection, whichever store made it. */
  wrote(): void {
    this.#stamp += 1;
  }
}

const byConnection = new WeakMap<Database, DataVersion>();

/** One per connection, shared by its stores, so a write through one drops what the others cached. */
export function dataVersionOf(db: Database): DataVersion {
  let version = byConnection.get(db);
  if (!version) {
    version = new DataVersion(db);
    byConnection.set(db, version);
  }
  return version;
}

/** Unknown keys (a flood of made-up API keys) cannot grow a cache past this; it starts over instead. */
const MAX_ENTRIES = 1024;

/**
 * Values read at one stamp of a connection, dropped when it moves. A value is never undefined: a row
 * that does not exist is cached as null, so a refused key is not read again on every request.
 */
export class StampedCache<K, V extends object | null> {
  readonly #version: DataVersion;
  readonly #entries = new Map<K, V>();
  #stamp: number | null = null;

  constructor(db: Database) {
    this.#version = dataVersionOf(db);
  }

  get(key: K, read: (key: K) => V): V {
    const stamp = this.#version.stamp();
    if (stamp === null) return read(key);
    if (stamp !== this.#stamp) {
      this.#entries.clear();
      this.#stamp = stamp;
    }
    const cached = this.#entries.get(key);
    if (cached !== undefined) return cached;
    const value = read(key);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }

  /** After a write through this connection: every cache of the connection reads again. */
  wrote(): void {
    this.#version.wrote();
  }
}
