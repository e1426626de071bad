import type BetterSqlite3 from 'better-sqlite3';
import type * as Fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';

export interface WalCheckpointWorkerData {
  /** The database file the engine has open. */
  file: string;
  /** The pragma that makes SQLite's syncs reach the drive's medium (passed in: an eval'd worker imports nothing). */
  driveFlushPragma: string;
  /** better-sqlite3's entry point, resolved by the main thread: an eval'd worker resolves bare names from the working directory. */
  sqliteModule: string;
  /** One Int32 slot: the main thread sets it to 1 (and notifies) to stop the worker. */
  stop: SharedArrayBuffer;
  intervalMs: number;
  /** Frames waiting in the WAL that make a checkpoint worth its two fsyncs (SQLite's own auto-checkpoint threshold). */
  checkpointFrames: number;
  /** Frames in the WAL after which it is started over from the beginning: what bounds its size under load. */
  restartFrames: number;
}

interface CheckpointResult {
  busy: number;
  /** Frames in the WAL since it was last started over. */
  log: number;
  /** Of those, the frames already copied into the database file. */
  checkpointed: number;
}

/**
 * The checkpointer's thread. It runs from its own source text (wal-checkpointer.ts passes
 * `runWalCheckpointWorker.toString()` to an eval'd Worker), so there is no script file to find in
 * dist/, under vitest's TypeScript sources or inside Electron's asar: everything it uses comes in
 * through its parameters and workerData. It must not refer to anything imported or declared
 * outside its body.
 *
 * Its connection never writes; it only checkpoints. `timeout: 0` means SQLite's busy handler never
 * waits: a checkpoint that finds the engine writing does what it can without it, and the next tick
 * does the rest. The engine's thread therefore never waits for this one, except in the short part of
 * a RESTART/TRUNCATE that holds the write lock (see below).
 *
 * Each tick:
 * - PASSIVE when enough frames wait, or when the engine has written nothing since the last tick
 *   (quiet moments cost nothing). PASSIVE takes no lock that a writer needs and copies only committed
 *   frames, syncing the WAL before it copies and the database file after; only then may SQLite
 *   reuse the WAL's space. Durability is exactly what it was.
 * - RESTART once the WAL holds `restartFrames`: under steady load some commit always lands while a
 *   checkpoint runs, so the engine's writer never finds the WAL fully copied and never starts it over
 *   by itself; without this the file would grow as long as the load lasts. PASSIVE runs first, so the
 *   RESTART (which holds the write lock while it copies what is left) has only a few frames to copy.
 *   If the engine writes too fast for that, a RESTART that waits for the lock bounds the file at
 *   about four times `restartFrames` (the engine then waits a few milliseconds, once).
 * - TRUNCATE when quiet and fully copied, if the file is larger than `checkpointFrames` would make it,
 *   to give the disk space back after a burst. Otherwise the file is reused in place, as SQLite does
 *   by default: appends that grow the file cost more (the journal's fdatasync then writes the file
 *   size too).
 *
 * - On stop, TRUNCATE: the database file then holds everything, whichever connection closes last.
 *
 * A RESTART or TRUNCATE happens only once every frame is in the database file and that file is
 * synced, so no committed write depends on the WAL content it lets SQLite overwrite or cut.
 * RESTART and TRUNCATE keep the same WAL file: SQLite writes it again from its start (RESTART) or
 * ftruncate()s it to zero bytes (TRUNCATE); it deletes the file only when the last connection to the
 * database closes. The journal's GroupCommit keeps a file descriptor on the WAL and fdatasyncs it;
 * that descriptor stays on the live file throughout, because this connection and the engine's are
 * both open while it is used (the engine closes the journal before its connection).
 */
