// apisify positions, balance, pnl and flatten, run as a user runs them against a data dir with two
// Bybit accounts (each a fake of its own, with Bybit's published fees) and a dry-run strategy: through
// the running `apisify serve` when there is one (its live state, its symbol queues), else through an
// engine the command starts for itself and stops after.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlattenAnswer } from '../../shared/flatten-api.js';
import type { OrderView } from '../../shared/order-view.js';
import type { PnlAnswer } from '../../shared/pnl-api.js';
import type { BalancesAnswer, PositionsAnswer } from '../../shared/positions-api.js';
import { ENGINE_LOCK_FILE } from '../../main/engine/data-dir-lock.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { apisify, APISIFY_BIN, type CliResult, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

const execFileAsync = promisify(execFile);
const KEYS = {
  default: { apiKey: 'cli-accounts-default-key-0123', secret: 'cli-accounts-default-secret-abcdefgh' },
  main: { apiKey: 'cli-accounts-main-key-0123', secret: 'cli-accounts-main-secret-abcdefgh' },
} as const;
/** What waits on the engine and the exchanges: slower while the whole suite shares two cores. */
const STEP_MS = 20_000;

let dataDir: string;
let fakes: Record<'default' | 'main', FakeExchange>;
let key: IssuedKey;
let server: RunningServer | null = null;

