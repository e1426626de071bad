import type { Command } from 'commander';
import type { PnlAnswer } from '../../shared/pnl-api.js';
import { commandError } from './engine-api.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { withEngine } from './with-engine.js';

interface PnlOptions extends DataDirOptions, JsonOptions {
  strategy?: string;
}

function winRateText(winRate: number | null): string {
  return winRate === null ? '-' : `${Math.round(winRate * 100)} %`;
}

async function pnl(options: PnlOptions): Promise<void> {
  const query = options.strategy === undefined ? '' : `?strategy=${encodeURIComponent(options.strategy)}`;
  let answer: PnlAnswer;
  try {
    answer = await withEngine(options.dataDir, ({ api }) => api.get<PnlAnswer>(`/api/pnl${query}`));
  } catch (error) {
    throw commandError(error, { strategy: '--strategy' });
  }
  if (options.json) return printJson(answer);

  // One row per strategy and currency, net of fees (realized less what was paid in that currency).
  printTable(
    answer.strategies.flatMap((strategy) => {
      const common = { trades: strategy.trades, 'win rate': winRateText(strategy.winRate) };
      if (strategy.currencies.length === 0) return [{ strategy: strategy.strategy, currency: '-', 'net today': '0', 'net 7d': '0', 'net 30d': '0', 'net all': '0', 'fees all': '0', ...common }];
      return strategy.currencies.map((currency) => ({
        strategy: strategy.strategy,
        currency: currency.currency,
        'net today': currency.net.today,
        'net 7d': currency.net.days7,
        'net 30d': currency.net.days30,
        'net all': currency.net.all,
        'fees all': currency.fees.all,
        ...common,
      }));
    }),
    'No strategies.',
  );
  const open = answer.strategies.flatMap((strategy) => strategy.open.map((lot) => ({ strategy: strategy.strategy, ...lot })));
  if (open.length > 0) {
    console.log('\nOpen (what its own fills hold, at average cost):');
    printTable(
      open.map((lot) => ({ strategy: lot.strategy, account: lot.dryRun ? `${lot.exchange} dry-run` : `${lot.exchange}/${lot.account}`, symbol: lot.symbol, qty: lot.qty, 'average cost': lot.averageCost, mark: lot.markPrice ?? '-', unrealized: lot.unrealized ?? '-', currency: lot.currency })),
      '',
    );
  }
  for (const strategy of answer.strategies) {
    if (strategy.unpriced > 0) console.log(`${strategy.strategy}: ${strategy.unpriced} fill(s) came without a price and are left out of its figures.`);
  }
  console.log(`\nToday began ${answer.todayFrom}; 7d and 30d are the last 7 and 30 days.`);
}

export function registerPnl(program: Command): void {
  const command = program
    .command('pnl')
    .description("PnL per strategy: realized by average cost over the strategy's own fills, less fees, today, 7 and 30 days and all, per currency, with its trades (flat to flat), win rate and what it holds open")
    .option('--strategy <name>', 'only this strategy (also one removed since, by the name its fills carry)');
  withJson(command, 'print the answer of GET /api/pnl as JSON: realized, fees and net apart, per period');
  withDataDir(command);
  withExamples(command, 'apisify pnl', 'apisify pnl --strategy swing', 'apisify pnl --json');
  command.action((options: PnlOptions) => pnl(options));
}
