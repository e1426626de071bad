import { defaultAccountOf } from '../../shared/account-names.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKeys } from '../../main/engine/auth/api-keys.js';
import { ExchangeAccounts } from '../../main/engine/exchanges/accounts.js';
import { EncryptedFileStore } from '../../main/engine/secrets/encrypted-file-store.js';
import { dataVersionOf } from '../../main/engine/store/data-version.js';
import { type Database, openDatabase } from '../../main/engine/store/database.js';
import { installId } from '../../main/engine/store/install-id.js';
import { SettingsStore } from '../../main/engine/store/settings.js';
import { Strategies, type StrategyInput } from '../../main/engine/store/strategies.js';
import { tempDataDir } from '../support/apisify-process.js';

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What a next request waits for at least: the event loop's next callback. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One data dir opened twice, as a running server and the CLI do: two connections, one secrets file. */
function serverAndCli(): { dir: string; server: Database; cli: Database } {
  const dir = tempDataDir();
  dirs.push(dir);
  const server = openDatabase(dir);
  const cli = openDatabase(dir);
  opened.push(server, cli);
  return { dir, server, cli };
}

function secretsOf(dir: string): EncryptedFileStore {
  return EncryptedFileStore.open(join(dir, 'secrets.enc'), 'a long test password');
}

const SWING: StrategyInput = { name: 'swing', mode: 'dry-run', marketType: 'swap', maxQty: 5, symbols: ['BTCUSDT'], exchanges: ['bybit'] };

