import type { Command } from 'commander';
import type { AccountOf, AccountReadState, BalancesAnswer, PositionsAnswer, PositionView } from '../../shared/positions-api.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { withEngine } from './with-engine.js';

/** Where a row is: `bybit/main`, or a dry run's simulated account, `bybit dry-run swing`. */
export function accountLabel(of: AccountOf): string {
  return of.dryRun ? `${of.exchange} dry-run ${of.strategy ?? ''}`.trimEnd() : `${of.exchange}/${of.account}`;
}

function protectionText(position: PositionView): string {
  return position.protection.map((order) => `${order.role === 'stop_loss' ? 'SL' : 'TP'} ${order.triggerPrice}`).join(', ');
}

function builtBy(position: PositionView): string {
  return position.strategies.map((share) => `${share.strategy} ${share.qty}`).join(', ');
}

/**
 * An account that could not be read leaves the table short: the command says which and why, and
 * fails (exit 1) once the rest is printed, so a script cannot take a part for the whole.
 */
function failIfUnread(accounts: readonly AccountReadState[]): void {
  const failing = accounts.filter((account) => account.state === 'failing');
  if (failing.length > 0) throw new Error(`could not read ${failing.map((account) => `${accountLabel(account)} (${account.message ?? 'no reason given'})`).join('; ')}`);
}

async function positions(options: DataDirOptions & JsonOptions): Promise<void> {
  const answer = await withEngine(options.dataDir, ({ api }) => api.get<PositionsAnswer>('/api/positions'));
  if (options.json) printJson(answer);
  else
    printTable(
      answer.positions.map((position) => ({
        account: accountLabel(position),
        symbol: position.symbol,
        side: position.side,
        size: position.size,
        entry: position.entryPrice,
        mark: position.markPrice,
        unrealized: position.unrealizedPnl,
        leverage: position.leverage,
        margin: position.marginMode,
        liquidation: position.liquidationPrice,
        protection: protectionText(position),
        'built by': builtBy(position),
      })),
      answer.accounts.length === 0 && answer.positions.length === 0 ? 'No open positions (no exchange account is set up: apisify exchange set, and dry-run strategies have none).' : 'No open positions.',
    );
  failIfUnread(answer.accounts);
}

async function balances(options: DataDirOptions & JsonOptions): Promise<void> {
  const answer = await withEngine(options.dataDir, ({ api }) => api.get<BalancesAnswer>('/api/balances'));
  if (options.json) printJson(answer);
  else
    printTable(
      answer.balances.map((balance) => ({ account: accountLabel(balance), wallet: balance.wallet, currency: balance.currency, total: balance.total, free: balance.free, 'in use': balance.used })),
      'No balances: no exchange account is set up (apisify exchange set) and no dry-run strategy has traded.',
    );
  failIfUnread(answer.accounts);
}

const ENGINE_NOTE = 'read by the running apisify (serve or the desktop app), else by an engine started for the command';

export function registerPositions(program: Command): void {
  const positionsCommand = program
    .command('positions')
    .description(`every open position of every exchange account and dry-run strategy: size, entry, mark, unrealized PnL, leverage, margin mode, liquidation price, protective orders and the strategies that built it (${ENGINE_NOTE})`);
  withJson(positionsCommand, 'print the answer of GET /api/positions as JSON (each account also says whether it could be read)');
  withDataDir(positionsCommand);
  withExamples(positionsCommand, 'apisify positions', 'apisify positions --json');
  positionsCommand.action((options: DataDirOptions & JsonOptions) => positions(options));

  const balanceCommand = program.command('balance').description(`every exchange account's balances per wallet and currency (total, free, in use), and each dry-run strategy's simulated account (${ENGINE_NOTE})`);
  withJson(balanceCommand, 'print the answer of GET /api/balances as JSON');
  withDataDir(balanceCommand);
  withExamples(balanceCommand, 'apisify balance', 'apisify balance --json');
  balanceCommand.action((options: DataDirOptions & JsonOptions) => balances(options));
}
