import { closeSync, fdatasync, openSync } from 'node:fs';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/** Flushes a file's data to the disk; resolves once it is there. */
export type SyncFile = (fd: number) => Promise<void>;

/**
 * Group commit for the journal. Its writes commit without waiting for the disk; `durable()` resolves
 * once every write made before the call is on disk: one fdatasync of the WAL file, run off the event
 * loop and shared by every order that asked while the previous one was under way. SQLite with
 * synchronous=FULL does the same fdatasync, but on the event loop and once per commit. On macOS
 * libuv's fdatasync is F_FULLFSYNC, so "on disk" means on the drive's medium there too.
 *
 * The WAL file stays open: SQLite keeps the same file for as long as any connection is open, and
 * this one's is (close() before the database).
 */
export class GroupCommit {
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  /** `sync` is fdatasync except in tests, which need a sync that waits or fails when they say. */
  constructor(
    private readonly walPath: string,
    private readonly sync: SyncFile = fdatasyncAsync,
  ) {}

  durable(): Promise<void> {
    if (this.#running === null) {
      this.#running = this.#sync().finally(() => {
        this.#running = null;
      });
      return this.#running;
    }
    // The sync under way may have started before this caller's writes: it needs the next one.
    this.#queued ??= this.#running.then(
      () => this.#next(),
      () => this.#next(),
    );
    return this.#queued;
  }

  close(): void {
    const fd = this.#fd;
    this.#fd = null;
    if (fd === null) return;
    if (this.#running) void this.#running.catch(() => undefined).finally(() => closeSync(fd));
    else closeSync(fd);
  }

  #next(): Promise<void> {
    this.#queued = null;
    return this.durable();
  }

  async #sync(): Promise<void> {
    if (this.#fd === null) {
      try {
        // Read-write: Windows flushes only handles opened for writing. Nothing is written through it.
        this.#fd = openSync(this.walPath, 'r+');
      } catch (error) {
        // No WAL file yet: nothing was written since the database was opened.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
    }
    await this.sync(this.#fd);
  }
}
