// The floor the journal's durability sets under every create: an order's rows are synced to the disk
// before its create leaves (docs/decisions.md, group commit). Measured on the data dir's own disk, as
// the journal syncs: about an order's pages appended to a file, then one fdatasync off the event loop.

import { closeSync, fdatasync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile } from './stats.js';

const sync = promisify(fdatasync);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** SQLite's WAL frame: a 24-byte header and a 4 KiB page. */
const FRAME_BYTES = 24 + 4096;
/** About what an order journals before its create: its row, its plan and its leg, with their indexes. */
const FRAMES_PER_SYNC = 9;
/** Reused in place, as the engine's WAL is between checkpoints: no sync pays for the file growing. */
const FILE_BYTES = 4 * 1024 * 1024;

export interface DiskSync {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

export async function measureDiskSync(dir: string, samples = 200): Promise<DiskSync> {
  const path = join(dir, 'bench-disk-sync');
  const fd = openSync(path, 'w');
  const times: number[] = [];
  try {
    writeSync(fd, Buffer.alloc(FILE_BYTES));
    await sync(fd);
    const frame = Buffer.alloc(FRAME_BYTES, 1);
    let offset = 0;
    for (let index = 0; index < samples; index++) {
      for (let frameIndex = 0; frameIndex < FRAMES_PER_SYNC; frameIndex++) {
        if (offset + FRAME_BYTES > FILE_BYTES) offset = 0;
        writeSync(fd, frame, 0, FRAME_BYTES, offset);
        offset += FRAME_BYTES;
      }
      const started = performance.now();
      await sync(fd);
      times.push(performance.now() - started);
      await sleep(10);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return { samples: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}
