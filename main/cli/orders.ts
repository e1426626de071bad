import type { Command } from 'commander';
import { Journal } from '../engine/store/journal.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, wholeNumber, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';

interface OrdersOptions extends DataDirOptions, JsonOptions {
  limit?: string;
}

function orders(options: OrdersOptions): Promise<void> {
  const limit = options.limit === undefined ? 50 : wholeNumber('--limit', options.limit, 1, 1000);
  return openingDataDir(options.dataDir, 'read', ({ db }) => {
    const list = new Journal(db).list({ limit });
    if (options.json) return printJson(list);
    printTable(
      list.map((o) => ({ id: o.id, received: o.receivedAt, strategy: o.strategy, exchange: o.exchange, symbol: o.symbol, side: o.side, qty: o.qty, status: o.status, 'dry run': o.dryRun, plan: o.plan, error: o.error ? `${o.error.code}: ${o.error.message}` : null })),
      'No orders yet.',
    );
  });
}

export function registerOrders(program: Command): void {
  const command = program
    .command('orders')
    .description('the journal, newest first: every order accepted, with its status, plan and error (refused requests are not journaled; their answers say why)')
    .option('--limit <n>', 'how many, from 1 to 1000 (default: 50)');
  withJson(command, 'print the orders as JSON, each with its legs and request');
  withDataDir(command);
  withExamples(command, 'apisify orders', 'apisify orders --limit 200 --json');
  command.action((options: OrdersOptions) => orders(options));
}