describe('DataVersion: one PRAGMA data_version per callback, per connection', () => {
  it("keeps one reading for the rest of a callback and reads again in the next one, after another connection's commit", async () => {
    const { server, cli } = serverAndCli();
    const version = dataVersionOf(server);
    const before = version.stamp();
    new SettingsStore(cli).update({ paused: true });
    expect(version.stamp()).toBe(before);
    await Promise.resolve();
    expect(version.stamp()).toBe(before);
    await nextTurn();
    expect(version.stamp()).not.toBe(before);
  });

  it('reads again in every later callback, even one of the same timers phase', async () => {
    const { server, cli } = serverAndCli();
    const version = dataVersionOf(server);
    const cliSettings = new SettingsStore(cli);
    const stamps = await new Promise<[number | null, number | null]>((resolve) => {
      let first: number | null = null;
      setTimeout(() => {
        first = version.stamp();
        cliSettings.update({ paused: true });
      }, 0);
      setTimeout(() => resolve([first, version.stamp()]), 0);
    });
    expect(stamps[0]).not.toBeNull();
    expect(stamps[1]).not.toBe(stamps[0]);
  });

  it('is shared by the stores of one connection: a write through one is seen at once by another instance', () => {
    const { server } = serverAndCli();
    const first = new Strategies(server);
    const second = new Strategies(server);
    first.add(SWING);
    expect(second.find('swing')?.enabled).toBe(true);
    first.update('swing', { enabled: false });
    expect(second.find('swing')?.enabled).toBe(false);
  });

  it('caches nothing read inside a transaction, which may still be rolled back', () => {
    const { server } = serverAndCli();
    const strategies = new Strategies(server);
    expect(strategies.find('swing')).toBeNull();
    expect(() =>
      server.transaction(() => {
        strategies.add(SWING);
        expect(strategies.find('swing')).not.toBeNull();
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(strategies.find('swing')).toBeNull();
  });
});

describe('ApiKeys.findActive', () => {
  async function keysOnBoth() {
    const { dir, server, cli } = serverAndCli();
    const install = installId(server);
    return { serverKeys: new ApiKeys(server, secretsOf(dir), install), cliKeys: new ApiKeys(cli, secretsOf(dir), install) };
  }

  it('refuses a key revoked through another connection (apisify keys revoke) on the next request', async () => {
    const { serverKeys, cliKeys } = await keysOnBoth();
    const issued = await cliKeys.create({ label: 'bot', tradingview: false, strategies: ['swing'] });
    await nextTurn();
    expect(serverKeys.findActive(issued.apikey)).toMatchObject({ id: issued.id, label: 'bot', strategies: ['swing'], revokedAt: null });
    expect(cliKeys.revokeByKey(issued.apikey)).not.toBeNull();
    await nextTurn();
    expect(serverKeys.findActive(issued.apikey)).toBeNull();
  });

  it('finds a key created through another connection on the next request', async () => {
    const { serverKeys, cliKeys } = await keysOnBoth();
    expect(serverKeys.findActive('ak_not_a_key')).toBeNull();
    const issued = await cliKeys.create({ label: 'bot', tradingview: true, strategies: [] });
    await nextTurn();
    expect(serverKeys.findActive(issued.apikey)).toMatchObject({ id: issued.id, tradingview: true });
    expect(serverKeys.findActive('ak_not_a_key')).toBeNull();
  });

  it("sees its own connection's writes at once: a revocation, a key's last use", async () => {
    const { serverKeys } = await keysOnBoth();
    const issued = await serverKeys.create({ label: 'bot', tradingview: false, strategies: [] });
    expect(serverKeys.findActive(issued.apikey)?.lastUsedAt).toBeNull();
    serverKeys.markUsed(issued.id);
    expect(serverKeys.findActive(issued.apikey)?.lastUsedAt).not.toBeNull();
    serverKeys.revokeById(issued.id);
    expect(serverKeys.findActive(issued.apikey)).toBeNull();
  });

  it('hands out copies: a caller changing one changes nothing for the next request', async () => {
    const { serverKeys } = await keysOnBoth();
    const issued = await serverKeys.create({ label: 'bot', tradingview: false, strategies: ['swing'] });
    const found = serverKeys.findActive(issued.apikey);
    if (!found) throw new Error('expected the key');
    found.strategies.push('everything');
    found.tradingview = true;
    found.label = 'changed';
    expect(serverKeys.findActive(issued.apikey)).toMatchObject({ label: 'bot', tradingview: false, strategies: ['swing'] });
  });
});

describe('Strategies.find', () => {
  it('sees a strategy added, disabled, renamed and deleted through another connection on the next request', async () => {
    const { server, cli } = serverAndCli();
    const serverStrategies = new Strategies(server);
    const cliStrategies = new Strategies(cli);
    expect(serverStrategies.find('swing')).toBeNull();
    cliStrategies.add(SWING);
    await nextTurn();
    expect(serverStrategies.find('swing')).toMatchObject({ enabled: true, maxQty: 5 });
    cliStrategies.update('swing', { enabled: false });
    await nextTurn();
    expect(serverStrategies.find('swing')?.enabled).toBe(false);
    cliStrategies.update('swing', { name: 'swing2' });
    await nextTurn();
    expect(serverStrategies.find('swing')).toBeNull();
    expect(serverStrategies.find('swing2')?.name).toBe('swing2');
    // No command deletes a strategy yet; a row gone by any means is gone for the next order too.
    cli.prepare('DELETE FROM strategies WHERE name = ?').run('swing2');
    await nextTurn();
    expect(serverStrategies.find('swing2')).toBeNull();
  });

  it("sees its own connection's writes at once", () => {
    const { server } = serverAndCli();
    const strategies = new Strategies(server);
    expect(strategies.find('swing')).toBeNull();
    strategies.add(SWING);
    expect(strategies.find('swing')?.maxQty).toBe(5);
    strategies.update('swing', { maxQty: 1, symbols: ['ETHUSDT'] });
    expect(strategies.find('swing')).toMatchObject({ maxQty: 1, symbols: ['ETHUSDT'] });
  });

  it('hands out copies: a caller changing one changes nothing for the next order', () => {
    const { server } = serverAndCli();
    const strategies = new Strategies(server);
    strategies.add(SWING);
    const found = strategies.find('swing');
    if (!found) throw new Error('expected the strategy');
    found.enabled = false;
    found.symbols.push('ETHUSDT');
    found.exchanges.length = 0;
    expect(strategies.find('swing')).toMatchObject({ enabled: true, symbols: ['BTCUSDT'], exchanges: ['bybit'] });
  });
});

describe('ExchangeAccounts.find', () => {
  function accountsOnBoth() {
    const { dir, server, cli } = serverAndCli();
    const install = installId(server);
    return { serverAccounts: new ExchangeAccounts(server, secretsOf(dir), install), cliAccounts: new ExchangeAccounts(cli, secretsOf(dir), install) };
  }

  it('sees an account set, changed and removed through another connection (apisify exchange) on the next order', async () => {
    const { serverAccounts, cliAccounts } = accountsOnBoth();
    expect(serverAccounts.find(defaultAccountOf('bybit'))).toBeNull();
    await cliAccounts.set(defaultAccountOf('bybit'), { apiKey: 'bybit-key-one-123', secret: 'one' }, null);
    await nextTurn();
    const first = serverAccounts.find(defaultAccountOf('bybit'));
    expect(first).toMatchObject({ exchange: 'bybit', baseUrl: null });
    await cliAccounts.set(defaultAccountOf('bybit'), { apiKey: 'bybit-key-two-456', secret: 'two' }, 'http://127.0.0.1:9');
    await nextTurn();
    expect(serverAccounts.find(defaultAccountOf('bybit'))).toMatchObject({ baseUrl: 'http://127.0.0.1:9', apiKeyMasked: 'bybit-…-456' });
    expect(await cliAccounts.remove(defaultAccountOf('bybit'))).toBe(true);
    await nextTurn();
    expect(serverAccounts.find(defaultAccountOf('bybit'))).toBeNull();
    expect(await serverAccounts.credentials(defaultAccountOf('bybit'))).toBeNull();
  });

  it("sees its own connection's writes at once", async () => {
    const { serverAccounts } = accountsOnBoth();
    expect(serverAccounts.find(defaultAccountOf('binance'))).toBeNull();
    await serverAccounts.set(defaultAccountOf('binance'), { apiKey: 'binance-key-12345', secret: 's' }, null);
    expect(serverAccounts.find(defaultAccountOf('binance'))?.baseUrl).toBeNull();
    await serverAccounts.set(defaultAccountOf('binance'), { apiKey: 'binance-key-12345', secret: 's' }, 'http://127.0.0.1:9');
    expect(serverAccounts.find(defaultAccountOf('binance'))?.baseUrl).toBe('http://127.0.0.1:9');
    await serverAccounts.remove(defaultAccountOf('binance'));
    expect(serverAccounts.find(defaultAccountOf('binance'))).toBeNull();
  });

  it('hands out copies: a caller changing one changes nothing for the next order', async () => {
    const { serverAccounts } = accountsOnBoth();
    await serverAccounts.set(defaultAccountOf('bybit'), { apiKey: 'bybit-key-one-123', secret: 'one' }, null);
    const found = serverAccounts.find(defaultAccountOf('bybit'));
    if (!found) throw new Error('expected the account');
    found.baseUrl = 'http://evil.example';
    expect(serverAccounts.find(defaultAccountOf('bybit'))?.baseUrl).toBeNull();
  });
});
