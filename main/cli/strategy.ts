import type { Command } from 'commander';
import { DEFAULT_STRATEGY_SHAPING, type StrategyAccounts, type StrategyShaping } from '../../shared/api-types.js';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { firstProblem, strategyChangesSchema, strategyInputSchema } from '../../shared/ui-schemas.js';
import { type Strategies, type Strategy, StrategyNameTaken } from '../engine/store/strategies.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { accountsText, addStrategyOptions, STRATEGY_OPTIONS, strategyValues, usageProblem } from './strategy-options.js';
import { UsageError } from './usage-error.js';

type StrategyOptions = DataDirOptions & Record<string, unknown>;

function isShapingField(field: string): field is keyof StrategyShaping {
  return field in DEFAULT_STRATEGY_SHAPING;
}

function describeMode(strategy: Strategy): string {
  return strategy.mode === 'live' ? 'live: it places real orders' : 'dry-run: simulated fills, nothing reaches an exchange';
}

/** A strategy's shaping settings under the names of the options that set them (`none` for a cleared one). */
function shapingRow(strategy: Strategy): Record<string, string> {
  const row: Record<string, string> = { name: strategy.name };
  for (const option of STRATEGY_OPTIONS) {
    if (!isShapingField(option.field)) continue;
    const value = strategy[option.field];
    row[option.option.slice(2)] = value === null ? 'none' : String(value);
  }
  return row;
}

function existing(strategies: Strategies, name: string): Strategy {
  const found = strategies.find(name);
  if (found) return found;
  const known = strategies.list().map((strategy) => strategy.name);
  const sameInAnyCase = known.find((other) => other.toLowerCase() === name.toLowerCase());
  throw new UsageError(`no strategy named ${name}${sameInAnyCase ? ` (did you mean ${sameInAnyCase}?)` : ''}; ${known.length ? `there are ${known.join(', ')}` : 'there are none'}`);
}

/** `--account` naming an exchange the strategy may not trade on would never be used: say so rather than keep it. */
function refuseAccountsElsewhere(accounts: StrategyAccounts | undefined, exchanges: readonly ExchangeName[]): void {
  if (!accounts || exchanges.length === 0) return;
  const elsewhere = (Object.keys(accounts) as ExchangeName[]).find((exchange) => !exchanges.includes(exchange));
  if (elsewhere !== undefined) {
    throw new UsageError(`--account: ${elsewhere}=${accounts[elsewhere]?.[0] ?? ''} names an exchange the strategy does not trade on (--exchanges ${exchanges.join(',')})`);
  }
}

/** A name another strategy holds, in any case, is the user's mistake to correct. */
function saving(save: () => Strategy | null): Strategy | null {
  try {
    return save();
  } catch (error) {
    if (error instanceof StrategyNameTaken) throw new UsageError(error.message);
    throw error;
  }
}

function add(name: string, options: StrategyOptions): Promise<void> {
  const parsed = strategyInputSchema.safeParse({ name, ...strategyValues(options, true) });
  if (!parsed.success) {
    throw usageProblem(firstProblem(parsed.error), 'NAME');
  }
  refuseAccountsElsewhere(parsed.data.accounts, parsed.data.exchanges);
  return openingDataDir(options.dataDir, 'write', ({ strategies }) => {
    const added = saving(() => strategies.add(parsed.data)) as Strategy;
    console.log(`Added strategy ${added.name} (${describeMode(added)}).`);
  });
}

function edit(name: string, options: StrategyOptions & { name?: string }): Promise<void> {
  const values = { ...strategyValues(options, false), ...(typeof options.name === 'string' ? { name: options.name } : {}) };
  if (Object.keys(values).length === 0) throw new UsageError('nothing to change: give at least one option (apisify strategy edit --help lists them)');
  const parsed = strategyChangesSchema.safeParse(values);
  if (!parsed.success) {
    throw usageProblem(firstProblem(parsed.error), '--name');
  }
  return openingDataDir(options.dataDir, 'read', ({ strategies }) => {
    const before = existing(strategies, name);
    refuseAccountsElsewhere(parsed.data.accounts, parsed.data.exchanges ?? before.exchanges);
    const updated = saving(() => strategies.update(before.name, parsed.data)) as Strategy;
    if (before.mode !== 'live' && updated.mode === 'live') console.error(`apisify: strategy ${updated.name} is now LIVE: its orders go to the exchange with real money.`);
    console.log(`Strategy ${updated.name} saved (${describeMode(updated)}).`);
  });
}

