import type { Command } from 'commander';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from '../../shared/exchange-names.js';
import { exchangeBaseUrlSchema } from '../../shared/ui-schemas.js';
import { ExchangeAccounts } from '../engine/exchanges/accounts.js';
import { CcxtAccounts } from '../engine/exchanges/ccxt/live-venues.js';
import { createLogger } from '../engine/log.js';
import { openSecretStore } from '../engine/secrets/open-secret-store.js';
import { installId } from '../engine/store/install-id.js';
import { type DataDirUse, withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { readSecret } from './read-secret.js';
import { UsageError } from './usage-error.js';

interface SetOptions extends DataDirOptions {
  apiKey?: string;
  secret?: string;
  baseUrl?: string;
}

function exchangeArg(value: string): ExchangeName {
  const name = value.trim().toLowerCase();
  if (!isExchangeName(name)) throw new UsageError(`EXCHANGE: expected one of ${EXCHANGE_NAMES.join(', ')}, got ${JSON.stringify(value)}`);
  return name;
}

function withAccounts<T>(flag: string | undefined, use: DataDirUse, work: (accounts: ExchangeAccounts, dataDir: string) => Promise<T>): Promise<T> {
  return openingDataDir(flag, use, async ({ db, dataDir }) => work(new ExchangeAccounts(db, await openSecretStore(dataDir), installId(db)), dataDir));
}

async function set(exchangeText: string, options: SetOptions): Promise<void> {
  const exchange = exchangeArg(exchangeText);
  const apiKey = options.apiKey?.trim();
  if (!apiKey) throw new UsageError('--api-key is required');
  if (options.secret !== '-') {
    // On the command line it would be in every local user's process list (ps) and in the shell's history.
    throw new UsageError('--secret - is required, with the secret on standard input (a pipe, or typed at the prompt without echo); apisify does not take it as an argument, where other users of this machine could read it');
  }
  let baseUrl: string | null = null;
  if (options.baseUrl !== undefined) {
    const parsed = exchangeBaseUrlSchema.safeParse(options.baseUrl);
    if (!parsed.success) throw new UsageError(`--base-url: ${parsed.error.issues[0]?.message ?? 'expected an http(s) URL'}`);
    baseUrl = parsed.data;
  }
  const secret = await readSecret(`${exchange} API secret (not shown as you type): `);
  if (!secret) throw new UsageError('the secret is empty');
  await withAccounts(options.dataDir, 'write', async (accounts) => {
    const account = await accounts.set(exchange, { apiKey, secret }, baseUrl);
    console.log(`Saved ${account.exchange} (${account.apiKeyMasked}) in the keychain${account.baseUrl ? `, base URL ${account.baseUrl}` : ''}. Check it with: apisify exchange test ${account.exchange}`);
  });
}

function list(options: DataDirOptions & JsonOptions): Promise<void> {
  return withAccounts(options.dataDir, 'read', async (accounts) => {
    const all = accounts.list();
    if (options.json) return printJson(all);
    printTable(
      all.map((account) => ({ exchange: account.exchange, 'api key': account.apiKeyMasked, 'base url': account.baseUrl ?? 'default', updated: account.updatedAt })),
      'No exchange accounts: apisify exchange set EXCHANGE --api-key KEY --secret -',
    );
  });
}

function remove(exchangeText: string, options: DataDirOptions): Promise<void> {
  const exchange = exchangeArg(exchangeText);
  return withAccounts(options.dataDir, 'read', async (accounts) => {
    if (!(await accounts.remove(exchange))) throw new UsageError(`no account for ${exchange} (apisify exchange list shows them)`);
    console.log(`Removed ${exchange} and its credentials.`);
  });
}

function test(exchangeText: string, options: DataDirOptions): Promise<void> {
  const exchange = exchangeArg(exchangeText);
  return withAccounts(options.dataDir, 'read', async (accounts, dataDir) => {
    const result = await new CcxtAccounts(accounts, { dataDir, log: createLogger(null) }).test(exchange);
    if (!result.ok) throw new Error(result.message);
    console.log(`${exchange}: the credentials work (a private balance call answered).`);
  });
}

export function registerExchange(program: Command): void {
  const exchange = program.command('exchange').description(`the exchange accounts live strategies trade on (${EXCHANGE_NAMES.join(', ')}); secrets stay in the keychain`);
  const exchangeArgument = `one of ${EXCHANGE_NAMES.join(', ')}`;

  const setCommand = exchange
    .command('set')
    .description("save an exchange account's API key and secret (replacing the one saved)")
    .argument('<exchange>', exchangeArgument)
    .option('--api-key <key>', "the exchange's API key (required)")
    .option('--secret <source>', 'must be -: the secret is read from standard input, a pipe or a prompt that does not echo (required)')
    .option('--base-url <url>', "another address for the exchange's API: a proxy, a regional domain");
  withDataDir(setCommand);
  withExamples(setCommand, 'apisify exchange set bybit_testnet --api-key KEY --secret -      (then type the secret)', 'pass show bybit | apisify exchange set bybit --api-key KEY --secret -');
  setCommand.action((name: string, options: SetOptions) => set(name, options));

  const listCommand = exchange.command('list').description('the accounts, with masked keys only');
  withJson(listCommand);
  withDataDir(listCommand);
  withExamples(listCommand, 'apisify exchange list');
  listCommand.action((options: DataDirOptions & JsonOptions) => list(options));

  const removeCommand = exchange.command('remove').description('delete an account and its secrets').argument('<exchange>', exchangeArgument);
  withDataDir(removeCommand);
  withExamples(removeCommand, 'apisify exchange remove bybit_testnet');
  removeCommand.action((name: string, options: DataDirOptions) => remove(name, options));

  const testCommand = exchange.command('test').description('prove the saved credentials work with a private call (the balance)').argument('<exchange>', exchangeArgument);
  withDataDir(testCommand);
  withExamples(testCommand, 'apisify exchange test bybit_testnet');
  testCommand.action((name: string, options: DataDirOptions) => test(name, options));
}
