import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_LOCK_FILE } from '../../main/engine/data-dir-lock.js';
import { startServer, tempDataDir } from '../support/apisify-process.js';

describe('one engine per data dir', () => {
  it('refuses a second engine on a data dir in use, saying which; takes over the lock a killed one left; frees it on stop', async () => {
    const dataDir = tempDataDir();
    const lock = join(dataDir, ENGINE_LOCK_FILE);
    const first = await startServer(dataDir);
    try {
      expect(readFileSync(lock, 'utf8')).toBe(String(first.process.pid));
      const refused = await startServer(dataDir).then(
        async (second) => {
          await second.stop();
          return null;
        },
        (error: Error) => error.message,
      );
      expect(refused).toMatch(new RegExp(`another apisify engine \\(pid ${first.process.pid}\\) is using the data dir`));
      // The first one is untouched and still answers.
      expect((await fetch(`${first.url}/v1/order`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    } finally {
      // Killed outright: its lock stays behind, naming a pid that no longer runs.
      await first.stop('SIGKILL');
    }
    expect(existsSync(lock)).toBe(true);
    const next = await startServer(dataDir);
    expect(readFileSync(lock, 'utf8')).toBe(String(next.process.pid));
    expect(await next.stop()).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
