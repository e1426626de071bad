import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import { type Database, DRIVE_FLUSH_PRAGMA } from './database.js';
import { runWalCheckpointWorker, type WalCheckpointWorkerData } from './wal-checkpoint-worker.js';

const require = createRequire(import.meta.url);

/** SQLite's default: what the engine's connection goes back to if the worker fails. */
const SQLITE_AUTOCHECKPOINT_FRAMES = 1000;
/** How long a stopped worker may take to close its connection before it is terminated. */
const STOP_GRACE_MS = 5_000;

export interface WalCheckpointerTuning {
  intervalMs: number;
  checkpointFrames: number;
  restartFrames: number;
}

const DEFAULT_TUNING: WalCheckpointerTuning = {
  intervalMs: 100,
  checkpointFrames: SQLITE_AUTOCHECKPOINT_FRAMES,
  // About 16 MB of 4 KB pages: the most the WAL file grows to under steady load.
  restartFrames: 4 * SQLITE_AUTOCHECKPOINT_FRAMES,
};

/**
 * Checkpoints the engine's WAL from a worker thread. SQLite's automatic checkpoint runs inside
 * whichever commit crosses 1000 frames, on the event loop, and copies pages into the database file
 * and fsyncs it there: the orders that wait behind it see a stall of many milliseconds. The
 * engine's connection turns it off and this worker, with its own connection to the same file,
 * checkpoints instead (see wal-checkpoint-worker.ts for when and how).
 *
 * For the long-running engine only: CLI commands open the database briefly and keep SQLite's own
 * checkpointing. If the worker fails, the engine's connection checkpoints by itself again, so the
 * WAL never grows without bound.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  #stopping = false;
  #fellBack = false;
  /** Settles once the worker has closed its connection and ended. */
  readonly ended: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    tuning: Partial<WalCheckpointerTuning> = {},
  ) {
    const workerData: WalCheckpointWorkerData = {
      file: db.name,
      driveFlushPragma: DRIVE_FLUSH_PRAGMA,
      sqliteModule: require.resolve('better-sqlite3'),
      stop: this.#stop.buffer as SharedArrayBuffer,
      ...DEFAULT_TUNING,
      ...tuning,
    };
    this.#worker = new Worker(`(${runWalCheckpointWorker.toString()})(require('node:worker_threads'), require)`, { eval: true, workerData });
    db.pragma('wal_autocheckpoint = 0');
    // While it runs it never keeps the process alive; close() holds the process until it has closed its connection.
    this.#worker.unref();
    this.#worker.on('error', (error) => this.#fallBack(error.message));
    this.ended = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        if (!this.#stopping) this.#fallBack(`exited with code ${code}`);
        resolve();
      });
    });
  }

  /** Stops the worker without blocking the event loop: it copies the rest of the WAL, closes its connection and ends by itself. */
  close(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    Atomics.store(this.#stop, 0, 1);
    Atomics.notify(this.#stop, 0);
    this.#worker.ref();
    const deadline = setTimeout(() => void this.#worker.terminate(), STOP_GRACE_MS).unref();
    void this.ended.then(() => clearTimeout(deadline));
  }

  #fallBack(reason: string): void {
    if (this.#fellBack) return;
    this.#fellBack = true;
    if (this.#stopping) {
      this.log.warn('WAL checkpointer failed while stopping', { reason });
      return;
    }
    // SQLite's messages name files and statements, never values: nothing secret reaches the log.
    this.log.error('WAL checkpointer failed; the engine connection checkpoints by itself again', { reason });
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_FRAMES}`);
  }
}
