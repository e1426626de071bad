import { parseArgs } from 'node:util';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../shared/exchange-names.js';
import { exchangeBaseUrlSchema } from '../../shared/ui-schemas.js';
import { ExchangeAccounts } from '../engine/exchanges/accounts.js';
import { CcxtAccounts } from '../engine/exchanges/ccxt/live-venues.js';
import { createLogger } from '../engine/log.js';
import { openSecretStore } from '../engine/secrets/open-secret-store.js';
import { installId } from '../engine/store/install-id.js';
import { openDataDir } from './open-store.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: apisify exchange set EXCHANGE --api-key KEY --secret - [--base-url URL] (the secret on standard input) | exchange list [--json] | exchange remove EXCHANGE | exchange test EXCHANGE
EXCHANGE is one of ${EXCHANGE_NAMES.join(', ')}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

function exchangeArg(value: string | undefined, action: string): ExchangeName {
  if (!value) throw new UsageError(`exchange ${action}: expected the EXCHANGE (${EXCHANGE_NAMES.join(', ')})`);
  const name = value.toLowerCase();
  if (!isExchangeName(name)) throw new UsageError(`exchange ${action}: expected one of ${EXCHANGE_NAMES.join(', ')}, got ${value}`);
  return name;
}

export async function exchangeCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'api-key': { type: 'string' },
      secret: { type: 'string' },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  if (!['set', 'list', 'remove', 'test'].includes(action ?? '')) throw new UsageError(USAGE);
  const exchange = action === 'list' ? null : exchangeArg(positionals[0], action as string);

  let apiKey: string | undefined;
  let secret: string | undefined;
  let baseUrl: string | null = null;
  if (action === 'set') {
    apiKey = values['api-key']?.trim();
    if (!apiKey) throw new UsageError('exchange set: --api-key is required');
    if (values.secret !== '-') {
      // On the command line it would be in every local user's process list (ps) and in the shell's history.
      throw new UsageError('exchange set: --secret - is required, with the secret on standard input (e.g. a pipe or a prompt); apisify does not take it as an argument, where other users of this machine could read it');
    }
    secret = await readStdin();
    if (!secret) throw new UsageError('exchange set: the secret is empty');
    if (values['base-url'] !== undefined) {
      const parsed = exchangeBaseUrlSchema.safeParse(values['base-url']);
      if (!parsed.success) throw new UsageError(`exchange set: --base-url: ${parsed.error.issues[0]?.message ?? 'expected an http(s) URL'}`);
      baseUrl = parsed.data;
    }
  }

  const { db, dataDir } = openDataDir(values['data-dir']);
  try {
    const accounts = new ExchangeAccounts(db, await openSecretStore(dataDir), installId(db));
    if (action === 'list') {
      const all = accounts.list();
      if (values.json) return printJson(all);
      return printTable(
        all.map((account) => ({ exchange: account.exchange, 'api key': account.apiKeyMasked, 'base url': account.baseUrl ?? 'default', updated: account.updatedAt })),
        'No exchange accounts: apisify exchange set EXCHANGE --api-key KEY --secret -',
      );
    }
    if (action === 'set') {
      const account = await accounts.set(exchange as ExchangeName, { apiKey: apiKey as string, secret: secret as string }, baseUrl);
      console.log(`Saved ${account.exchange} (${account.apiKeyMasked}) in the keychain${account.baseUrl ? `, base URL ${account.baseUrl}` : ''}. Check it with: apisify exchange test ${account.exchange}`);
      return;
    }
    if (action === 'remove') {
      if (!(await accounts.remove(exchange as ExchangeName))) throw new UsageError(`exchange remove: no account for ${exchange}`);
      console.log(`Removed ${exchange} and its credentials.`);
      return;
    }
    const result = await new CcxtAccounts(accounts, { dataDir, log: createLogger(null) }).test(exchange as ExchangeName);
    if (!result.ok) throw new Error(`exchange test: ${result.message}`);
    console.log(`${exchange}: the credentials work (a private balance call answered).`);
  } finally {
    db.close();
  }
}
