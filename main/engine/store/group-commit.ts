import { open } from 'node:fs/promises';

/**
 * Group commit for the journal. Its writes commit without waiting for the disk; `durable()` resolves
 * once every write made before the call is on disk: one fdatasync of the WAL file, run off the event
 * loop and shared by every order that asked while the previous one was under way. SQLite with
 * synchronous=FULL does the same fdatasync, but on the event loop and once per commit.
 */
export class GroupCommit {
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  constructor(private readonly walPath: string) {}

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

  #next(): Promise<void> {
    this.#queued = null;
    return this.durable();
  }

  async #sync(): Promise<void> {
    let file;
    try {
      // Read-write: Windows flushes only handles opened for writing. Nothing is written through it.
      file = await open(this.walPath, 'r+');
    } catch (error) {
      // No WAL file: every commit was checkpointed into the database file, which SQLite synced.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      await file.datasync();
    } finally {
      await file.close();
    }
  }
}
