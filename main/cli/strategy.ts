import { parseArgs } from 'node:util';
import { EXCHANGE_NAMES } from '../../shared/exchange-names.js';
import { firstProblem, strategyChangesSchema, strategyInputSchema } from '../../shared/ui-schemas.js';
import { openDataDir } from './open-store.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

const USAGE =
  'usage: apisify strategy add NAME [--mode live|dry-run] [--market-type swap|spot] [--max-qty N] [--symbols A,B] [--exchanges X,Y] | strategy list [--json] | strategy enable NAME | strategy disable NAME';

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter(Boolean);
}

export async function strategyCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      mode: { type: 'string' },
      'market-type': { type: 'string' },
      'max-qty': { type: 'string' },
      symbols: { type: 'string' },
      exchanges: { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  if (!['add', 'list', 'enable', 'disable'].includes(action ?? '')) throw new UsageError(USAGE);
  const name = positionals[0];
  if (action !== 'list' && !name) throw new UsageError(`strategy ${action}: expected the strategy's NAME`);

  const { db, strategies } = openDataDir(values['data-dir']);
  try {
    if (action === 'list') {
      const all = strategies.list();
      if (values.json) return printJson(all);
      return printTable(
        all.map((s) => ({ name: s.name, mode: s.mode, enabled: s.enabled, market: s.marketType, 'max qty': s.maxQty, symbols: s.symbols.join(',') || 'all', exchanges: s.exchanges.join(',') || 'all' })),
        'No strategies: apisify strategy add NAME',
      );
    }
    if (action === 'add') {
      const maxQty = values['max-qty'] === undefined ? null : Number(values['max-qty']);
      const parsed = strategyInputSchema.safeParse({
        name,
        mode: values.mode ?? 'dry-run',
        marketType: values['market-type'] ?? 'swap',
        maxQty,
        symbols: list(values.symbols) ?? [],
        exchanges: list(values.exchanges) ?? [],
      });
      if (!parsed.success) {
        const problem = firstProblem(parsed.error);
        const hint = problem.field === 'exchanges' ? ` (one of ${EXCHANGE_NAMES.join(', ')})` : '';
        throw new UsageError(`strategy add: ${problem.message}${hint}`);
      }
      if (strategies.find(parsed.data.name)) throw new UsageError(`strategy add: a strategy named ${parsed.data.name} already exists`);
      const added = strategies.add(parsed.data);
      console.log(`Added strategy ${added.name} (${added.mode}${added.mode === 'live' ? ': it places real orders' : ': simulated fills, nothing reaches an exchange'}).`);
      return;
    }
    const changes = strategyChangesSchema.parse({ enabled: action === 'enable' });
    const updated = strategies.update(name as string, changes);
    if (!updated) throw new UsageError(`strategy ${action}: no strategy named ${name}`);
    console.log(`Strategy ${updated.name} is ${updated.enabled ? 'enabled' : 'disabled'}.`);
  } finally {
    db.close();
  }
}
