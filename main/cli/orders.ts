import { parseArgs } from 'node:util';
import { Journal } from '../engine/store/journal.js';
import { openDataDir } from './open-store.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

export async function ordersCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, limit: { type: 'string' }, 'data-dir': { type: 'string' } } });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit: expected a whole number from 1 to 1000, got ${values.limit}`);
  const { db } = openDataDir(values['data-dir']);
  try {
    const orders = new Journal(db).list({ limit });
    if (values.json) return printJson(orders);
    printTable(
      orders.map((o) => ({ id: o.id, received: o.receivedAt, strategy: o.strategy, exchange: o.exchange, symbol: o.symbol, side: o.side, qty: o.qty, status: o.status, 'dry run': o.dryRun, plan: o.plan, error: o.error?.message ?? null })),
      'No orders yet.',
    );
  } finally {
    db.close();
  }
}
