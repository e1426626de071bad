import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessRunning } from './process-running.js';

/** In the data dir while an engine uses it. */
export const ENGINE_LOCK_FILE = 'engine.pid';

/** Another engine (pid) holds the data dir: the CLI then talks to it instead of running one itself. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';

  constructor(
    readonly pid: number,
    dataDir: string,
    file: string,
  ) {
    super(`another apisify engine (pid ${pid}) is using the data dir ${dataDir}; stop it first, or give this one another --data-dir (if no apisify runs, delete ${file})`);
  }
}

/**
 * One engine per data dir. A second one (an `apisify serve` beside the desktop app, say) would take
 * the first one's orders under way for orders a crash left behind and settle them, and clear the
 * server address the CLI reads when it stops. The lock is a file holding the engine's pid: a file left
 * by an engine that was killed names a pid that no longer runs, and is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, ENGINE_LOCK_FILE);
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isProcessRunning(holder)) {
      throw new DataDirInUse(holder, dataDir, file);
    }
    // Left by an engine that is gone (or by this process): take it over.
    rmSync(file, { force: true });
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
