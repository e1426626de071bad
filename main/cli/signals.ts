import type { Command } from 'commander';
import { signalsCsv } from '../engine/csv/csv-export.js';
import { SignalLog, type SignalQuery } from '../engine/store/signal-log.js';
import { printCsv } from './csv-output.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, wholeNumber, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

interface SignalsOptions extends DataDirOptions, JsonOptions {
  refused?: boolean;
  strategy?: string;
  limit?: string;
  csv?: boolean;
}

function signals(options: SignalsOptions): Promise<void> {
  if (options.csv && options.json) throw new UsageError('--csv and --json: choose one');
  const limit = options.limit === undefined ? undefined : wholeNumber('--limit', options.limit, 1, options.csv ? Number.MAX_SAFE_INTEGER : 1000);
  const filter: Omit<SignalQuery, 'limit' | 'beforeId'> = { ...(options.refused ? { outcome: 'refused' } : {}), ...(options.strategy ? { strategy: options.strategy } : {}) };
  return openingDataDir(options.dataDir, 'read', async ({ db }) => {
    const log = new SignalLog(db);
    if (options.csv) return printCsv(signalsCsv(log, filter, limit));
    const list = log.list({ ...filter, limit: limit ?? 50 });
    if (options.json) return printJson(list);
    printTable(
      list.map((s) => ({
        id: s.id,
        at: s.at,
        outcome: s.outcome,
        source: s.source === null ? s.apikeyMasked : s.keyLabel ? `${s.keyLabel} (${s.source})` : s.source,
        strategy: s.strategy,
        symbol: s.symbol,
        side: s.side,
        answer: `${s.status} ${s.code}${s.count > 1 ? ` x${s.count}` : ''}`,
        order: s.orderId,
        field: s.field,
        why: s.outcome === 'refused' ? s.message : null,
      })),
      options.refused || options.strategy ? 'No signals match.' : 'No signals yet.',
    );
  });
}

export function registerSignals(program: Command): void {
  const command = program
    .command('signals')
    .description('the signal log, newest first: every request to /v1/order and every manual order, accepted or refused, with the answer and, for a refusal, why')
    .option('--refused', 'only the refused requests')
    .option('--strategy <name>', 'only the requests that named this strategy')
    .option('--limit <n>', 'how many, from 1 to 1000 (default: 50; with --csv, every one)')
    .option('--csv', 'print CSV (RFC 4180, safe to open in a spreadsheet) instead of a table');
  withJson(command, 'print the entries as JSON');
  withDataDir(command);
  withExamples(command, 'apisify signals', 'apisify signals --refused --strategy my_strategy', 'apisify signals --csv > signals.csv');
  command.action((options: SignalsOptions) => signals(options));
}
