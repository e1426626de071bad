import type { Command } from 'commander';
import { ordersCsv } from '../engine/csv/csv-export.js';
import { Journal } from '../engine/store/journal.js';
import { printCsv } from './csv-output.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, wholeNumber, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

interface OrdersOptions extends DataDirOptions, JsonOptions {
  limit?: string;
  csv?: boolean;
}

function orders(options: OrdersOptions): Promise<void> {
  if (options.csv && options.json) throw new UsageError('--csv and --json: choose one');
  const limit = options.limit === undefined ? undefined : wholeNumber('--limit', options.limit, 1, options.csv ? Number.MAX_SAFE_INTEGER : 1000);
  return openingDataDir(options.dataDir, 'read', async ({ db }) => {
    const journal = new Journal(db);
    if (options.csv) return printCsv(ordersCsv(journal, {}, limit));
    const list = journal.list({ limit: limit ?? 50 });
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
    .description('the journal, newest first: every order accepted, with its status, plan and error (refused requests are not journaled: apisify signals --refused lists them)')
    .option('--limit <n>', 'how many, from 1 to 1000 (default: 50; with --csv, every one)')
    .option('--csv', 'print CSV instead of a table: one record per leg, with what each leg filled and at what average price (RFC 4180, safe to open in a spreadsheet)');
  withJson(command, 'print the orders as JSON, each with its legs and request');
  withDataDir(command);
  withExamples(command, 'apisify orders', 'apisify orders --limit 200 --json', 'apisify orders --csv > orders.csv');
  command.action((options: OrdersOptions) => orders(options));
}
