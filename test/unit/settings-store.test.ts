import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../main/engine/store/database.js';
import { DEFAULT_SETTINGS, SettingsStore } from '../../main/engine/store/settings.js';
import { tempDataDir } from '../support/apisify-process.js';

/** What a next request waits for at least: the event loop's next callback. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two connections to one data dir, as a running server and the CLI have. */
function twoConnections(): [SettingsStore, SettingsStore] {
  const dir = tempDataDir();
  dirs.push(dir);
  const server = openDatabase(dir);
  const cli = openDatabase(dir);
  opened.push(server, cli);
  return [new SettingsStore(server), new SettingsStore(cli)];
}

describe('SettingsStore', () => {
  it('sees its own change at once', () => {
    const [server] = twoConnections();
    expect(server.get().paused).toBe(false);
    server.update({ paused: true, orderWaitMs: 1_000 });
    expect(server.get()).toMatchObject({ paused: true, orderWaitMs: 1_000 });
  });

  it("sees another connection's change on its next read in a later callback (the CLI changing a running server)", async () => {
    const [server, cli] = twoConnections();
    expect(server.get()).toEqual(DEFAULT_SETTINGS);
    cli.update({ paused: true });
    await nextTurn();
    expect(server.get().paused).toBe(true);
    cli.update({ paused: false, duplicateWindowMs: 5_000 });
    await nextTurn();
    expect(server.get()).toMatchObject({ paused: false, duplicateWindowMs: 5_000 });
  });

  it('hands out copies: changing one does not change the stored settings', () => {
    const [server] = twoConnections();
    const first = server.get();
    first.paused = true;
    expect(server.get().paused).toBe(false);
    const updated = server.update({ orderWaitMs: 1_000 });
    updated.orderWaitMs = 7;
    expect(server.get().orderWaitMs).toBe(1_000);
  });
});
