import type { Command } from 'commander';
import { ACCOUNT_NAME_HINT, type AccountRef, DEFAULT_ACCOUNT, isAccountName } from '../../shared/account-names.js';
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

interface AccountOptions extends DataDirOptions {
  account?: string;
}

interface SetOptions extends AccountOptions {
  apiKey?: string;
  secret?: string;
  baseUrl?: string;
}

function exchangeArg(value: string): ExchangeName {
  const name = value.trim().toLowerCase();
  if (!isExchangeName(name)) throw new UsageError(`EXCHANGE: expected one of ${EXCHANGE_NAMES.join(', ')}, got ${JSON.stringify(value)}`);
  return name;
}

/** The exchange argument and --account as one account: `default` when --account is not given. */
function accountArg(exchangeText: string, options: AccountOptions): AccountRef {
  const exchange = exchangeArg(exchangeText);
  if (options.account === undefined) return { exchange, account: DEFAULT_ACCOUNT };
  const account = options.account.trim();
  if (!isAccountName(account)) throw new UsageError(`--account: expected ${ACCOUNT_NAME_HINT}, got ${JSON.stringify(options.account)}`);
  return { exchange, account };
}

/** How a command names the account back: `bybit` for the default one, `bybit account main` for another. */
function accountText(ref: AccountRef): string {
  return ref.account === DEFAULT_ACCOUNT ? ref.exchange : `${ref.exchange} account ${ref.account}`;
}

function accountFlag(ref: AccountRef): string {
  return ref.account === DEFAULT_ACCOUNT ? '' : ` --account ${ref.account}`;
}

function withAccounts<T>(flag: string | undefined, use: DataDirUse, work: (accounts: ExchangeAccounts, dataDir: string) => Promise<T>): Promise<T> {
  return openingDataDir(flag, use, async ({ db, dataDir }) => work(new ExchangeAccounts(db, await openSecretStore(dataDir), installId(db)), dataDir));
}

async function set(exchangeText: string, options: SetOptions): Promise<void> {
  const ref = accountArg(exchangeText, options);
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
  const secret = await readSecret(`${accountText(ref)} API secret (not shown as you type): `);
  if (!secret) throw new UsageError('the secret is empty');
  await withAccounts(options.dataDir, 'write', async (accounts) => {
    const account = await accounts.set(ref, { apiKey, secret }, baseUrl);
    console.log(`Saved ${accountText(ref)} (${account.apiKeyMasked}) in the keychain${account.baseUrl ? `, base URL ${account.baseUrl}` : ''}. Check it with: apisify exchange test ${ref.exchange}${accountFlag(ref)}`);
  });
}

function list(options: DataDirOptions & JsonOptions): Promise<void> {
  return withAccounts(options.dataDir, 'read', async (accounts) => {
    const all = accounts.list();
    if (options.json) return printJson(all);
    printTable(
      all.map((account) => ({ exchange: account.exchange, account: account.account, 'api key': account.apiKeyMasked, 'base url': account.baseUrl ?? 'default', updated: account.updatedAt })),
      'No exchange accounts: apisify exchange set EXCHANGE --api-key KEY --secret -',
    );
  });
}

function remove(exchangeText: string, options: AccountOptions): Promise<void> {
  const ref = accountArg(exchangeText, options);
  return withAccounts(options.dataDir, 'read', async (accounts) => {
    if (!(await accounts.remove(ref))) throw new UsageError(`no ${accountText(ref)} (apisify exchange list shows them)`);
    console.log(`Removed ${accountText(ref)} and its credentials.`);
  });
}

function test(exchangeText: string, options: AccountOptions): Promise<void> {
  const ref = accountArg(exchangeText, options);
  return withAccounts(options.dataDir, 'read', async (accounts, dataDir) => {
    const result = await new CcxtAccounts(accounts, { dataDir, log: createLogger(null) }).test(ref);
    if (!result.ok) throw new Error(result.message);
    console.log(`${accountText(ref)}: the credentials work (a private balance call answered).`);
  });
}

const ACCOUNT_FLAGS = '--account <name>';
const ACCOUNT_HELP = `which of the exchange's accounts (${ACCOUNT_NAME_HINT}); default: default`;

export function registerExchange(program: Command): void {
  const exchange = program.command('exchange').description(`the exchange accounts live strategies trade on (${EXCHANGE_NAMES.join(', ')}); secrets stay in the keychain`);
  const exchangeArgument = `one of ${EXCHANGE_NAMES.join(', ')}`;

  const setCommand = exchange
    .command('set')
    .description("save an exchange account's API key and secret (replacing the one saved)")
    .argument('<exchange>', exchangeArgument)
    .option('--api-key <key>', "the exchange's API key (required)")
    .option('--secret <source>', 'must be -: the secret is read from standard input, a pipe or a prompt that does not echo (required)')
    .option('--base-url <url>', "another address for the exchange's API: a proxy, a regional domain")
    .option(ACCOUNT_FLAGS, `${ACCOUNT_HELP}; a sub-account or another person's keys is one more account`);
  withDataDir(setCommand);
  withExamples(
    setCommand,
    'apisify exchange set bybit_testnet --api-key KEY --secret -      (then type the secret)',
    'pass show bybit | apisify exchange set bybit --api-key KEY --secret -',
    'apisify exchange set bybit --account sub2 --api-key KEY --secret -',
  );
  setCommand.action((name: string, options: SetOptions) => set(name, options));

  const listCommand = exchange.command('list').description('the accounts, by exchange and name, with masked keys only');
  withJson(listCommand);
  withDataDir(listCommand);
  withExamples(listCommand, 'apisify exchange list');
  listCommand.action((options: DataDirOptions & JsonOptions) => list(options));

  const removeCommand = exchange.command('remove').description('delete an account and its secrets').argument('<exchange>', exchangeArgument).option(ACCOUNT_FLAGS, ACCOUNT_HELP);
  withDataDir(removeCommand);
  withExamples(removeCommand, 'apisify exchange remove bybit_testnet', 'apisify exchange remove bybit --account sub2');
  removeCommand.action((name: string, options: AccountOptions) => remove(name, options));

  const testCommand = exchange.command('test').description('prove the saved credentials work with a private call (the balance)').argument('<exchange>', exchangeArgument).option(ACCOUNT_FLAGS, ACCOUNT_HELP);
  withDataDir(testCommand);
  withExamples(testCommand, 'apisify exchange test bybit_testnet', 'apisify exchange test bybit --account main');
  testCommand.action((name: string, options: AccountOptions) => test(name, options));
}
