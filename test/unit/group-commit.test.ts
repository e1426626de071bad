import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../main/engine/store/group-commit.js';

describe('GroupCommit', () => {
  it('resolves at once when nothing was written yet (no WAL file)', async () => {
    const commit = new GroupCommit(join(mkdtempSync(join(tmpdir(), 'apisify-gc-')), 'none.sqlite-wal'));
    await expect(commit.durable()).resolves.toBeUndefined();
  });

  it('shares one sync among the callers that arrive while another is under way', async () => {
    const wal = join(mkdtempSync(join(tmpdir(), 'apisify-gc-')), 'db.sqlite-wal');
    writeFileSync(wal, 'frames');
    const commit = new GroupCommit(wal);
    const first = commit.durable();
    // These may have written after the first sync began: they wait for the next one, together.
    const second = commit.durable();
    const third = commit.durable();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    const settled: string[] = [];
    await Promise.all([first.then(() => settled.push('first')), second.then(() => settled.push('second'))]);
    expect(settled).toEqual(['first', 'second']);
    commit.close();
  });

  it('fails loudly when the WAL cannot be synced, so the order is not sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apisify-gc-'));
    // A directory where the WAL file should be: opening it for writing fails with EISDIR.
    const commit = new GroupCommit(dir);
    await expect(commit.durable()).rejects.toThrow(/EISDIR/);
  });
});