async function cli(...args: string[]): Promise<CliResult> {
  return apisify(dataDir, args);
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await cli(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** The command with a terminal for standard input (util-linux `script` gives it one), typing `typed`. */
async function onTerminal(typed: string, ...args: string[]): Promise<CliResult> {
  const command = [process.execPath, APISIFY_BIN, ...args, '--data-dir', dataDir].map((part) => `'${part}'`).join(' ');
  try {
    const child = execFileAsync('script', ['-qec', command, '/dev/null']);
    child.child.stdin?.end(typed);
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let lastTimestamp = 0;
function order(fields: Record<string, unknown>) {
  if (!server) throw new Error('no server');
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(server.url, key, { strategy: 'live_main', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
}

async function filled(fields: Record<string, unknown>): Promise<number> {
  const call = await order(fields);
  expect(call.status, JSON.stringify(call.body)).toBe(200);
  expect(call.body.order?.status).toBe(fields['order_type'] === 'Limit' ? 'open' : 'filled');
  return call.body.order?.id as number;
}

function mainPosition(): number {
  return fakes.main.positions().find((position) => position.symbol === 'BTCUSDT')?.qty ?? 0;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  fakes = {
    default: await startFakeExchange({ venue: 'bybit', ...KEYS.default, fees: 'standard' }),
    main: await startFakeExchange({ venue: 'bybit', ...KEYS.main, fees: 'standard' }),
  };
  for (const fake of Object.values(fakes)) {
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000, 'linear');
  }
  // opened outside apisify on the default account: no flatten of main may touch it
  fakes.default.setPosition('ETHUSDT', 0.5, { entryPrice: 3_000 });
  for (const [name, account] of [['default', []], ['main', ['--account', 'main']]] as const) {
    const set = await apisify(dataDir, ['exchange', 'set', 'bybit', ...account, '--api-key', KEYS[name].apiKey, '--secret', '-', '--base-url', fakes[name].url], { input: `${KEYS[name].secret}\n` });
    expect(set.code, set.stderr).toBe(0);
  }
  expect((await cli('strategy', 'add', 'live_main', '--mode', 'live', '--exchanges', 'bybit', '--account', 'bybit=main')).code).toBe(0);
  expect((await cli('strategy', 'add', 'dry', '--exchanges', 'bybit')).code).toBe(0);
  key = await createKey(dataDir);
});

afterAll(async () => {
  await server?.stop();
  for (const fake of Object.values(fakes ?? {})) await fake.close();
});

describe('with no engine running', () => {
  it('positions and balance read every account through an engine of their own, then leave nothing running', async () => {
    const positions = await json<PositionsAnswer>('positions');
    expect(positions.accounts.map((account) => `${account.exchange}/${account.account}:${account.state}`).sort()).toEqual(['bybit/default:ok', 'bybit/main:ok']);
    expect(positions.positions).toEqual([expect.objectContaining({ exchange: 'bybit', account: 'default', dryRun: false, symbol: 'ETH/USDT:USDT', side: 'long', size: '0.5', entryPrice: '3000', strategies: [] })]);

    const table = await cli('balance');
    expect(table.code, table.stderr).toBe(0);
    const [header = '', ...rows] = table.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['account', 'wallet', 'currency', 'total', 'free', 'in use']);
    expect(rows.find((row) => row.startsWith('bybit/main '))?.split(/\s+/)).toEqual(['bybit/main', 'unified', 'USDT', '10000', '10000', '0']);
    expect((await json<BalancesAnswer>('balance')).balances).toContainEqual(expect.objectContaining({ exchange: 'bybit', account: 'default', wallet: 'unified', currency: 'USDT' }));

    // the command's engine let go of the data dir and of the exchanges' streams
    expect(existsSync(join(dataDir, ENGINE_LOCK_FILE))).toBe(false);
    expect(await eventually(() => fakes.main.websocketStats().subscribed, (open) => open === 0, 5_000)).toBe(0);
  });
});

describe('through apisify serve', () => {
  beforeAll(async () => {
    server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
    // the server readies live_main's account (its stream) at start
    expect(await eventually(() => fakes.main.websocketStats().subscribed, (open) => open === 1, STEP_MS)).toBe(1);
  });

  it("positions are the server's: built by the strategy, live from its stream, no stream of the command's own", async () => {
    await filled({});
    // the order's ticker stream (its price for the minimum check) starts a moment after it: the server's, not the command's
    expect(await eventually(() => fakes.main.websocketStats().channels.includes('tickers.BTCUSDT'), (open) => open, STEP_MS)).toBe(true);
    const connections = fakes.main.websocketStats().connections;
    const answer = await json<PositionsAnswer>('positions');
    expect(answer.positions.filter((position) => position.account === 'main')).toEqual([
      expect.objectContaining({ exchange: 'bybit', account: 'main', symbol: 'BTC/USDT:USDT', side: 'long', size: '0.01', strategies: [{ strategy: 'live_main', qty: '0.01' }] }),
    ]);
    expect(answer.accounts.find((account) => account.account === 'main')).toMatchObject({ state: 'ok', live: true });
    expect(fakes.main.websocketStats().connections).toBe(connections);

    const table = await cli('positions');
    expect(table.code, table.stderr).toBe(0);
    const [header = '', ...rows] = table.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['account', 'symbol', 'side', 'size', 'entry', 'mark', 'unrealized', 'leverage', 'margin', 'liquidation', 'protection', 'built by']);
    expect(rows.find((row) => row.startsWith('bybit/main '))).toMatch(/^bybit\/main\s+BTC\/USDT:USDT\s+long\s+0\.01\s+60000\s.*live_main 0\.01$/);
  });

  it("pnl: a round trip's realized PnL less Bybit's taker fees, as computed by hand", async () => {
    fakes.main.setPrice('BTCUSDT', 61_000, 'linear');
    await filled({ side: 'Close' });
    // 0.01 × (61 000 − 60 000) = 10 USDT realized; fees 0.055 % of 600 and of 610 = 0.33 + 0.3355 = 0.6655
    const answer = await json<PnlAnswer>('pnl', '--strategy', 'live_main');
    expect(answer.strategies).toEqual([
      expect.objectContaining({
        strategy: 'live_main',
        currencies: [{ currency: 'USDT', realized: { today: '10', days7: '10', days30: '10', all: '10' }, fees: { today: '0.6655', days7: '0.6655', days30: '0.6655', all: '0.6655' }, net: { today: '9.3345', days7: '9.3345', days30: '9.3345', all: '9.3345' } }],
        trades: 1,
        winRate: 1,
        open: [],
      }),
    ]);
    const table = await cli('pnl');
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['strategy', 'currency', 'net today', 'net 7d', 'net 30d', 'net all', 'fees all', 'trades', 'win rate']);
    expect(lines.find((line) => line.startsWith('live_main '))?.split(/\s{2,}/)).toEqual(['live_main', 'USDT', '9.3345', '9.3345', '9.3345', '9.3345', '0.6655', '1', '100 %']);
    expect(lines.find((line) => line.startsWith('dry '))?.split(/\s{2,}/)).toEqual(['dry', '-', '0', '0', '0', '0', '0', '0', '-']);
  });

  it("flatten --account bybit/main closes main's position and cancels its resting Limit, and never touches default", async () => {
    await filled({ qty: 0.02 });
    const resting = await filled({ order_type: 'Limit', price: 50_000 });
    const defaultOrders = fakes.default.createdOrders().length;
    const result = await cli('flatten', '--account', 'bybit/main', '--yes');
    expect(result.code, result.stderr).toBe(0);
    const [header = '', ...rows] = result.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['order', 'account', 'strategy', 'symbol', 'status', 'error']);
    expect(rows[0]).toMatch(/^\d+\s+bybit\/main\s+live_main\s+BTC\/USDT:USDT\s+filled$/);
    expect(result.stdout).toContain(`Cancelled: #${resting} (cancelled)`);
    expect(mainPosition()).toBe(0);
    expect(fakes.main.createdOrders().filter((created) => created.status === 'open')).toEqual([]);
    // default: its position as it was, and not one order
    expect(fakes.default.positions()).toEqual([expect.objectContaining({ symbol: 'ETHUSDT', qty: 0.5 })]);
    expect(fakes.default.createdOrders().length).toBe(defaultOrders);
    // journaled as a flatten's Close, under the strategy that built the position
    const journal = await json<OrderView[]>('orders', '--limit', '3');
    expect(journal.find((view) => view.memo === 'flatten')).toMatchObject({ strategy: 'live_main', account: 'main', side: 'Close', status: 'filled', source: 'manual' });
  });

  it('flatten without --yes asks on a terminal (anything but yes does nothing), and refuses where nobody can be asked', async () => {
    lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
    const dryBuy = await postSignedOrder((server as RunningServer).url, key, { strategy: 'dry', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.1 }, { timestamp: lastTimestamp });
    expect(dryBuy.body.order, JSON.stringify(dryBuy.body)).toMatchObject({ status: 'filled', dry_run: true });
    const dryOpen = async () => (await json<PositionsAnswer>('positions')).positions.filter((position) => position.dryRun && position.strategy === 'dry');

    const piped = await cli('flatten', '--strategy', 'dry');
    expect(piped.code).toBe(2);
    expect(piped.stderr.trim()).toBe('apisify: flatten: flatten closes positions at market: give --yes to go ahead (standard input is not a terminal, so there is nobody to ask)');

    const declined = await onTerminal('no\n', 'flatten', '--strategy', 'dry');
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain('This closes at market every position of strategy dry on every account (live and dry run)');
    expect(declined.stdout).toMatch(/Open now:\s+bybit dry-run dry\s+BTCUSDT\s+long 0\.1\b/);
    expect(declined.stdout).toContain('apisify: flatten: not confirmed: nothing was closed or cancelled');
    expect(await dryOpen()).toHaveLength(1);

    const accepted = await onTerminal('yes\n', 'flatten', '--strategy', 'dry');
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.stdout).toMatch(/\d+\s+bybit\/default\s+dry\s+BTCUSDT\s+filled/);
    expect(await dryOpen()).toEqual([]);
  });

  it.each([
    [['flatten', '--account', 'kraken', '--yes'], 'apisify: flatten: --account: expected EXCHANGE or EXCHANGE/NAME with EXCHANGE one of bybit, bybit_testnet, binance, binance_testnet, got "kraken"'],
    [['flatten', '--account', 'bybit/my main', '--yes'], 'apisify: flatten: --account: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit) after bybit/, got "bybit/my main"'],
    [['flatten', '--strategy', 'nope', '--yes'], 'apisify: flatten: --strategy: no strategy named "nope"'],
    [['pnl', '--strategy', 'nope'], 'apisify: pnl: --strategy: no strategy named "nope" and no fills under that name'],
  ])('%j is refused on one line naming the option (exit 2), nothing sent', async (args, message) => {
    const sent = fakes.main.createdOrders().length + fakes.default.createdOrders().length;
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(message);
    expect(fakes.main.createdOrders().length + fakes.default.createdOrders().length).toBe(sent);
  });
});

