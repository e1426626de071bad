import { beforeAll, describe, expect, it } from 'vitest';
import type { Strategy } from '../../shared/api-types.js';
import { DEFAULT_STRATEGY_SHAPING } from '../../shared/api-types.js';
import { apisify, tempDataDir } from '../support/apisify-process.js';

/** `apisify strategy add/edit/list` and a strategy's order-shaping settings, run as a user runs them. */
let dataDir: string;

async function listed(name: string): Promise<Strategy> {
  const result = await apisify(dataDir, ['strategy', 'list', '--json']);
  expect(result.code).toBe(0);
  const found = (JSON.parse(result.stdout) as Strategy[]).find((strategy) => strategy.name === name);
  if (!found) throw new Error(`no strategy ${name} in ${result.stdout}`);
  return found;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  const added = await apisify(dataDir, [
    'strategy',
    'add',
    'shaped',
    '--qty-unit',
    'EQUITY_PERCENT',
    '--max-notional',
    '5000',
    '--leverage',
    '3',
    '--max-leverage',
    '10',
    '--margin-mode',
    'isolated',
    '--stop-loss-percent',
    '1.5',
    '--take-profit-percent',
    '4',
    '--max-lag',
    '30',
    '--on-protection-failure',
    'close',
    '--dry-run-balance',
    '2500',
  ]);
  expect(added.code, added.stderr).toBe(0);
});

describe('strategy add and edit: the shaping settings', () => {
  it('saves every setting given, and the defaults for a strategy given none', async () => {
    expect(await listed('shaped')).toMatchObject({
      qtyUnit: 'equity_percent',
      maxNotional: 5000,
      leverage: 3,
      maxLeverage: 10,
      marginMode: 'isolated',
      stopLossPercent: 1.5,
      takeProfitPercent: 4,
      maxLag: 30,
      onProtectionFailure: 'close',
      dryRunBalance: 2500,
    });
    expect((await apisify(dataDir, ['strategy', 'add', 'plain'])).code).toBe(0);
    expect(await listed('plain')).toMatchObject(DEFAULT_STRATEGY_SHAPING);
  });

  it('changes only what edit names; none clears a setting', async () => {
    const edited = await apisify(dataDir, ['strategy', 'edit', 'shaped', '--leverage', 'none', '--margin-mode', 'none', '--max-lag', 'none', '--stop-loss-percent', '2', '--qty-unit', 'risk_percent']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(await listed('shaped')).toMatchObject({ leverage: null, marginMode: null, maxLag: null, stopLossPercent: 2, qtyUnit: 'risk_percent', maxNotional: 5000, maxLeverage: 10, takeProfitPercent: 4, onProtectionFailure: 'close', dryRunBalance: 2500 });
  });

  it('lists them under the names of the options that set them', async () => {
    const result = await apisify(dataDir, ['strategy', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const header = lines.find((line) => line.startsWith('name ') && line.includes('qty-unit')) ?? '';
    expect(header.split(/\s+/)).toEqual(['name', 'qty-unit', 'max-notional', 'leverage', 'max-leverage', 'margin-mode', 'stop-loss-percent', 'take-profit-percent', 'max-lag', 'on-protection-failure', 'dry-run-balance']);
    const row = lines.slice(lines.indexOf(header)).find((line) => line.startsWith('shaped '));
    expect(row?.split(/\s+/)).toEqual(['shaped', 'risk_percent', '5000', 'none', '10', 'none', '2', '4', 'none', 'close', '2500']);
  });

  it.each([
    [['--leverage', '5000'], "--leverage: expected a number greater than 0 and at most 1000, or none for the account's own"],
    [['--leverage', '5x'], '--leverage: expected a number greater than 0, or none, got "5x"'],
    [['--max-leverage', '-1'], '--max-leverage: expected a number greater than 0, or none, got "-1"'],
    [['--max-notional', 'lots'], '--max-notional: expected a number greater than 0, or none, got "lots"'],
    [['--stop-loss-percent', '2000'], '--stop-loss-percent: expected a number greater than 0 and at most 1000, or none'],
    [['--max-lag', '1.5'], '--max-lag: expected whole seconds from 1 to 86400, or none, got "1.5"'],
    [['--max-lag', '90000'], '--max-lag: expected whole seconds from 1 to 86400'],
    [['--margin-mode', 'hedge'], '--margin-mode: expected cross, isolated or none, got "hedge"'],
    [['--qty-unit', 'pct'], '--qty-unit: expected base, quote, equity_percent, available_percent or risk_percent, got "pct"'],
    [['--on-protection-failure', 'panic'], '--on-protection-failure: expected keep or close, got "panic"'],
    [['--dry-run-balance', 'none'], '--dry-run-balance: expected a number greater than 0, got "none"'],
    [['--dry-run-balance', '0'], '--dry-run-balance: expected a starting balance greater than 0'],
  ])('edit %j is refused, naming the option, and changes nothing', async (options, message) => {
    const before = await listed('shaped');
    const result = await apisify(dataDir, ['strategy', 'edit', 'shaped', ...options]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(`apisify: strategy edit: ${message}`);
    expect(await listed('shaped')).toEqual(before);
  });

  it('refuses a bad setting on add too, adding nothing', async () => {
    const result = await apisify(dataDir, ['strategy', 'add', 'never', '--take-profit-percent', '0']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe('apisify: strategy add: --take-profit-percent: expected a number greater than 0 and at most 1000, or none');
    expect(JSON.parse((await apisify(dataDir, ['strategy', 'list', '--json'])).stdout).map((strategy: Strategy) => strategy.name)).not.toContain('never');
  });

  it('--help lists every setting, its default on add, and examples that use them', async () => {
    const add = (await apisify(dataDir, ['strategy', 'add', '--help'])).stdout;
    for (const option of ['--qty-unit <unit>', '--max-notional <value>', '--leverage <x>', '--max-leverage <x>', '--margin-mode <mode>', '--stop-loss-percent <pct>', '--take-profit-percent <pct>', '--max-lag <seconds>', '--on-protection-failure <what>', '--dry-run-balance <amount>']) {
      expect(add).toContain(option);
    }
    expect(add.replace(/\s+/g, ' ')).toContain('(default: 10000)');
    expect(add).toMatch(/\$ apisify strategy add percent --qty-unit equity_percent .*--stop-loss-percent 2/);
    const edit = (await apisify(dataDir, ['strategy', 'edit', '--help'])).stdout;
    expect(edit).toContain('$ apisify strategy edit swing --leverage none --stop-loss-percent none --max-lag none');
    // edit has no defaults: an option not given stays as it is.
    expect(edit).not.toContain('(default:');
  });
});
