import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../main/engine/store/group-commit.js';

function walFile(): string {
  const wal = join(mkdtempSync(join(tmpdir(), 'apisify-gc-')), 'db.sqlite-wal');
  writeFileSync(wal, 'frames');
  return wal;
}

/** A sync that finishes (or fails) only when the test says, counting the syncs it was asked for. */
function controlledSync() {
  const pending: { fd: number; finish: () => void; fail: (error: Error) => void }[] = [];
  return {
    pending,
    sync: (fd: number) => new Promise<void>((finish, fail) => pending.push({ fd, finish, fail })),
  };
}

/** Whether `promise` has settled once the microtasks queued now have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('GroupCommit', () => {
  it('resolves at once when nothing was written yet (no WAL file)', async () => {
    const commit = new GroupCommit(join(mkdtempSync(join(tmpdir(), 'apisify-gc-')), 'none.sqlite-wal'));
    await expect(commit.durable()).resolves.toBeUndefined();
  });

  it('resolves only once a sync of the WAL file has finished', async () => {
    const { pending, sync } = controlledSync();
    const commit = new GroupCommit(walFile(), sync);
    const durable = commit.durable();
    expect(await settled(durable)).toBe(false);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.fd).toBeGreaterThan(2);
    pending[0]?.finish();
    await expect(durable).resolves.toBeUndefined();
    commit.close();
  });

  it('shares one sync among the callers that arrive while another is under way, and starts it after', async () => {
    const { pending, sync } = controlledSync();
    const commit = new GroupCommit(walFile(), sync);
    const first = commit.durable();
    // These may have written after the first sync began: they wait for the next one, together.
    const second = commit.durable();
    const third = commit.durable();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    expect(pending).toHaveLength(1);

    pending[0]?.finish();
    await first;
    // The first sync's end starts the next one, for the callers that waited; they are not done yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(2);
    expect(await settled(second)).toBe(false);
    pending[1]?.finish();
    await expect(second).resolves.toBeUndefined();
    commit.close();
  });

  it('fails every caller waiting on a sync that fails, so no order is sent; the next caller syncs again', async () => {
    const { pending, sync } = controlledSync();
    const commit = new GroupCommit(walFile(), sync);
    const durable = commit.durable();
    pending[0]?.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(durable).rejects.toThrow(/EIO/);

    const again = commit.durable();
    expect(pending).toHaveLength(2);
    pending[1]?.finish();
    await expect(again).resolves.toBeUndefined();
    commit.close();
  });

  it('syncs with the real fdatasync by default', async () => {
    const commit = new GroupCommit(walFile());
    await expect(commit.durable()).resolves.toBeUndefined();
    commit.close();
  });

  it('fails loudly when the WAL cannot be opened for its sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-gc-'));
    // A directory where the WAL file should be: opening it for writing fails with EISDIR.
    const commit = new GroupCommit(dir);
    await expect(commit.durable()).rejects.toThrow(/EISDIR/);
  });
});
