import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_TOKEN_TTL_MS } from '../../main/engine/http/ui-session.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postOrder, postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);
const keytar = require('@github/keytar') as { getPassword(service: string, account: string): Promise<string | null> };

let server: RunningServer;
let key: IssuedKey;

beforeAll(async () => {
  const dataDir = tempDataDir();
  key = await createKey(dataDir);
  server = await startServer(dataDir);
});
afterAll(async () => {
  await server?.stop();
});

describe('the spec sample and a TypeScript client against apisify serve', () => {
  it("the spec's Python sample (aiohttp) places the example order", async () => {
    const script = fileURLToPath(new URL('../fixtures/place_order.py', import.meta.url));
    const { stdout } = await execFileAsync('/usr/bin/python3', [script], {
      env: { ...process.env, APISIFY_URL: server.url, APISIFY_APIKEY: key.apikey, APISIFY_SECRETKEY: key.secret },
    });
    const result = JSON.parse(stdout.trim()) as { status: number; body: { ok: boolean; order: { status: string; dry_run: boolean; plan: string } } };
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, order: { status: 'filled', dry_run: true, plan: 'buy 1' } });
  });

  it('the same request from a TypeScript client', async () => {
    const call = await postSignedOrder(server.url, key, SPEC_EXAMPLE);
    expect(call.status).toBe(200);
    expect(call.body.order?.status).toBe('filled');
  });
});

