import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { apisify, createKey, startServer, tempDataDir } from '../support/apisify-process.js';
import { postOrder, signatureFor, SPEC_EXAMPLE } from '../support/signed-order.js';

const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;

/**
 * The spec's signature covers the timestamp and the URL, so the same signed bytes sent again within
 * the window are a replay. Whoever captured them (a proxy log, a shared terminal) must not get a
 * second order by waiting for a restart, or for the window to be raised.
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function ordersIn(dataDir: string): { id: number; status: string }[] {
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM orders ORDER BY id').all() as { id: number; status: string }[];
  } finally {
    db.close();
  }
}

describe('a signed order sent again', () => {
  it('after the server was killed and restarted is refused as a replay, and placed once', async () => {
    const dataDir = tempDataDir();
    const key = await createKey(dataDir);
    const port = await freePort();
    // The same port both times: the signature covers the URL.
    const args = ['--port', String(port), '--tunnel-port', '0'];
    const url = `http://127.0.0.1:${port}/v1/order`;
    const timestamp = Date.now();
    const body = JSON.stringify({ ...SPEC_EXAMPLE, apikey: key.apikey, timestamp, sign: signatureFor(key.secret, timestamp, url) });

    const first = await startServer(dataDir, args);
    const placed = await postOrder(url, body);
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
    expect(await first.stop('SIGKILL')).toBeNull();

    const second = await startServer(dataDir, args);
    try {
      const again = await postOrder(url, body);
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'replayed_request', field: 'sign' });
      // In capitals it is the same signature.
      const shouted = await postOrder(url, body.replace(/"sign":"([0-9a-f]+)"/, (_match, hex: string) => `"sign":"${hex.toUpperCase()}"`));
      expect(shouted.status).toBe(409);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    expect(ordersIn(dataDir)).toHaveLength(1);
  });

  it('once the window is raised past the signature\'s age is still refused (spent for good, not for one window)', async () => {
    const dataDir = tempDataDir();
    const key = await createKey(dataDir);
    const server = await startServer(dataDir);
    try {
      const url = `${server.url}/v1/order`;
      // Signed 26 s ago: inside the default ±30 s window, and out of it a few seconds from now.
      const timestamp = Date.now() - 26_000;
      const body = JSON.stringify({ ...SPEC_EXAMPLE, apikey: key.apikey, timestamp, sign: signatureFor(key.secret, timestamp, url) });
      expect((await postOrder(url, body)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      // Now 31 s old: outside the window it was accepted in. The user raises the window to 5 minutes.
      const raised = await apisify(dataDir, ['settings', 'set', 'signatureWindowMs', '300000']);
      expect(raised.code, raised.stderr).toBe(0);
      const again = await postOrder(url, body);
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.error?.code).toBe('replayed_request');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(ordersIn(dataDir)).toHaveLength(1);
  });
});