describe('flatten with no engine running', () => {
  beforeAll(async () => {
    await server?.stop();
    server = null;
  });

  it("runs the engine's services for the command, closes through the pipeline and waits for the fill, then frees the data dir", async () => {
    const dataDirOrders = (await json<OrderView[]>('orders', '--limit', '1000')).length;
    fakes.default.setPosition('BTCUSDT', -0.03, { entryPrice: 61_000 });

    const result = await cli('flatten', '--account', 'bybit/default', '--yes', '--json');
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as FlattenAnswer;
    // opened outside apisify: closed under (flatten), each position its own Close, every one settled
    expect(answer.closes.map((close) => `${close.symbol}:${close.strategy}:${close.status}`).sort()).toEqual(['BTC/USDT:USDT:(flatten):filled', 'ETH/USDT:USDT:(flatten):filled']);
    expect(answer.failures).toEqual([]);
    expect(fakes.default.positions()).toEqual([]);
    expect((await json<OrderView[]>('orders', '--limit', '1000')).length).toBe(dataDirOrders + 2);
    expect(existsSync(join(dataDir, ENGINE_LOCK_FILE))).toBe(false);
    // and an engine can start on the data dir again
    server = await startServer(dataDir);
  });

  it('says which account it could not read, after printing the rest, and fails (exit 1)', async () => {
    await server?.stop();
    server = null;
    const set = await apisify(dataDir, ['exchange', 'set', 'bybit', '--account', 'broken', '--api-key', 'not-a-key-the-fake-knows', '--secret', '-', '--base-url', fakes.main.url], { input: 'not-the-secret\n' });
    expect(set.code, set.stderr).toBe(0);
    const result = await cli('balance');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^bybit\/main\s+unified\s+USDT\s/m);
    expect(result.stderr.trim()).toMatch(/^apisify: balance: could not read bybit\/broken \(.+\)$/);
  });
});