describe('apisify commands', () => {
  it('serve --json prints the base URL and a UI URL with a one-time token first, good for ten minutes', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.ui).toMatch(new RegExp(`^${server.url}/\\?token=[\\w-]{20,}$`));
    const Database = require('better-sqlite3') as new (path: string, options: { readonly: boolean }) => { prepare(sql: string): { all(): { expires_at: number }[] }; close(): void };
    const sqlite = new Database(join(server.dataDir, 'apisify.sqlite'), { readonly: true });
    const expiries = sqlite.prepare('SELECT expires_at FROM ui_tokens').all().map((row) => row.expires_at - Date.now());
    sqlite.close();
    expect(expiries.length).toBeGreaterThan(0);
    for (const left of expiries) expect(left).toBeLessThanOrEqual(UI_TOKEN_TTL_MS);
    expect(UI_TOKEN_TTL_MS).toBe(10 * 60 * 1000);
  });

  it('keeps the key secret in the real keychain and only a digest and mask in SQLite', async () => {
    const db = readFileSync(join(server.dataDir, 'apisify.sqlite'));
    const wal = (() => {
      try {
        return readFileSync(join(server.dataDir, 'apisify.sqlite-wal'));
      } catch {
        return Buffer.alloc(0);
      }
    })();
    for (const file of [db, wal]) {
      expect(file.includes(key.secret)).toBe(false);
      expect(file.includes(key.apikey)).toBe(false);
    }
    const Database = require('better-sqlite3') as new (path: string, options: { readonly: boolean }) => { prepare(sql: string): { get(): { value: string } } ; close(): void };
    const sqlite = new Database(join(server.dataDir, 'apisify.sqlite'), { readonly: true });
    const install = sqlite.prepare("SELECT value FROM meta WHERE key = 'install_id'").get().value;
    sqlite.close();
    expect(await keytar.getPassword('apisify', `apikey-secret/${install}/${key.id}`)).toBe(key.secret);
  });

  it('serve names a --port or --host it cannot use (exit 2) instead of picking a random port', async () => {
    for (const [args, message] of [
      [['--port', ''], /--port: expected a port number from 0 to 65535, got ""/],
      [['--port', '8x'], /--port: expected a port number/],
      [['--host', ''], /--host: expected an address to listen on/],
    ] as const) {
      const result = await apisify(tempDataDir(), ['serve', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('keys create checks the label and strategy names by the UI\'s rules, naming the option (exit 2, no key made)', async () => {
    const dataDir = tempDataDir();
    for (const [args, message] of [
      [['--label', 'x', '--strategy', ''], /--strategy: expected a non-empty name/],
      [['--label', 'x', '--strategy', 'bad name!'], /--strategy: expected letters, digits, _ \. or -/],
      [['--label', 'a'.repeat(101)], /--label: expected at most 100 characters/],
    ] as const) {
      const result = await apisify(dataDir, ['keys', 'create', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    // Refused before the data dir was opened: not even a database was made.
    expect(existsSync(join(dataDir, 'apisify.sqlite'))).toBe(false);
  });

  it('keys list never shows a secret or a whole key', async () => {
    const listed = await apisify(server.dataDir, ['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('test');
    expect(listed.stdout).not.toContain(key.apikey);
    expect(listed.stdout).not.toContain(key.secret);
  });

  it('a key revoked with the command is refused at once by the running server', async () => {
    const doomed = await createKey(server.dataDir);
    expect((await postSignedOrder(server.url, doomed, SPEC_EXAMPLE)).status).toBe(200);
    const revoked = await apisify(server.dataDir, ['keys', 'revoke', doomed.apikey]);
    expect(revoked.code).toBe(0);
    const refused = await postSignedOrder(server.url, doomed, SPEC_EXAMPLE);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('invalid_apikey');
  });

  it('a TradingView key created with --tradingview may post unsigned', async () => {
    const tv = await createKey(server.dataDir, '--tradingview', '--all-strategies');
    expect(tv.tradingview).toBe(true);
    const call = await postOrder(`${server.url}/v1/order`, { ...SPEC_EXAMPLE, apikey: tv.apikey, memo: 'alert' });
    expect(call.status).toBe(200);
  });

  it('first run created test_strategy in dry-run mode; strategy changes apply to the running server at once', async () => {
    const listed = JSON.parse((await apisify(server.dataDir, ['strategy', 'list', '--json'])).stdout) as { name: string; mode: string; enabled: boolean }[];
    expect(listed).toContainEqual(expect.objectContaining({ name: 'test_strategy', mode: 'dry-run', enabled: true }));

    expect((await apisify(server.dataDir, ['strategy', 'add', 'swing', '--mode', 'dry-run', '--max-qty', '2', '--symbols', 'ETHUSDT', '--exchanges', 'bybit'])).code).toBe(0);
    const swing = { ...SPEC_EXAMPLE, strategy: 'swing', exchange: 'bybit', symbol: 'ETHUSDT' };
    expect((await postSignedOrder(server.url, key, swing)).status).toBe(200);
    expect((await apisify(server.dataDir, ['strategy', 'disable', 'swing'])).code).toBe(0);
    expect((await postSignedOrder(server.url, key, swing)).body.error?.code).toBe('strategy_disabled');
    expect((await apisify(server.dataDir, ['strategy', 'enable', 'swing'])).code).toBe(0);
    expect((await postSignedOrder(server.url, key, swing)).status).toBe(200);
  });

  it('orders --json lists the journal newest first', async () => {
    const result = await apisify(server.dataDir, ['orders', '--json', '--limit', '3']);
    const orders = JSON.parse(result.stdout) as { id: number }[];
    expect(orders).toHaveLength(3);
    expect(orders[0]!.id).toBeGreaterThan(orders[1]!.id);
    expect(result.stdout).not.toContain(key.secret);
  });

  it.each([
    [['strategy', 'add', 'bad', '--mode', 'yolo'], /^apisify: strategy add: --mode: expected live or dry-run/],
    [['strategy', 'add', 'x', '--exchanges', 'kraken'], /^apisify: strategy add: --exchanges: /],
    [['keys', 'create'], /^apisify: keys create: --label is required/],
    [['orders', '--limit', 'lots'], /^apisify: orders: --limit: expected a whole number/],
    [['serve', '--port', '99999'], /^apisify: serve: --port: expected a port number/],
    [['launch'], /^apisify: unknown command 'launch'/],
    [['strategy', 'enable', 'ghost'], /^apisify: strategy enable: no strategy named ghost/],
  ])('apisify %j fails with one clear line', async (args, message) => {
    const result = await apisify(server.dataDir, args);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('secret storage where there is no keychain', () => {
  it('refuses to start without a keychain, saying why and how to fix it', async () => {
    const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', APISIFY_MASTER_PASSWORD: '' };
    const result = await apisify(tempDataDir(), ['keys', 'create', '--label', 'x'], { env: noBus });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/keychain/);
    expect(result.stderr).toMatch(/APISIFY_MASTER_PASSWORD/);
    await expect(startServer(tempDataDir(), [], noBus)).rejects.toThrow(/APISIFY_MASTER_PASSWORD/);
  });

  it('uses an encrypted file with APISIFY_MASTER_PASSWORD, and a served order works with it', async () => {
    const dataDir = tempDataDir();
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', APISIFY_MASTER_PASSWORD: 'correct horse battery' };
    const created = await apisify(dataDir, ['keys', 'create', '--label', 'vps', '--json'], { env });
    expect(created.code).toBe(0);
    const vpsKey = JSON.parse(created.stdout) as IssuedKey;
    const sealed = readFileSync(join(dataDir, 'secrets.enc'), 'utf8');
    expect(sealed).not.toContain(vpsKey.secret);
    const vps = await startServer(dataDir, [], env);
    try {
      expect((await postSignedOrder(vps.url, vpsKey, SPEC_EXAMPLE)).status).toBe(200);
    } finally {
      await vps.stop();
    }
    const wrong = await apisify(dataDir, ['keys', 'list'], { env: { ...env, APISIFY_MASTER_PASSWORD: 'wrong password!' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/does not open/);
  });
});

describe('stopping', () => {
  it('SIGTERM, SIGINT and SIGHUP (a closed terminal) stop the server cleanly with exit code 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const running = await startServer();
      expect(await running.stop(signal)).toBe(0);
    }
  });
});
