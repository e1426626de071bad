import { parseArgs } from 'node:util';
import { openApiKeys } from './open-store.js';
import { printJson, printTable } from './output.js';
import { apiKeyInputSchema, firstProblem } from '../../shared/ui-schemas.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: apisify keys create --label TEXT [--tradingview] (--strategy NAME... | --all-strategies) [--sign-body] [--json] | keys list [--json] | keys revoke APIKEY';

export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      tradingview: { type: 'boolean', default: false },
      strategy: { type: 'string', multiple: true },
      'all-strategies': { type: 'boolean', default: false },
      'sign-body': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new UsageError(USAGE);
  if (action === 'create' && !values.label?.trim()) throw new UsageError('keys create: --label is required (a name you will recognise the key by)');
  if (action === 'revoke' && positionals.length !== 1) throw new UsageError('keys revoke: expected the API key to revoke (keys list shows them masked)');

  // The UI's own rules for a key (a label of at most 100 characters, strategy names a strategy can have).
  const input = action === 'create' ? apiKeyInputSchema.safeParse({ label: values.label, tradingview: values.tradingview ?? false, strategies: values.strategy ?? [], allStrategies: values['all-strategies'] ?? false, signBody: values['sign-body'] ?? false }) : null;
  if (input && !input.success) {
    const problem = firstProblem(input.error);
    const option = problem.field === 'label' ? '--label' : problem.field?.startsWith('strategies') ? '--strategy' : (problem.field ?? 'input');
    const message = problem.message.replace(/^[^:]*: /, '').replace('allow every strategy explicitly', 'allow every strategy with --all-strategies');
    throw new UsageError(`keys create: ${option}: ${message}`);
  }

  const { db, apiKeys } = await openApiKeys(values['data-dir']);
  try {
    if (input?.success) {
      const issued = await apiKeys.create(input.data);
      if (values.json) return printJson(issued);
      console.log(`API key:    ${issued.apikey}`);
      console.log(`Secret key: ${issued.secret}`);
      console.log(issued.tradingview ? 'A TradingView key: alerts may send it without timestamp and sign.' : 'Sign every request with the secret key (see the README).');
      if (input.data.signBody) console.log('Its signatures cover the body too: sign the body without `sign`, then add `sign` as its last field (README "Signatures that cover the body").');
      console.log('The secret key is shown only now: keep it somewhere safe.');
    } else if (action === 'list') {
      const keys = apiKeys.list();
      if (values.json) return printJson(keys);
      printTable(
        keys.map((key) => ({ id: key.id, key: key.masked, label: key.label, tradingview: key.tradingview, strategies: key.strategies.join(',') || 'all', created: key.createdAt, 'last used': key.lastUsedAt })),
        'No API keys yet: apisify keys create --label NAME',
      );
    } else {
      const revoked = apiKeys.revokeByKey(positionals[0] as string);
      if (!revoked) throw new UsageError('keys revoke: no active API key matches');
      console.log(`Revoked ${revoked.masked} (${revoked.label}); a running server refuses it from now on.`);
    }
  } finally {
    db.close();
  }
}
