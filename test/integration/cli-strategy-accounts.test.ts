import { beforeAll, describe, expect, it } from 'vitest';
import type { Strategy } from '../../shared/api-types.js';
import { apisify, tempDataDir } from '../support/apisify-process.js';

/** `apisify strategy add/edit --account EXCHANGE=NAME` and `strategy list`, run as a user runs them. */
let dataDir: string;

async function listed(name: string): Promise<Strategy> {
  const result = await apisify(dataDir, ['strategy', 'list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  const found = (JSON.parse(result.stdout) as Strategy[]).find((strategy) => strategy.name === name);
  if (!found) throw new Error(`no strategy ${name} in ${result.stdout}`);
  return found;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

/** The `accounts` column of `strategy list`'s first table, for the strategy's row. */
async function accountsColumn(name: string): Promise<string> {
  const result = await apisify(dataDir, ['strategy', 'list']);
  expect(result.code).toBe(0);
  const [header = '', ...rows] = result.stdout.split('\n');
  const row = rows.find((line) => line.startsWith(`${name} `)) ?? '';
  return row.slice(header.indexOf('accounts')).trim();
}

beforeAll(async () => {
  dataDir = tempDataDir();
  const added = await apisify(dataDir, ['strategy', 'add', 'bound', '--mode', 'live', '--exchanges', 'bybit,binance', '--account', 'bybit=main', '--account', 'BYBIT=sub2', '--account', 'binance=spot.1']);
  expect(added.code, added.stderr).toBe(0);
});

describe('strategy add and edit --account', () => {
  it('keeps the accounts per exchange in the order given, the first the default', async () => {
    expect((await listed('bound')).accounts).toEqual({ bybit: ['main', 'sub2'], binance: ['spot.1'] });
    expect(await accountsColumn('bound')).toBe('bybit=main,bybit=sub2,binance=spot.1');
    // none named: each exchange's default account
    expect((await listed('test_strategy')).accounts).toEqual({});
    expect(await accountsColumn('test_strategy')).toBe('default');
  });

  it('edit replaces them with the ones given (another order makes another default); none clears them', async () => {
    const reordered = await apisify(dataDir, ['strategy', 'edit', 'bound', '--account', 'bybit=sub2', '--account', 'bybit=main']);
    expect(reordered.code, reordered.stderr).toBe(0);
    expect((await listed('bound')).accounts).toEqual({ bybit: ['sub2', 'main'] });
    const cleared = await apisify(dataDir, ['strategy', 'edit', 'bound', '--account', 'none']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await listed('bound')).accounts).toEqual({});
    expect(await accountsColumn('bound')).toBe('default');
    expect((await apisify(dataDir, ['strategy', 'edit', 'bound', '--account', 'bybit=main'])).code).toBe(0);
    // an edit that does not name --account leaves them as they are
    expect((await apisify(dataDir, ['strategy', 'edit', 'bound', '--max-qty', '2'])).code).toBe(0);
    expect(await listed('bound')).toMatchObject({ accounts: { bybit: ['main'] }, maxQty: 2 });
  });

  it.each([
    [['--account', 'bybit'], '--account: expected EXCHANGE=NAME, e.g. bybit=main (or none), got "bybit"'],
    [['--account', 'bybit=main=2'], '--account: expected EXCHANGE=NAME, e.g. bybit=main (or none), got "bybit=main=2"'],
    [['--account', 'kraken=main'], '--account: expected one of bybit, bybit_testnet, binance, binance_testnet before the =, got "kraken=main"'],
    [['--account', 'bybit=my account'], '--account: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit) after bybit=, got "bybit=my account"'],
    [['--account', 'bybit='], '--account: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit) after bybit=, got "bybit="'],
    [['--account', 'bybit=main', '--account', 'bybit=main'], '--account: bybit=main is given twice'],
    [['--account', 'none', '--account', 'bybit=main'], '--account: none clears the accounts (every exchange then uses its default account), so give it alone'],
    [['--account', 'bybit_testnet=main'], '--account: bybit_testnet=main names an exchange the strategy does not trade on (--exchanges bybit,binance)'],
    [Array.from({ length: 21 }, (_, index) => ['--account', `bybit=a${index}`]).flat(), '--account: expected at most 20 accounts per exchange'],
  ])('edit %j is refused, naming the option, and changes nothing', async (options, message) => {
    const before = await listed('bound');
    const result = await apisify(dataDir, ['strategy', 'edit', 'bound', ...options]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(`apisify: strategy edit: ${message}`);
    expect(await listed('bound')).toEqual(before);
  });

  it('refuses a bad --account on add too, adding nothing', async () => {
    const result = await apisify(dataDir, ['strategy', 'add', 'never', '--exchanges', 'binance', '--account', 'bybit=main']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe('apisify: strategy add: --account: bybit=main names an exchange the strategy does not trade on (--exchanges binance)');
    const names = (JSON.parse((await apisify(dataDir, ['strategy', 'list', '--json'])).stdout) as Strategy[]).map((strategy) => strategy.name);
    expect(names).not.toContain('never');
  });

  it('--help explains the option and shows it repeated', async () => {
    const add = (await apisify(dataDir, ['strategy', 'add', '--help'])).stdout;
    expect(add).toContain('--account <exchange=name>');
    expect(add.replace(/\s+/g, ' ')).toContain('repeat it to allow more, the first per exchange is the one orders use');
    expect(add).toContain('$ apisify strategy add hedge --mode live --exchanges bybit --account bybit=main --account bybit=sub2');
    const edit = (await apisify(dataDir, ['strategy', 'edit', '--help'])).stdout;
    expect(edit).toContain('$ apisify strategy edit swing --account none');
  });
});
