import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../main/cli/program.js';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { apisify, APISIFY_BIN, createKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

const require = createRequire(import.meta.url);
type Sqlite = { prepare(sql: string): { run(...values: unknown[]): { lastInsertRowid: number | bigint }; get(...values: unknown[]): unknown }; close(): void };
const Database = require('better-sqlite3') as new (path: string) => Sqlite;

/** Every command path the program has, e.g. ["strategy", "add"]. */
function commandPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (command: ReturnType<typeof buildProgram>, path: string[]) => {
    for (const sub of command.commands) {
      if (sub.name() === 'help') continue;
      paths.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(buildProgram(), []);
  return paths;
}

/** One line on stderr, no stack trace: how every refusal reads. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

describe('--help', () => {
  const leaves = commandPaths().filter((path) => !['keys', 'strategy', 'exchange', 'settings'].includes(path.join(' ')));

  it('covers the commands the README and bench use', () => {
    const names = commandPaths().map((path) => path.join(' '));
    for (const name of ['serve', 'keys create', 'keys list', 'keys revoke', 'strategy add', 'strategy edit', 'strategy remove', 'strategy enable', 'strategy disable', 'strategy list', 'exchange set', 'exchange list', 'exchange remove', 'exchange test', 'orders', 'signals', 'settings list', 'settings set', 'pause', 'resume', 'positions', 'balance', 'pnl', 'flatten', 'ui']) {
      expect(names).toContain(name);
    }
  });

  it.each(leaves.map((path) => [path.join(' '), path]))('apisify %s --help shows its usage, options and an example (exit 0)', async (_name, path) => {
    const result = await apisify(tempDataDir(), [...path, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: apisify ${path.join(' ')}`);
    expect(result.stdout).toContain('--data-dir <dir>');
    expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ apisify ${path[0]}`));
  });

  it('a group without its subcommand lists the subcommands and fails as a usage error', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [APISIFY_BIN, 'keys'], (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/create \[options\]/);
    expect(result.stderr).toMatch(/revoke \[options\] <key>/);
  });

  it('apisify --help documents the exit codes', async () => {
    const result = await apisify(tempDataDir(), ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Exit codes: 0 done, 1 failed .*, 2 a mistake in the command/);
  });
});

describe('usage errors name the command and the option as typed (exit 2, one line)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDataDir();
    expect((await apisify(dataDir, ['strategy', 'list'])).code).toBe(2); // nothing there yet: see the data dir tests
    expect((await apisify(dataDir, ['settings', 'set', 'keyBurst', '30'])).code).toBe(0);
  });

  it.each([
    [['strategy', 'add', 'x', '--max-qty', '-1'], /^apisify: strategy add: --max-qty: expected a number greater than 0, or none for no limit, got "-1"$/],
    [['strategy', 'add', 'x', '--max-qty', 'lots'], /^apisify: strategy add: --max-qty: expected a number greater than 0/],
    [['strategy', 'add', 'x', '--mode', 'yolo'], /^apisify: strategy add: --mode: expected live or dry-run, got "yolo"$/],
    [['strategy', 'add', 'x', '--exchanges', 'bybit,kraken'], /^apisify: strategy add: --exchanges: expected names from bybit, bybit_testnet, binance, binance_testnet, separated by commas, got "kraken"$/],
    [['strategy', 'add', 'x', '--symbols', 'BTC USDT,,'], /^apisify: strategy add: --symbols: "BTC USDT" holds a space; separate symbols with commas/],
    [['strategy', 'add', 'x', '--symbols', 'BTCUSDT,,ETHUSDT'], /^apisify: strategy add: --symbols: entry 2 of 3 is empty/],
    [['strategy', 'add', 'bad name!'], /^apisify: strategy add: NAME: expected letters, digits, _ \. or -$/],
    [['strategy', 'add', 'x', '--bogus'], /^apisify: strategy add: unknown option '--bogus' \(apisify strategy add --help shows the options\)$/],
    [['orders', '--limit', '-1'], /^apisify: orders: --limit: expected a whole number from 1 to 1000, got "-1"$/],
    [['settings', 'list', 'extra'], /^apisify: settings list: too many arguments for 'list'/],
    [['settings', 'set', 'signatureWindowS', '60'], /^apisify: settings set: unknown setting "signatureWindowS" \(did you mean signatureWindowMs\?\)/],
    [['settings', 'set', 'paused', 'true'], /^apisify: settings set: paused is not set here: apisify pause and apisify resume/],
    [['settings', 'set', 'signatureWindowMs', '30s'], /^apisify: settings set: signatureWindowMs: expected a number \(ms\), got "30s"$/],
    [['settings', 'set', 'signatureWindowMs', '10'], /^apisify: settings set: signatureWindowMs: expected a whole number >= 1000 and <= 300000$/],
    [['settings', 'set', 'publicUrl', 'http://example.com'], /^apisify: settings set: publicUrl: expected an https URL/],
    [['settings', 'set', 'timeZone', 'mars'], /^apisify: settings set: timeZone: expected local or utc$/],
    [['serve', '--tunnel', 'frp'], /^apisify: serve: option '--tunnel <kind>' argument 'frp' is invalid/],
    [['launch'], /^apisify: unknown command 'launch'/],
    [['strategy', 'add', 'x', '--max-qty', '1', 'extra'], /^apisify: strategy add: too many arguments for 'add'/],
  ])('apisify %j', async (args, message) => {
    const result = await apisify(dataDir, args);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(message);
  });

  it('a refused strategy add leaves no strategy, and no internal validation text shows', async () => {
    const result = await apisify(dataDir, ['strategy', 'add', 'x', '--max-qty', 'NaN']);
    expect(result.stderr).not.toMatch(/Invalid input|received NaN|Invalid option|Unrecognized key/);
    expect((JSON.parse((await apisify(dataDir, ['strategy', 'list', '--json'])).stdout) as { name: string }[]).map((s) => s.name)).toEqual(['test_strategy']);
  });
});

describe('settings by the UI names and units', () => {
  it('settings set signatureWindowMs takes milliseconds, as the Settings page shows it; host 0.0.0.0 is saved with a warning', async () => {
    const dataDir = tempDataDir();
    const set = await apisify(dataDir, ['settings', 'set', 'signatureWindowMs', '60000', 'timeZone', 'utc', '--json']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ signatureWindowMs: 60000, timeZone: 'utc' });
    const host = await apisify(dataDir, ['settings', 'set', 'host', '0.0.0.0']);
    expect(host.code).toBe(0);
    expect(host.stderr).toMatch(/^apisify: warning: host 0\.0\.0\.0 makes apisify reachable from every network this machine is on/);
    const listed = await apisify(dataDir, ['settings', 'list']);
    expect(listed.stdout).toMatch(/signatureWindowMs\s+60000\s+ms\s+Signature window/);
    expect(listed.stdout).toMatch(/publicUrl\s+null/);
  });
});

describe('a data dir that does not exist', () => {
  it.each([[['orders']], [['signals']], [['keys', 'list']], [['strategy', 'list']], [['settings', 'list']], [['exchange', 'list']], [['ui']], [['keys', 'revoke', '1']], [['pause']]])('apisify %j refuses it, naming it, and creates nothing', async (args) => {
    const missing = join(tempDataDir(), 'typo');
    const result = await apisify(missing, args);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain(`data dir ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('a folder without apisify data is named too', async () => {
    const empty = tempDataDir();
    const result = await apisify(empty, ['orders']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`data dir ${empty} holds no apisify data`);
    expect(existsSync(join(empty, DATABASE_FILE))).toBe(false);
  });

  it('a write may create it', async () => {
    const fresh = join(tempDataDir(), 'new');
    expect((await apisify(fresh, ['strategy', 'add', 'first'])).code).toBe(0);
    expect((await apisify(fresh, ['strategy', 'list'])).stdout).toMatch(/first/);
  });
});

describe('keys', () => {
  it('create refuses a strategy that does not exist, naming the one that does (and its case)', async () => {
    const dataDir = tempDataDir();
    const result = await apisify(dataDir, ['keys', 'create', '--label', 'x', '--strategy', 'TEST_STRATEGY']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/^apisify: keys create: --strategy: no strategy named TEST_STRATEGY \(names match exactly: did you mean test_strategy\?\); there are test_strategy/);
    expect(JSON.parse((await apisify(dataDir, ['keys', 'list', '--json'])).stdout)).toEqual([]);
    expect((await apisify(dataDir, ['keys', 'create', '--label', 'x', '--strategy', 'test_strategy'])).code).toBe(0);
  });

  it('revoke takes the id or the masked form keys list shows, as well as the whole key', async () => {
    const dataDir = tempDataDir();
    const [byId, byMask, byDots, byKey] = [await createKey(dataDir), await createKey(dataDir), await createKey(dataDir), await createKey(dataDir)];
    const listed = JSON.parse((await apisify(dataDir, ['keys', 'list', '--json'])).stdout) as { id: number; masked: string }[];
    const maskOf = (id: number) => listed.find((key) => key.id === id)?.masked as string;
    expect((await apisify(dataDir, ['keys', 'revoke', String(byId.id)])).stdout).toMatch(new RegExp(`^Revoked key ${byId.id} `));
    expect((await apisify(dataDir, ['keys', 'revoke', maskOf(byMask.id)])).code).toBe(0);
    expect((await apisify(dataDir, ['keys', 'revoke', maskOf(byDots.id).replace('…', '...')])).code).toBe(0);
    expect((await apisify(dataDir, ['keys', 'revoke', byKey.apikey])).code).toBe(0);
    expect(JSON.parse((await apisify(dataDir, ['keys', 'list', '--json'])).stdout)).toEqual([]);
    const again = await apisify(dataDir, ['keys', 'revoke', String(byId.id)]);
    expect(again.code).toBe(2);
    expect(oneLine(again.stderr)).toMatch(/^apisify: keys revoke: no active API key with id/);
  });

  it('a TradingView key is printed without the secret it never uses (--json keeps its shape)', async () => {
    const dataDir = tempDataDir();
    const text = await apisify(dataDir, ['keys', 'create', '--label', 'tv', '--tradingview', '--all-strategies']);
    expect(text.stdout).toMatch(/^API key: {4}ak_/);
    expect(text.stdout).not.toMatch(/Secret key/);
    expect(JSON.parse((await apisify(dataDir, ['keys', 'create', '--label', 'tv', '--tradingview', '--all-strategies', '--json'])).stdout)).toMatchObject({ tradingview: true, secret: expect.any(String) });
  });
});

describe('strategy edit and remove', () => {
  it('edit changes only the fields named; a name in another case is refused', async () => {
    const dataDir = tempDataDir();
    expect((await apisify(dataDir, ['strategy', 'add', 'swing', '--symbols', 'BTCUSDT', '--max-qty', '2'])).code).toBe(0);
    const edited = await apisify(dataDir, ['strategy', 'edit', 'swing', '--max-qty', 'none', '--symbols', 'ETHUSDT, BTC/USDT:USDT', '--exchanges', 'bybit']);
    expect(edited.code).toBe(0);
    const [swing] = (JSON.parse((await apisify(dataDir, ['strategy', 'list', '--json'])).stdout) as { name: string; maxQty: number | null; symbols: string[]; exchanges: string[]; mode: string }[]).filter((s) => s.name === 'swing');
    expect(swing).toMatchObject({ maxQty: null, symbols: ['ETHUSDT', 'BTC/USDT:USDT'], exchanges: ['bybit'], mode: 'dry-run' });
    const clash = await apisify(dataDir, ['strategy', 'edit', 'swing', '--name', 'TEST_STRATEGY']);
    expect(clash.code).toBe(2);
    expect(oneLine(clash.stderr)).toBe('apisify: strategy edit: a strategy named test_strategy exists, which differs only in case');
    expect((await apisify(dataDir, ['strategy', 'add', 'Swing'])).stderr).toMatch(/a strategy named swing exists, which differs only in case/);
    const nothing = await apisify(dataDir, ['strategy', 'edit', 'swing']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    expect((await apisify(dataDir, ['strategy', 'edit', 'ghost', '--mode', 'live'])).stderr).toMatch(/^apisify: strategy edit: no strategy named ghost/);
  });

  it('remove is refused while an order is under way, then removes it and keeps the history', async () => {
    const dataDir = tempDataDir();
    const key = await createKey(dataDir);
    expect((await apisify(dataDir, ['strategy', 'add', 'swing'])).code).toBe(0);
    const server = await startServer(dataDir);
    let filledId: number;
    try {
      const placed = await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, strategy: 'swing' });
      expect(placed.body.order?.status).toBe('filled');
      filledId = placed.body.order?.id as number;
    } finally {
      await server.stop();
    }
    // An order a crash left open on the exchange: its follow-up would still need the strategy.
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.prepare("UPDATE orders SET status = 'open' WHERE id = ?").run(filledId);
    db.close();
    const refused = await apisify(dataDir, ['strategy', 'remove', 'swing']);
    expect(refused.code).toBe(2);
    expect(oneLine(refused.stderr)).toBe(`apisify: strategy remove: strategy swing has orders under way (#${filledId}): remove it once they are filled, cancelled or settled (apisify strategy disable swing stops new ones now)`);

    const again = new Database(join(dataDir, DATABASE_FILE));
    again.prepare("UPDATE orders SET status = 'filled' WHERE id = ?").run(filledId);
    again.close();
    const removed = await apisify(dataDir, ['strategy', 'remove', 'swing']);
    expect(removed.code).toBe(0);
    expect((JSON.parse((await apisify(dataDir, ['strategy', 'list', '--json'])).stdout) as { name: string }[]).map((s) => s.name)).not.toContain('swing');
    expect((JSON.parse((await apisify(dataDir, ['orders', '--json'])).stdout) as { id: number; strategy: string }[]).find((o) => o.id === filledId)?.strategy).toBe('swing');
  });
});

describe('pause and resume, headless', () => {
  let server: RunningServer;
  let key: Awaited<ReturnType<typeof createKey>>;
  beforeAll(async () => {
    const dataDir = tempDataDir();
    key = await createKey(dataDir);
    server = await startServer(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('apisify pause makes the running server refuse orders (503), apisify resume lets them through again', async () => {
    expect((await apisify(server.dataDir, ['pause'])).code).toBe(0);
    const paused = await postSignedOrder(server.url, key, SPEC_EXAMPLE);
    expect(paused.status).toBe(503);
    expect(paused.body.error?.code).toBe('trading_paused');
    expect((await apisify(server.dataDir, ['resume'])).code).toBe(0);
    expect((await postSignedOrder(server.url, key, SPEC_EXAMPLE)).status).toBe(200);
  });
});

describe('exchange set --secret - at a terminal', () => {
  it('prompts, and the secret typed is not echoed', async () => {
    const dataDir = tempDataDir();
    // script(1) gives the command a pseudo-terminal, as a person typing at one would.
    const command = `${process.execPath} ${APISIFY_BIN} exchange set bybit_testnet --api-key KEY123 --secret - --data-dir ${dataDir}`;
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!typed && screen.includes('not shown as you type')) {
        typed = true;
        child.stdin.write('typed-secret-42\r');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(screen).toContain('bybit_testnet API secret (not shown as you type): ');
    expect(screen).toMatch(/Saved bybit_testnet \(KE…\) in the keychain/);
    expect(screen).not.toContain('typed-secret-42');
  });
});