function remove(name: string, options: DataDirOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ strategies }) => {
    const removal = strategies.remove(existing(strategies, name).name);
    if ('refused' in removal) {
      if (removal.refused === 'not_found') throw new UsageError(`no strategy named ${name}`);
      throw new UsageError(
        `strategy ${name} has orders under way (${removal.orderIds.map((id) => `#${id}`).join(', ')}): remove it once they are filled, cancelled or settled (apisify strategy disable ${name} stops new ones now)`,
      );
    }
    console.log(`Removed strategy ${removal.removed.name}. Its orders stay in the journal; orders naming it are refused from now on.`);
  });
}

function setEnabled(name: string, enabled: boolean, options: DataDirOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ strategies }) => {
    const updated = strategies.update(existing(strategies, name).name, strategyChangesSchema.parse({ enabled })) as Strategy;
    console.log(`Strategy ${updated.name} is ${updated.enabled ? 'enabled' : 'disabled'}.`);
  });
}

function list(options: DataDirOptions & JsonOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ strategies }) => {
    const all = strategies.list();
    if (options.json) return printJson(all);
    printTable(
      all.map((s) => ({
        name: s.name,
        mode: s.mode,
        enabled: s.enabled,
        market: s.marketType,
        'max qty': s.maxQty,
        symbols: s.symbols.join(',') || 'any',
        exchanges: s.exchanges.join(',') || 'any',
        // as --account takes them, the default of each exchange first
        accounts: accountsText(s.accounts),
      })),
      'No strategies: apisify strategy add NAME',
    );
    if (all.length === 0) return;
    // How each shapes its orders, one column per option of `strategy edit`, each value as that option takes it.
    console.log('');
    printTable(all.map(shapingRow), '');
  });
}

export function registerStrategy(program: Command): void {
  const strategy = program.command('strategy').description('the strategies orders name in their "strategy" field: live or dry-run, and their limits');

  const addCommand = strategy.command('add').description('add a strategy').argument('<name>', `the strategy's name: letters, digits, _ . or -, unique in any case`);
  addStrategyOptions(addCommand, true);
  withDataDir(addCommand);
  withExamples(
    addCommand,
    'apisify strategy add my_strategy',
    'apisify strategy add swing --mode live --exchanges bybit --symbols BTCUSDT,ETHUSDT --max-qty 0.5',
    'apisify strategy add hedge --mode live --exchanges bybit --account bybit=main --account bybit=sub2',
    'apisify strategy add percent --qty-unit equity_percent --max-notional 5000 --leverage 3 --max-leverage 5 --stop-loss-percent 2 --take-profit-percent 4',
    'apisify strategy add tv_alerts --max-lag 30 --margin-mode isolated --on-protection-failure close --dry-run-balance 2500',
  );
  addCommand.action((name: string, options: StrategyOptions) => add(name, options));

  const editCommand = strategy.command('edit').description("change a strategy's fields; the options not given stay as they are").argument('<name>', 'the strategy to change');
  editCommand.option('--name <new-name>', 'rename it (orders then name it so; its journal rows keep the old name)');
  addStrategyOptions(editCommand, false);
  withDataDir(editCommand);
  withExamples(
    editCommand,
    'apisify strategy edit swing --max-qty 1',
    'apisify strategy edit swing --symbols any --max-qty none',
    'apisify strategy edit swing --mode live',
    'apisify strategy edit swing --account bybit=sub2 --account bybit=main',
    'apisify strategy edit swing --account none',
    'apisify strategy edit swing --leverage 5 --max-leverage 10 --stop-loss-percent 1.5',
    'apisify strategy edit swing --leverage none --stop-loss-percent none --max-lag none',
  );
  editCommand.action((name: string, options: StrategyOptions) => edit(name, options));

  const removeCommand = strategy.command('remove').description('remove a strategy; refused while any of its orders is under way (its journal rows stay)').argument('<name>', 'the strategy to remove');
  withDataDir(removeCommand);
  withExamples(removeCommand, 'apisify strategy remove swing');
  removeCommand.action((name: string, options: DataDirOptions) => remove(name, options));

  for (const enabled of [true, false]) {
    const command = strategy
      .command(enabled ? 'enable' : 'disable')
      .description(enabled ? 'accept orders for a strategy again' : "refuse new orders for a strategy (403 strategy_disabled); those under way go on")
      .argument('<name>', 'the strategy');
    withDataDir(command);
    withExamples(command, `apisify strategy ${enabled ? 'enable' : 'disable'} swing`);
    command.action((name: string, options: DataDirOptions) => setEnabled(name, enabled, options));
  }

  const listCommand = strategy.command('list').description('every strategy with its mode and limits, then how each shapes its orders (one column per option of strategy edit)');
  withJson(listCommand);
  withDataDir(listCommand);
  withExamples(listCommand, 'apisify strategy list', 'apisify strategy list --json');
  listCommand.action((options: DataDirOptions & JsonOptions) => list(options));
}