export function runWalCheckpointWorker(threads: typeof WorkerThreads, load: NodeJS.Require): void {
  const data = threads.workerData as WalCheckpointWorkerData;
  const Sqlite = load(data.sqliteModule) as typeof BetterSqlite3;
  const { statSync } = load('node:fs') as typeof Fs;
  const stop = new Int32Array(data.stop);
  const walFile = `${data.file}-wal`;
  const WAL_FRAME_HEADER_BYTES = 24;
  // A RESTART copies what is left under the write lock, where the engine's next commit waits for it:
  // only a few frames, so that the wait stays around a millisecond.
  const RESTART_LEFT_FRAMES = 64;
  const RESTART_ATTEMPTS = 8;
  // The hard bound on the WAL, in restartFrames, and how long the RESTART that enforces it may wait.
  const FORCED_RESTART_FACTOR = 4;
  const FORCED_RESTART_WAIT_MS = 250;
  const FINAL_CHECKPOINT_WAIT_MS = 1_000;

  const checkpointUntilStopped = (db: BetterSqlite3.Database) => {
    // A checkpoint syncs the WAL before copying and the database file after at any level but OFF,
    // and reaches the drive's medium on macOS only with F_FULLFSYNC (database.ts, DRIVE_FLUSH_PRAGMA).
    db.pragma('synchronous = FULL');
    db.pragma(data.driveFlushPragma);
    const checkpoint = (mode: 'NOOP' | 'PASSIVE' | 'RESTART' | 'TRUNCATE') => {
      const statement = db.prepare<[], CheckpointResult>(`PRAGMA wal_checkpoint(${mode})`);
      return (): CheckpointResult => statement.get() as CheckpointResult;
    };
    const look = checkpoint('NOOP');
    const passive = checkpoint('PASSIVE');
    const restart = checkpoint('RESTART');
    const truncate = checkpoint('TRUNCATE');
    const walBytes = () => statSync(walFile, { throwIfNoEntry: false })?.size ?? 0;
    const keepBytes = data.checkpointFrames * ((db.pragma('page_size', { simple: true }) as number) + WAL_FRAME_HEADER_BYTES);

    // Under steady load each PASSIVE leaves behind what the engine wrote while it ran; a few passes
    // make that little. A RESTART that finds the write lock taken, or a reader on the WAL, gives up at
    // once (busy) and the next pass tries again.
    const startOver = () => {
      for (let attempt = 0; attempt < RESTART_ATTEMPTS; attempt++) {
        passive();
        const wal = look();
        if (wal.log - wal.checkpointed <= RESTART_LEFT_FRAMES && restart().busy === 0) return true;
      }
      return false;
    };
    // The engine writes faster than the passes catch up (it does not in practice: each order waits
    // for a disk sync). Bounding the file then costs the engine one longer wait: this RESTART waits for
    // the write lock, and holds it while it copies what is left.
    const startOverAnyway = () => {
      db.pragma(`busy_timeout = ${FORCED_RESTART_WAIT_MS}`);
      try {
        restart();
      } finally {
        db.pragma('busy_timeout = 0');
      }
    };

    let framesLastTick = -1;
    const tick = () => {
      let wal = look();
      const quiet = wal.log === framesLastTick;
      framesLastTick = wal.log;
      const waiting = wal.log - wal.checkpointed;
      if (wal.log >= data.restartFrames) {
        if (!startOver() && wal.log >= data.restartFrames * FORCED_RESTART_FACTOR) startOverAnyway();
        wal = look();
      } else if (waiting >= data.checkpointFrames || (quiet && waiting > 0)) wal = passive();
      if (quiet && wal.log === wal.checkpointed && walBytes() > keepBytes) truncate();
    };

    while (Atomics.wait(stop, 0, 0, data.intervalMs) === 'timed-out') {
      try {
        tick();
      } catch (error) {
        // Another connection held a lock SQLite could not wait for (timeout 0): try again next tick.
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
      }
    }

    // Stopped: the engine has made its last write. The connection that closes last normally copies
    // the WAL and deletes it, but the engine's and this one close at about the same time and then
    // neither is last; copy everything now, so the database file is complete either way.
    db.pragma(`busy_timeout = ${FINAL_CHECKPOINT_WAIT_MS}`);
    truncate();
  };

  try {
    const db = new Sqlite(data.file, { fileMustExist: true, timeout: 0 });
    try {
      checkpointUntilStopped(db);
    } finally {
      db.close();
    }
  } catch (error) {
    // better-sqlite3's SqliteError reaches the main thread's 'error' event as its code alone; an Error keeps the message.
    const { code, message } = error as { code?: unknown; message?: unknown };
    throw new Error(code === undefined ? String(message) : `${String(code)}: ${String(message)}`);
  }
}
